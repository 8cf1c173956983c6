/** Operations: empty the board (logged), and the health probe. */
import type { HandlerTable } from '../engine/handler.js';
import { RecordType } from '../persistence/records.js';

/** Handlers of the operations. `reset` is O(capacity), `ping` O(1). */
export const adminHandlers = {
  reset: (_args, ctx) => {
    const removed = ctx.state.board.reset();
    ctx.journal.append({ type: RecordType.Reset, at: ctx.now });
    return { removed };
  },
  ping: (_args, ctx) => ({ status: 'ok', users: ctx.state.board.size }),
} satisfies Partial<HandlerTable>;
