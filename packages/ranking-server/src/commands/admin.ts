/** Operations: empty the default board (logged), the health probe, the state's digest. */
import type { HandlerTable } from '../engine/handler.js';
import { RecordType } from '../records/index.js';

/** Handlers of the operations. `reset` and `digest` are O(n), `ping` O(1), `cluster` O(standbys). */
export const adminHandlers = {
  reset: (_args, ctx) => {
    const board = ctx.data.defaultBoard;
    const removed = board.size;
    ctx.apply({ type: RecordType.BoardReset, at: ctx.now, board: board.id });
    return { removed };
  },
  ping: (_args, ctx) => {
    const stalled = ctx.storageStalled();
    const users = ctx.data.defaultBoard.size;
    return stalled
      ? { status: 'degraded', users, reason: `the log cannot be written (${stalled}): writes are refused` }
      : { status: 'ok', users };
  },
  digest: (_args, ctx) => ctx.digest(),
  cluster: (_args, ctx) => ctx.cluster(),
} satisfies Partial<HandlerTable>;
