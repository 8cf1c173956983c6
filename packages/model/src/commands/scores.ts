/** Score writes in the model: `set`/`add` on the default board, `score.put`, `score.batch`, `entry.delete`. */
import { DEFAULT_BOARD, ErrorCode } from '@scoreboard/protocol';
import { Refusal } from '../state.js';
import type { ModelTable } from './handler.js';

/** The model's score writes. */
export const scoreHandlers = {
  set: (a, m) => ({
    user: a.user,
    total: m.write(m.board(DEFAULT_BOARD), a.user, { total: a.total }, a.metadata).total,
  }),
  add: (a, m) => ({
    user: a.user,
    total: m.write(m.board(DEFAULT_BOARD), a.user, { delta: a.delta }, a.metadata).total,
  }),
  'score.put': (a, m) => {
    const b = m.board(a.board);
    const row = m.write(b, a.user, m.writeOf(a), a.metadata);
    return { user: a.user, total: row.total, rank: m.rankOf(b, b.rows, row, 'ordinal') };
  },
  'score.batch': (a, m) => m.batch(m.board(a.board), a.scores),
  'entry.delete': (a, m) => {
    const b = m.board(a.board);
    const before = b.rows.length;
    b.rows = b.rows.filter((r) => r.user !== a.user);
    if (b.rows.length === before) throw new Refusal(ErrorCode.USER_NOT_FOUND);
    b.results.delete(a.user);
    return { removed: true as const };
  },
} satisfies Partial<ModelTable>;
