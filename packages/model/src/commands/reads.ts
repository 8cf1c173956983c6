/** Reads in the model: the original routes' reads of the default board, and a board's reads. */
import { DEFAULT_BOARD } from '@scoreboard/protocol';
import type { ModelTable } from './handler.js';

/** The model's reads. */
export const readHandlers = {
  top: (a, m) => m.ranked().slice(0, a.n),
  around: (a, m) => {
    const all = m.ranked();
    return all.slice(Math.max(1, a.position - a.scope) - 1, Math.min(all.length, a.position + a.scope));
  },
  get: (a, m) => {
    const row = m.rowOf(m.board(DEFAULT_BOARD), a.user, 'ordinal');
    return row.metadata === undefined
      ? { user: row.user, total: row.total, rank: row.rank }
      : { user: row.user, total: row.total, rank: row.rank, metadata: row.metadata };
  },
  'board.top': (a, m) => {
    const b = m.board(a.board);
    return m.page(b, b.rows, 0, a.n, a.rank ?? 'ordinal');
  },
  'board.window': (a, m) => {
    const b = m.board(a.board);
    const from = Math.max(1, a.position - a.scope);
    const count = Math.max(0, Math.min(b.rows.length, a.position + a.scope) - from + 1);
    return m.page(b, b.rows, from - 1, count, a.rank ?? 'ordinal');
  },
  'board.user': (a, m) => m.standing(m.board(a.board), a.user, a.rank ?? 'ordinal'),
  'board.around': (a, m) => {
    const b = m.board(a.board);
    return m.around(b, b.rows, a.user, a.size, a.rank ?? 'ordinal');
  },
  'board.users': (a, m) => {
    const b = m.board(a.board);
    const ids = new Set(a.ids);
    return m
      .sorted(b)
      .filter((r) => ids.has(r.user))
      .map((r) => m.view(b, r, m.rankOf(b, b.rows, r, a.rank ?? 'ordinal')));
  },
  'board.range': (a, m) => {
    const b = m.board(a.board);
    const inRange = m.sorted(b).filter((r) => r.total >= a.min && r.total <= a.max);
    return {
      count: inRange.length,
      entries: inRange
        .slice(0, a.limit)
        .map((r) => m.view(b, r, m.rankOf(b, b.rows, r, a.rank ?? 'ordinal'))),
    };
  },
  'board.count': (a, m) => {
    const b = m.board(a.board);
    const count = b.rows.length;
    if (a.total === undefined) return { count };
    const total = a.total;
    const atLeast = b.rows.filter((r) => (b.order === 'desc' ? r.total >= total : r.total <= total)).length;
    return { count, total, atLeast, percentile: count === 0 ? 0 : (100 * (count - atLeast)) / count };
  },
} satisfies Partial<ModelTable>;
