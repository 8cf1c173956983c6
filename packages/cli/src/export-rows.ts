/** Export of a board, best first, as player rows (the import's format), a page at a time. */
import type { Api } from './api.js';
import type { PlayerRow } from './rows.js';

/** Rows per request: the window route's widest page. */
const PAGE = 1001;

interface RankedRow {
  user: string | number;
  total: number;
  subscore?: number;
  name?: string;
  country?: string;
  metadata?: Record<string, unknown>;
}

/** O(n) rows, O(n / 1 000) requests. Every row of `board`'s current period, best first. */
export async function* exportRows(api: Api, board: string): AsyncGenerator<PlayerRow> {
  const id = encodeURIComponent(board);
  const half = (PAGE - 1) / 2;
  for (let first = 1; ; first += PAGE) {
    // The window around position p with scope s is positions p−s … p+s.
    const page = await api.request<RankedRow[]>('GET', `/boards/${id}/top/${first + half}/${half}`);
    for (const r of page) {
      yield {
        user: r.user,
        ...(r.name ? { name: r.name } : {}),
        ...(r.country ? { country: r.country } : {}),
        total: r.total,
        ...(r.subscore !== undefined ? { subscore: r.subscore } : {}),
        ...(r.metadata ? { metadata: r.metadata } : {}),
      };
    }
    if (page.length < PAGE) return;
  }
}
