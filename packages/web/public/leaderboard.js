// The live leaderboard page: GET /leaderboard?board=<id>. Plain JavaScript, no framework.
// The current period's "All" view follows the board's event stream (server-sent events): rows
// change without a reload and without polling. Country tabs and past periods are read once.
import { COUNTRY, NAME, RANK, TOTAL, renderRows } from '/assets/rows.js';

const params = new URLSearchParams(location.search);
const board = params.get('board') || 'default';
const $ = (id) => document.getElementById(id);
const state = { n: 25, country: null, period: null, player: params.get('player') || '', stream: null };

const api = async (path) => {
  const res = await fetch(path, { headers: { accept: 'application/json' } });
  const body = await res.json();
  if (!res.ok) throw new Error(body.error ? body.error.message : `HTTP ${res.status}`);
  return body;
};
const enc = encodeURIComponent;

function render(rows, caption) {
  renderRows($('rows').tBodies[0], rows, [RANK, NAME, COUNTRY, TOTAL], state.player);
  $('caption').textContent = caption;
  $('status').textContent = rows.length ? '' : 'No scores yet.';
}

function showMe(standing) {
  const me = $('me');
  if (!standing) {
    me.hidden = !state.player;
    me.textContent = state.player ? `${state.player} has no score on this board yet.` : '';
    return;
  }
  me.hidden = false;
  const name = standing.name || standing.user;
  me.textContent =
    `${name}: rank ${standing.rank} of ${standing.count} with ${standing.total}` +
    (standing.countryRank ? ` (rank ${standing.countryRank} in ${standing.country})` : '');
}

function follow() {
  if (state.stream) state.stream.close();
  state.stream = null;
  $('live').hidden = true;
  const live = state.country === null && state.period === null;
  if (!live || !('EventSource' in window)) return load();
  const query = `n=${state.n}` + (state.player ? `&user=${enc(state.player)}` : '');
  const stream = new EventSource(`/boards/${enc(board)}/events?${query}`);
  state.stream = stream;
  stream.addEventListener('top', (e) => {
    if (state.player) return around(); // the window around the player follows the same pushes
    render(JSON.parse(e.data), `Top ${state.n}`);
  });
  stream.addEventListener('player', (e) => {
    showMe(JSON.parse(e.data));
    if (state.player) around();
  });
  stream.onopen = () => ($('live').hidden = false);
  stream.onerror = () => ($('live').hidden = true); // the browser reconnects by itself
}

async function around() {
  try {
    const rows = await api(
      `/boards/${enc(board)}/around/${enc(state.player)}?size=${Math.floor(state.n / 2)}`,
    );
    render(rows, `Around ${state.player}`);
  } catch {
    // no entry yet: the top, and the card says so
    render(await api(`/boards/${enc(board)}/top/${state.n}`), `Top ${state.n}`);
  }
}

async function load() {
  try {
    if (state.period !== null) {
      render(
        await api(`/boards/${enc(board)}/periods/${state.period}/top/${state.n}`),
        `Top ${state.n} of period ${state.period}`,
      );
    } else if (state.country !== null) {
      render(
        await api(`/boards/${enc(board)}/countries/${state.country}/top/${state.n}`),
        `Top ${state.n} in ${state.country}`,
      );
    }
  } catch (err) {
    $('status').textContent = err.message;
  }
}

async function tabs() {
  const countries = await api(`/boards/${enc(board)}/countries`).catch(() => []);
  const nav = $('countries');
  const make = (label, code) => {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = label;
    b.setAttribute('aria-pressed', String(state.country === code));
    b.onclick = () => {
      state.country = code;
      for (const other of nav.children) other.setAttribute('aria-pressed', String(other === b));
      follow();
    };
    return b;
  };
  nav.replaceChildren(
    make('All', null),
    ...countries.slice(0, 30).map((c) => make(`${c.country} (${c.count})`, c.country)),
  );
  nav.hidden = countries.length === 0;
}

async function start() {
  $('board-name').textContent = board;
  $('board-field').value = board;
  document.title = `${board} · Leaderboard`;
  // Controls work from the first moment; what they show arrives below.
  $('size').value = String(state.n);
  $('size').onchange = () => {
    state.n = Number($('size').value);
    follow();
  };
  $('player').value = state.player;
  $('find').onsubmit = (e) => {
    e.preventDefault();
    state.player = $('player').value.trim();
    const url = new URL(location.href);
    if (state.player) url.searchParams.set('player', state.player);
    else url.searchParams.delete('player');
    history.replaceState(null, '', url);
    follow();
  };
  try {
    const info = await api(`/boards/${enc(board)}`);
    $('board-info').textContent =
      `${info.count} players · ${info.order === 'asc' ? 'lower is better' : 'higher is better'}`;
  } catch (err) {
    $('status').textContent = err.message;
    return;
  }
  const periods = await api(`/boards/${enc(board)}/periods`).catch(() => []);
  const select = $('period');
  select.replaceChildren(
    ...periods.map((p, i) => {
      const o = document.createElement('option');
      o.value = i === 0 ? '' : String(p.id);
      o.textContent = i === 0 ? 'Current' : `${p.start.slice(0, 10)} → ${p.end ? p.end.slice(0, 10) : ''}`;
      return o;
    }),
  );
  select.disabled = periods.length < 2;
  select.onchange = () => {
    state.period = select.value === '' ? null : Number(select.value);
    follow();
  };
  await tabs();
  follow();
}

start();
