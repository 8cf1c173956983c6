// A player's page: GET /players/:user/page. The profile, the rank on every board, and on boards
// that keep a best-results history, the best runs.
const $ = (id) => document.getElementById(id);
const enc = encodeURIComponent;
const user = decodeURIComponent(location.pathname.split('/')[2] || '');

const api = async (path) => {
  const res = await fetch(path);
  const body = await res.json();
  if (!res.ok) throw new Error(body.error ? body.error.message : `HTTP ${res.status}`);
  return body;
};

function cell(tag, text, cls) {
  const el = document.createElement(tag);
  el.textContent = String(text);
  if (cls) el.className = cls;
  return el;
}

/**
 * A table of the player's tier in each finished period of a board with tiers (newest first), from
 * the periods' results; undefined when the board has no tiers or the player no result.
 */
async function tierHistory(board, id) {
  const periods = await api(`/boards/${enc(board)}/periods`).catch(() => []);
  const results = await Promise.all(
    periods.slice(1).map((p) =>
      api(`/boards/${enc(board)}/periods/${p.id}/results/${enc(id)}`).then(
        (r) => [p, r],
        () => null,
      ),
    ),
  );
  const rows = results.filter((x) => x && x[1].tier);
  if (!rows.length) return undefined;
  const table = document.createElement('table');
  table.className = 'tiers';
  table.append(cell('caption', 'Tier history'));
  const head = document.createElement('tr');
  head.append(
    cell('th', 'Period'),
    cell('th', 'Tier'),
    cell('th', 'Rank in bucket', 'num'),
    cell('th', 'Next'),
  );
  table.createTHead().append(head);
  const body = table.createTBody();
  for (const [p, r] of rows) {
    const tr = document.createElement('tr');
    tr.dataset.period = String(p.id);
    tr.dataset.tier = r.tier;
    tr.dataset.next = r.nextTier;
    const move = r.nextTier === r.tier ? 'stays' : `→ ${r.nextTier}`;
    tr.append(
      cell('td', p.start.slice(0, 10)),
      cell('td', r.tier),
      cell('td', r.rank, 'num'),
      cell('td', move),
    );
    body.append(tr);
  }
  return table;
}

async function start() {
  let player;
  try {
    player = await api(`/players/${enc(user)}`);
  } catch (err) {
    $('status').textContent = err.message;
    return;
  }
  $('name').textContent = player.name || String(player.user);
  document.title = `${player.name || player.user} · scoreboard`;
  $('info').textContent = [String(player.user), player.country].filter(Boolean).join(' · ');
  const sections = [];
  for (const [board, standing] of Object.entries(player.boards || {})) {
    const section = document.createElement('section');
    section.dataset.board = board;
    const h2 = cell('h2', board);
    const link = document.createElement('a');
    link.href = `/leaderboard?board=${enc(board)}&player=${enc(String(player.user))}`;
    link.textContent = `rank ${standing.rank} with ${standing.total}`;
    const p = document.createElement('p');
    p.append(link);
    if (standing.countryRank) p.append(` · rank ${standing.countryRank} in ${player.country}`);
    section.append(h2, p);
    const history = await api(`/boards/${enc(board)}/users/${enc(String(player.user))}/history`).catch(
      () => [],
    );
    if (history.length) {
      const table = document.createElement('table');
      table.className = 'runs';
      table.append(cell('caption', 'Best runs'));
      const head = document.createElement('tr');
      head.append(cell('th', 'Score', 'num'), cell('th', 'When'));
      table.createTHead().append(head);
      const body = table.createTBody();
      for (const run of history) {
        const tr = document.createElement('tr');
        tr.dataset.total = String(run.total);
        tr.append(cell('td', run.total, 'num'), cell('td', new Date(run.at).toLocaleString()));
        body.append(tr);
      }
      section.append(table);
    }
    const tiers = await tierHistory(board, String(player.user));
    if (tiers) section.append(tiers);
    sections.push(section);
  }
  $('boards').replaceChildren(...sections);
  if (!sections.length) $('status').textContent = 'No scores yet.';
}

start();
