/**
 * Moving boards between shards while the system runs (the reshard tool's steps, asked of one named
 * shard each): read and write a shard's copy of the shard map, freeze a board's writes, export
 * it, import it on its new shard and drop the old copy. See `shards.ts` for the shard map and the
 * README's "Shards" section for the whole move.
 */
import { Type } from 'typebox';
import { BoardIdSchema, NoArgs } from '../schemas.js';
import { MAX_SHARDS, ShardMapSchema, type ShardMapView } from '../shards.js';
import { argsOf, defineCommand, namedRead, namedWrite } from './spec.js';

/** What `POST /boards/:board/move` answers: what one move did. */
export interface MoveReport {
  board: string;
  from: number;
  to: number;
  /** Entries of the board's live period. */
  entries: number;
  /** How long writes to the board were refused (freeze to switch), ms; 0 when nothing moved. */
  pausedMs: number;
}

/** The moves commands, by readable name. */
export const moveCommands = {
  /** The shard's copy of the shard map and its index. */
  ShardMapGet: defineCommand<ShardMapView>()({
    name: 'shardmap.get',
    args: NoArgs,
    ...namedRead,
  }),
  /**
   * Replaces the shard's shard map (logged). `shard` must be the receiver's own index; `epoch` must
   * be newer than the shard's, or equal with the same shard map (a retry).
   */
  ShardMapSet: defineCommand<ShardMapView>()({
    name: 'shardmap.set',
    args: argsOf({
      shard: Type.Integer({ minimum: 0, maximum: MAX_SHARDS - 1 }),
      map: ShardMapSchema,
    }),
    ...namedWrite,
  }),
  /**
   * Refuses every write to the board from now on (BOARD_MOVING) while reads still answer, or with
   * `frozen: false` takes writes again (a move given up before its switch). Logged.
   */
  BoardFreeze: defineCommand<{ board: string; entries: number }>()({
    name: 'board.freeze',
    args: argsOf({ board: BoardIdSchema, frozen: Type.Optional(Type.Boolean()) }),
    ...namedWrite,
  }),
  /**
   * The board whole — configuration, entries, finished periods — and the shard's remembered
   * idempotency keys, as base64 of log records. O(n); the board should be frozen.
   */
  BoardExport: defineCommand<{ board: string; entries: number; records: string }>()({
    name: 'board.export',
    args: argsOf({ board: BoardIdSchema }),
    ...namedRead,
  }),
  /** Replaces the shard's copy of the board with an export (logged as one record). O(n). */
  BoardImport: defineCommand<{ board: string; entries: number }>()({
    name: 'board.import',
    args: argsOf({ board: BoardIdSchema, records: Type.String() }),
    ...namedWrite,
  }),
  /**
   * Forgets the shard's copy of a board that the shard's shard map puts elsewhere, and lifts its
   * freeze (logged); SHARD_OWNS_BOARD while the shard map still puts it here.
   */
  BoardDrop: defineCommand<{ board: string; dropped: boolean }>()({
    name: 'board.drop',
    args: argsOf({ board: BoardIdSchema }),
    ...namedWrite,
  }),
};
