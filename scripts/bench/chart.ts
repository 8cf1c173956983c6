/**
 * A small SVG line chart for the benchmark: throughput against the number of clients, and against
 * board size (log scale), one line per system. No dependencies: it writes the SVG by hand.
 */

interface Series {
  name: string;
  color: string;
  points: Array<[number, number]>;
}

const W = 420;
const H = 340;
/** The legend sits above the plot area, so it never hides a line. */
const PAD = { l: 64, r: 16, t: 84, b: 48 };

function panel(
  x0: number,
  title: string,
  xLabel: string,
  series: Series[],
  logX: boolean,
  ticks: number[],
): string {
  const xs = ticks.map((t) => (logX ? Math.log10(t) : t));
  const xMin = Math.min(...xs);
  const xMax = Math.max(...xs);
  const yMax = Math.max(1, ...series.flatMap((s) => s.points.map((p) => p[1]))) * 1.1;
  const sx = (v: number): number =>
    x0 + PAD.l + (((logX ? Math.log10(v) : v) - xMin) / (xMax - xMin || 1)) * (W - PAD.l - PAD.r);
  const sy = (v: number): number => PAD.t + (1 - v / yMax) * (H - PAD.t - PAD.b);
  const out: string[] = [];
  out.push(`<text x="${x0 + W / 2}" y="20" text-anchor="middle" font-weight="bold">${title}</text>`);
  out.push(
    `<line x1="${x0 + PAD.l}" y1="${H - PAD.b}" x2="${x0 + W - PAD.r}" y2="${H - PAD.b}" stroke="#333"/>`,
  );
  out.push(`<line x1="${x0 + PAD.l}" y1="${PAD.t}" x2="${x0 + PAD.l}" y2="${H - PAD.b}" stroke="#333"/>`);
  for (let i = 0; i <= 4; i++) {
    const v = (yMax / 4) * i;
    out.push(`<line x1="${x0 + PAD.l}" y1="${sy(v)}" x2="${x0 + W - PAD.r}" y2="${sy(v)}" stroke="#ddd"/>`);
    out.push(
      `<text x="${x0 + PAD.l - 6}" y="${sy(v) + 4}" text-anchor="end">${Math.round(v).toLocaleString('en-US')}</text>`,
    );
  }
  for (const t of ticks) {
    const label = t >= 1e6 ? `${t / 1e6}M` : t >= 1e3 ? `${t / 1e3}k` : String(t);
    out.push(`<text x="${sx(t)}" y="${H - PAD.b + 16}" text-anchor="middle">${label}</text>`);
  }
  out.push(`<text x="${x0 + W / 2}" y="${H - 10}" text-anchor="middle">${xLabel}</text>`);
  series.forEach((s, i) => {
    const pts = s.points.map(([x, y]) => `${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join(' ');
    out.push(`<polyline fill="none" stroke="${s.color}" stroke-width="2.5" points="${pts}"/>`);
    for (const [x, y] of s.points)
      out.push(`<circle cx="${sx(x)}" cy="${sy(y)}" r="3.5" fill="${s.color}"/>`);
    out.push(`<rect x="${x0 + PAD.l + 10}" y="${30 + i * 16}" width="10" height="10" fill="${s.color}"/>`);
    out.push(`<text x="${x0 + PAD.l + 26}" y="${39 + i * 16}">${s.name}</text>`);
  });
  return out.join('\n');
}

/** O(points). The two-panel SVG for the sweeps. */
export function renderChart(
  byClients: Array<{ clients: number; ours: number; peer: number; ceiling: number }>,
  byUsers: Array<{ users: number; ours: number; peer: number }>,
): string {
  const left = panel(
    0,
    'PUT /score (relative) req/s by clients',
    'HTTP client processes behind nginx',
    [
      { name: 'scoreboard', color: '#1f77b4', points: byClients.map((r) => [r.clients, r.ours]) },
      { name: 'Fastify + Redis peer', color: '#d62728', points: byClients.map((r) => [r.clients, r.peer]) },
      {
        name: 'ceiling (constant reply)',
        color: '#7f7f7f',
        points: byClients.map((r) => [r.clients, r.ceiling]),
      },
    ],
    false,
    byClients.map((r) => r.clients),
  );
  const right = panel(
    W,
    'PUT /score (relative) req/s by board size',
    'users on the board (log scale)',
    [
      { name: 'scoreboard', color: '#1f77b4', points: byUsers.map((r) => [r.users, r.ours]) },
      { name: 'Fastify + Redis peer', color: '#d62728', points: byUsers.map((r) => [r.users, r.peer]) },
    ],
    true,
    byUsers.map((r) => r.users),
  );
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${2 * W}" height="${H}" font-family="sans-serif" font-size="11">
<rect width="100%" height="100%" fill="white"/>
${left}
${right}
</svg>
`;
}
