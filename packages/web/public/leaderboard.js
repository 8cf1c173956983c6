// The live leaderboard page: GET /leaderboard?board=<id>. Plain JavaScript, no framework.
// The current period's "All" view follows the board's event stream (server-sent events): rows
// change without a reload and without polling. Country tabs and past periods are read once.
import { COUNTRY, NAME, RANK, TOTAL, renderRows } from '/assets/rows.js';

const params = new URLSearchParams(location.search);
const board = params.get('board') || 'default';
const $ = (id) => document.getElementById(id);
const state = {
  n: 25,
  country: null,
  period: null,
  player: params.get('player') || '',
  stream: null,
  /** The board's view (its bucket size, tiers, promote and relegate), once read. */
  info: null,
};

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
    showBucket();
    return;
  }
  me.hidden = false;
  const name = standing.name || standing.user;
  me.textContent =
    `${name}: rank ${standing.rank} of ${standing.count} with ${standing.total}` +
    (standing.countryRank ? ` (rank ${standing.countryRank} in ${standing.country})` : '') +
    (standing.bucket ? ` · bucket ${standing.bucket}` : '') +
    (standing.tier ? ` · ${standing.tier}` : '');
  showBucket();
}

/**
 * How many of a bucket of `ranked` players a movement (a count, or "N%") moves: as the server
 * counts at a period's end (rounded down; at least 1 from a full bucket).
 */
function moved(movement, ranked, full) {
  if (typeof movement === 'number') return Math.min(movement, ranked);
  const percent = Number(String(movement).replace('%', ''));
  const k = Math.floor((ranked * percent) / 100);
  return k === 0 && full && percent > 0 ? Math.min(1, ranked) : k;
}

/** The zone of each rank in a bucket of the board's tier `tier`: promote, relegate or ''. */
function zones(tier, ranked) {
  const info = state.info;
  const tiers = info && info.tiers;
  if (!tiers) return () => '';
  const at = tiers.findIndex((t) => t.name === tier);
  const full = info.bucket ? ranked >= info.bucket.size : false;
  const own = tiers[at] || {};
  const up = at === tiers.length - 1 ? 0 : moved(own.promote ?? info.promote, ranked, full);
  const down = at === 0 ? 0 : Math.min(moved(own.relegate ?? info.relegate, ranked, full), ranked - up);
  return (rank) => (rank <= up ? 'promote' : rank > ranked - down ? 'relegate' : '');
}

/** The selected player's bucket, its tier and its promotion and relegation zones (boards with buckets). */
async function showBucket() {
  const panel = $('bucket');
  const live = state.country === null && state.period === null;
  if (!state.player || !live || !state.info || !state.info.bucket) return void (panel.hidden = true);
  let view;
  try {
    view = await api(`/boards/${enc(board)}/buckets/${enc(state.player)}`);
  } catch {
    return void (panel.hidden = true);
  }
  const zone = zones(view.tier, view.entries.length);
  const label = { promote: '▲ up', relegate: '▼ down', '': '' };
  renderRows(
    $('bucket-rows').tBodies[0],
    view.entries,
    [RANK, NAME, [(r) => label[zone(r.rank)], 'zone'], TOTAL],
    state.player,
  );
  for (const tr of $('bucket-rows').tBodies[0].rows) {
    const z = zone(Number(tr.dataset.rank));
    if (z) tr.dataset.zone = z;
  }
  $('bucket-caption').textContent =
    `Bucket ${view.bucket}` +
    (view.tier ? ` · ${view.tier}` : '') +
    ` · rank ${view.rank} of ${view.entries.length}`;
  panel.hidden = false;
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
    state.info = info;
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
