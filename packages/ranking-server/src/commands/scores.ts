/** Score writes: `set` an absolute total, `add` a relative score; each logs what it left. */
import type { Entry } from '@scoreboard/protocol';
import type { Written } from '../board/leaderboard.js';
import type { CommandContext, HandlerTable } from '../engine/handler.js';
import { RecordType } from '../persistence/records.js';

/** O(1). Logs the user's resulting (total, seq) with the request's key; answers the entry. */
function logged(ctx: CommandContext, w: Written): Entry {
  const { user, total, seq } = w;
  ctx.journal.append(
    ctx.key
      ? { type: RecordType.Set, user, total, seq, at: ctx.now, key: ctx.key }
      : { type: RecordType.Set, user, total, seq, at: ctx.now },
  );
  return { user, total };
}

/** Handlers of the score writes. O(log n) each. */
export const scoreHandlers = {
  set: (args, ctx) => logged(ctx, ctx.state.board.setTotal(args.user, args.total)),
  add: (args, ctx) => logged(ctx, ctx.state.board.addScore(args.user, args.delta)),
} satisfies Partial<HandlerTable>;
