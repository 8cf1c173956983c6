/**
 * Moving boards between shards while the system runs (the reshard tool's steps, asked of one named
 * shard each): read and write a shard's copy of the shard map, freeze a board's writes, export
 * it, import it on its new shard and drop the old copy. See `shards.ts` for the shard map and the
 * README's "Shards" section for the whole move.
 */
import { Type } from 'typebox';
import { BoardIdSchema } from '../schemas.js';
import { MAX_SHARDS } from '../shards.js';
import { defineCommand } from './spec.js';

/** A shard map as stored by a shard and sent to one (see {@link ShardMap}). */
export const ShardMapSchema = Type.Object(
  {
    epoch: Type.Integer({ minimum: 0 }),
    layout: Type.Integer({ minimum: 1, maximum: MAX_SHARDS }),
    moved: Type.Record(BoardIdSchema, Type.Integer({ minimum: 0, maximum: MAX_SHARDS - 1 })),
    sealed: Type.Boolean(),
  },
  { additionalProperties: false },
);

/** What a shard answers of its shard map: the shard map and its own index. */
export interface ShardMapView {
  epoch: number;
  layout: number;
  moved: Record<string, number>;
  sealed: boolean;
  shard: number;
}

/** The shard's copy of the shard map and its index. */
export const shardMapGetCommand = defineCommand<ShardMapView>()({
  name: 'shardmap.get',
  args: Type.Object({}, { additionalProperties: false }),
  keyed: false,
  reads: true,
  spread: 'named',
});

/**
 * Replaces the shard's shard map (logged). `shard` must be the receiver's own index; `epoch` must
 * be newer than the shard's, or equal with the same shard map (a retry).
 */
export const shardMapSetCommand = defineCommand<ShardMapView>()({
  name: 'shardmap.set',
  args: Type.Object(
    {
      shard: Type.Integer({ minimum: 0, maximum: MAX_SHARDS - 1 }),
      map: ShardMapSchema,
    },
    { additionalProperties: false },
  ),
  keyed: false,
  reads: false,
  spread: 'named',
});

/**
 * Refuses every write to the board from now on (BOARD_MOVING) while reads still answer, or with
 * `frozen: false` takes writes again (a move given up before its switch). Logged.
 */
export const boardFreezeCommand = defineCommand<{ board: string; entries: number }>()({
  name: 'board.freeze',
  args: Type.Object(
    { board: BoardIdSchema, frozen: Type.Optional(Type.Boolean()) },
    { additionalProperties: false },
  ),
  keyed: false,
  reads: false,
  spread: 'named',
});

/**
 * The board whole — configuration, entries, finished periods — and the shard's remembered
 * idempotency keys, as base64 of log records. O(n); the board should be frozen.
 */
export const boardExportCommand = defineCommand<{ board: string; entries: number; records: string }>()({
  name: 'board.export',
  args: Type.Object({ board: BoardIdSchema }, { additionalProperties: false }),
  keyed: false,
  reads: true,
  spread: 'named',
});

/** Replaces the shard's copy of the board with an export (logged as one record). O(n). */
export const boardImportCommand = defineCommand<{ board: string; entries: number }>()({
  name: 'board.import',
  args: Type.Object({ board: BoardIdSchema, records: Type.String() }, { additionalProperties: false }),
  keyed: false,
  reads: false,
  spread: 'named',
});

/**
 * Forgets the shard's copy of a board that the shard's shard map puts elsewhere, and lifts its
 * freeze (logged); SHARD_OWNS_BOARD while the shard map still puts it here.
 */
export const boardDropCommand = defineCommand<{ board: string; dropped: boolean }>()({
  name: 'board.drop',
  args: Type.Object({ board: BoardIdSchema }, { additionalProperties: false }),
  keyed: false,
  reads: false,
  spread: 'named',
});

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
