/**
 * The steps of moving a board between shards, each asked of one shard: its shard map (read and
 * replace), freezing a board's writes, exporting it, importing it, dropping the old copy. Every
 * change is logged, so a move interrupted by a crash resumes where the log left it.
 */
import { DEFAULT_BOARD, ErrorCode, ScoreboardError, sameShardMap } from '@scoreboard/protocol';
import { DEFAULT_CONFIG } from '../board/board.js';
import { boardRecordOf } from '../engine/board-records.js';
import type { CommandContext, HandlerTable } from '../engine/handler.js';
import { RankingState } from '../engine/state.js';
import { RecordType } from '../records/index.js';

/** O(1). The shard's map and index. */
const view = (ctx: CommandContext) => ({ ...ctx.shard.map, shard: ctx.shard.shard });

/** O(1). SHARD_OWNS_BOARD when this shard's map puts `board` here. */
function refuseOwned(ctx: CommandContext, board: string, what: string): void {
  if (ctx.shard.owner(board) === ctx.shard.shard) {
    throw new ScoreboardError(
      ErrorCode.SHARD_OWNS_BOARD,
      `Shard ${ctx.shard.shard} holds board "${board}" by its map: it cannot ${what} it.`,
    );
  }
}

/**
 * Handlers of the move steps. `shardmap.*` and `board.freeze` are O(moved), `board.export`,
 * `board.import` and `board.drop` O(n of the board).
 */
export const moveHandlers = {
  'shardmap.get': (_args, ctx) => view(ctx),
  'shardmap.set': (args, ctx) => {
    const shard = ctx.shard;
    if (args.shard !== shard.shard) {
      throw new ScoreboardError(
        ErrorCode.SHARD_MISROUTED,
        `This is shard ${shard.shard}, not ${args.shard}.`,
      );
    }
    const next = args.map;
    const held = shard.map;
    if (next.epoch < held.epoch || (next.epoch === held.epoch && !sameShardMap(next, held))) {
      throw new ScoreboardError(
        ErrorCode.SHARD_MAP_STALE,
        `Shard ${shard.shard} holds epoch ${held.epoch}; epoch ${next.epoch} is not newer.`,
      );
    }
    if (next.epoch > held.epoch || !shard.placed) {
      const map = {
        ...next,
        moved: Object.assign(Object.create(null) as Record<string, number>, next.moved),
      };
      ctx.apply({ type: RecordType.ShardMap, at: ctx.now, map });
    }
    return view(ctx);
  },
  'board.freeze': (args, ctx) => {
    const board = ctx.data.board(args.board);
    const frozen = args.frozen ?? true;
    if (ctx.shard.frozen.has(board.id) !== frozen) {
      ctx.apply({ type: RecordType.Freeze, at: ctx.now, board: board.id, frozen });
    }
    return { board: board.id, entries: board.size };
  },
  'board.export': (args, ctx) => {
    const { records, entries } = ctx.transfer.exportBoard(args.board);
    return { board: args.board, entries, records: records.toString('base64') };
  },
  'board.import': (args, ctx) => {
    refuseOwned(ctx, args.board, 'import');
    let records;
    try {
      records = RankingState.readExport(args.board, Buffer.from(args.records, 'base64'));
    } catch (err) {
      throw new ScoreboardError(ErrorCode.PROTOCOL_MALFORMED, `Not an export: ${(err as Error).message}.`);
    }
    ctx.apply({ type: RecordType.Import, at: ctx.now, board: args.board, records });
    return { board: args.board, entries: ctx.data.board(args.board).size };
  },
  'board.drop': (args, ctx) => {
    refuseOwned(ctx, args.board, 'drop');
    const id = args.board;
    const dropped = ctx.data.find(id) !== undefined;
    if (id === DEFAULT_BOARD) {
      // The default board always exists: it is replaced by an empty one.
      const empty = {
        config: DEFAULT_CONFIG,
        created: ctx.now,
        period: { id: 1, start: ctx.now, end: null },
      };
      ctx.apply({
        type: RecordType.Import,
        at: ctx.now,
        board: id,
        records: [boardRecordOf(id, empty, ctx.now)],
      });
    } else if (dropped) {
      ctx.apply({ type: RecordType.BoardDelete, at: ctx.now, board: id });
    }
    if (ctx.shard.frozen.has(id))
      ctx.apply({ type: RecordType.Freeze, at: ctx.now, board: id, frozen: false });
    return { board: id, dropped };
  },
} satisfies Partial<HandlerTable>;
