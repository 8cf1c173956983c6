/** Score writes in the model: `set`/`add` on the default board, `score.put`, `score.batch`, `entry.delete`. */
import { DEFAULT_BOARD, ErrorCode } from '@scoreboard/protocol';
import { Refusal } from '../state.js';
import type { ModelTable } from './handler.js';

/** The model's score writes. */
export const scoreHandlers = {
  set: (a, m) => {
    const b = m.board(DEFAULT_BOARD);
    return m.kept(b, m.write(b, a.user, m.writeOf(a), a.metadata));
  },
  add: (a, m) => {
    const b = m.board(DEFAULT_BOARD);
    return m.kept(b, m.write(b, a.user, m.writeOf(a), a.metadata));
  },
  'score.put': (a, m) => {
    const b = m.board(a.board);
    const row = m.write(b, a.user, m.writeOf(a), a.metadata);
    return { ...m.kept(b, row), rank: m.writeRank(b, row) };
  },
  'score.batch': (a, m) => m.batch(m.board(a.board), a.scores),
  'entry.delete': (a, m) => {
    const b = m.board(a.board);
    const before = b.rows.length;
    b.rows = b.rows.filter((r) => r.user !== a.user);
    // A banned player's hidden row is an entry a moderator may remove too.
    if (b.rows.length === before && !b.hidden.delete(a.user)) throw new Refusal(ErrorCode.USER_NOT_FOUND);
    b.results.delete(a.user);
    return { removed: true as const };
  },
} satisfies Partial<ModelTable>;
