/** Periods in the model: the list, the reads of a period (live or finished), a player's history. */
import { isoOf } from '@scoreboard/calendar';
import { ErrorCode } from '@scoreboard/protocol';
import { Refusal, type ModelArchive, type ModelPeriod, type ModelState } from '../state.js';
import type { ModelTable } from './handler.js';

/** A period as answered. */
export const info = (p: ModelPeriod) => ({
  id: p.id,
  start: isoOf(p.start),
  end: p.end === null ? null : isoOf(p.end),
});

/** A finished period of a board; PERIOD_NOT_FOUND for the live one (results come at its end) or one not kept. */
function finished(m: ModelState, board: string, id: number): ModelArchive {
  const p = m.board(board).archives.find((x) => x.id === id);
  if (!p) throw new Refusal(ErrorCode.PERIOD_NOT_FOUND);
  return p;
}

/** The model's period commands. */
export const periodHandlers = {
  'board.periods': (a, m) => {
    const b = m.board(a.board);
    return [
      { ...info(b.period), count: b.rows.length },
      ...[...b.archives]
        .reverse()
        .map((p) => ({ ...info(p), count: p.rows.filter((r) => !m.bans.has(r.user)).length })),
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
  'period.results': (a, m) => {
    const all = finished(m, a.board, a.period).outcomes;
    const after = a.after === undefined ? 0 : Number(a.after);
    const rest = all.filter((r) => r.place > after);
    const page = rest.slice(0, a.limit);
    return {
      results: page.map(({ place: _, ...r }) => r),
      next: rest.length > a.limit ? String(page[page.length - 1]!.place) : null,
    };
  },
  'period.result': (a, m) => {
    const found = finished(m, a.board, a.period).outcomes.find((r) => r.user === a.user);
    if (!found) throw new Refusal(ErrorCode.USER_NOT_FOUND);
    const { place: _, ...r } = found;
    return r;
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
