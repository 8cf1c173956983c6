// Ranked rows in a table, shared by the pages: each row carries data-user, data-rank and
// data-total; the viewer's own row is marked, and a row whose rank or total moved since the
// table's last rows flashes.

/**
 * Replaces `body`'s rows with `rows`, one cell per column (each a function of the row and a
 * class); `me` is the viewer's user id, if any.
 */
export function renderRows(body, rows, columns, me) {
  const before = new Map(
    [...body.rows].map((tr) => [tr.dataset.user, `${tr.dataset.rank}:${tr.dataset.total}`]),
  );
  body.replaceChildren(
    ...rows.map((row) => {
      const tr = document.createElement('tr');
      tr.dataset.user = String(row.user);
      tr.dataset.rank = String(row.rank);
      tr.dataset.total = row.subscore === undefined ? String(row.total) : `${row.total}/${row.subscore}`;
      if (me && String(row.user) === String(me)) tr.classList.add('me-row');
      if (before.size && before.get(String(row.user)) !== `${row.rank}:${tr.dataset.total}`)
        tr.classList.add('changed');
      for (const [text, cls] of columns) {
        const td = document.createElement('td');
        td.textContent = String(text(row));
        if (cls) td.className = cls;
        tr.append(td);
      }
      return tr;
    }),
  );
}

/** The usual columns: rank, name (or id), country, total (with its subscore on a board with one: "12 · 8722"). */
export const RANK = [(r) => r.rank, 'num'];
export const NAME = [(r) => r.name || r.user, ''];
export const COUNTRY = [(r) => r.country || '', ''];
export const TOTAL = [(r) => (r.subscore === undefined ? r.total : `${r.total} · ${r.subscore}`), 'num'];
