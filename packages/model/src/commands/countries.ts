/** Countries in the model: counts per country, a country's top and around-me. */
import { ErrorCode } from '@scoreboard/protocol';
import { Refusal } from '../state.js';
import type { ModelTable } from './handler.js';

/** The model's country reads. */
export const countryHandlers = {
  'board.countries': (a, m) => {
    const counts = new Map<string, number>();
    for (const r of m.board(a.board).rows) {
      const c = m.profiles.get(r.user)?.country;
      if (c) counts.set(c, (counts.get(c) ?? 0) + 1);
    }
    return [...counts]
      .map(([country, count]) => ({ country, count }))
      .sort((x, y) => y.count - x.count || (x.country < y.country ? -1 : 1));
  },
  'country.top': (a, m) => {
    const b = m.board(a.board);
    return m.page(b, m.inCountry(b, a.country), 0, a.n, a.rank ?? 'ordinal');
  },
  'country.around': (a, m) => {
    const b = m.board(a.board);
    const rows = m.inCountry(b, a.country);
    if (!rows.some((r) => r.user === a.user)) throw new Refusal(ErrorCode.USER_NOT_FOUND);
    return m.around(b, rows, a.user, a.size, a.rank ?? 'ordinal');
  },
} satisfies Partial<ModelTable>;
