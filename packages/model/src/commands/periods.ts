/** Periods in the model: the list, the reads of a period (live or finished), a player's history. */
import { isoOf } from '@scoreboard/calendar';
import { ErrorCode } from '@scoreboard/protocol';
import { Refusal, type ModelPeriod } from '../state.js';
import type { ModelTable } from './handler.js';

/** A period as answered. */
export const info = (p: ModelPeriod) => ({
  id: p.id,
  start: isoOf(p.start),
  end: p.end === null ? null : isoOf(p.end),
});

/** The model's period commands. */
export const periodHandlers = {
  'board.periods': (a, m) => {
    const b = m.board(a.board);
    return [
      { ...info(b.period), count: b.rows.length },
      ...[...b.archives].reverse().map((p) => ({ ...info(p), count: p.rows.length })),
    ];
  },
  'period.top': (a, m) => {
    const [b, rows] = m.periodRows(a.board, a.period);
    return m.page(b, rows, 0, a.n, a.rank ?? 'ordinal');
  },
  'period.window': (a, m) => {
    const [b, rows] = m.periodRows(a.board, a.period);
    const from = Math.max(1, a.position - a.scope);
    const count = Math.max(0, Math.min(rows.length, a.position + a.scope) - from + 1);
    return m.page(b, rows, from - 1, count, a.rank ?? 'ordinal');
  },
  'period.user': (a, m) => {
    const [b, rows] = m.periodRows(a.board, a.period);
    return m.standing(b, a.user, a.rank ?? 'ordinal', rows);
  },
  'period.around': (a, m) => {
    const [b, rows] = m.periodRows(a.board, a.period);
    return m.around(b, rows, a.user, a.size, a.rank ?? 'ordinal');
  },
  'board.history': (a, m) => {
    const b = m.board(a.board);
    const [, rows, results] = m.periodRows(a.board, a.period ?? b.period.id);
    if (!rows.some((r) => r.user === a.user)) throw new Refusal(ErrorCode.USER_NOT_FOUND);
    return (results.get(a.user) ?? []).map((r) =>
      r.metadata
        ? { total: r.total, at: isoOf(r.at), metadata: r.metadata }
        : { total: r.total, at: isoOf(r.at) },
    );
  },
} satisfies Partial<ModelTable>;
