/** Boards: create or reconfigure, read, list, delete. Each change is logged as the whole config. */
import type { BoardView } from '@scoreboard/protocol';
import type { Board, BoardConfig } from '../board/board.js';
import type { HandlerTable } from '../engine/handler.js';
import { RecordType } from '../persistence/records.js';

/** O(1). The config fields a `board.put` gives. */
function patchOf(args: Partial<BoardConfig> & { board: string }): Partial<BoardConfig> {
  const patch: Partial<BoardConfig> = {};
  if (args.order !== undefined) patch.order = args.order;
  if (args.operator !== undefined) patch.operator = args.operator;
  if (args.min !== undefined) patch.min = args.min;
  if (args.max !== undefined) patch.max = args.max;
  return patch;
}

const sameConfig = (a: Readonly<BoardConfig>, b: Readonly<BoardConfig>): boolean =>
  a.order === b.order && a.operator === b.operator && a.min === b.min && a.max === b.max;

/** Handlers of the board commands. O(1) each but `board.list` (O(B log B)) and `board.delete` (O(n)). */
export const boardHandlers = {
  'board.put': (args, ctx) => {
    const before = ctx.data.find(args.board)?.config;
    const frozen = before ? { ...before } : undefined;
    const { board, created } = ctx.data.put(args.board, patchOf(args));
    if (!frozen || !sameConfig(frozen, board.config)) {
      ctx.log({ type: RecordType.Board, at: ctx.now, board: board.id, config: { ...board.config } });
    }
    return { created, board: board.view() };
  },
  'board.get': (args, ctx) => ctx.data.board(args.board).view(),
  'board.list': (_args, ctx) => ctx.data.list().map((b: Board): BoardView => b.view()),
  'board.delete': (args, ctx) => {
    ctx.data.delete(args.board);
    ctx.log({ type: RecordType.BoardDelete, at: ctx.now, board: args.board });
    return { deleted: true as const };
  },
} satisfies Partial<HandlerTable>;
