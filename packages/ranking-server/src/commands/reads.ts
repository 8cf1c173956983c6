/** Board reads: the top N (from the page cache), a window of positions, one user's row. */
import { ErrorCode, ScoreboardError } from '@scoreboard/protocol';
import type { HandlerTable } from '../engine/handler.js';

/** Handlers of the reads. O(log n + page) each; a cached top page is O(1). */
export const readHandlers = {
  top: (args, ctx) => ctx.state.pages.page(args.n),
  around: (args, ctx) => ctx.state.board.around(args.position, args.scope),
  get: (args, ctx) => {
    const entry = ctx.state.board.get(args.user);
    if (!entry) throw new ScoreboardError(ErrorCode.USER_NOT_FOUND);
    return entry;
  },
} satisfies Partial<HandlerTable>;
