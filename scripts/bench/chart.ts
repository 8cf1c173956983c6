/**
 * A small SVG chart for the benchmark: throughput against the number of clients, and against
 * board size (log scale), one line per system; below, the CPU budget as stacked bars. No dependencies: it writes the SVG by hand.
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

/** A stacked bar: a label and its parts (name, value), drawn bottom up. */
export interface Bar {
  label: string;
  parts: Array<[string, number]>;
}

const PART_COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#9467bd'];
const BAR_H = 380;

/** O(bars). A panel of stacked bars across the full width, its top at `y0`. */
function barPanel(y0: number, title: string, unit: string, bars: readonly Bar[]): string {
  const width = 2 * W;
  const top = y0 + 50;
  const bottom = y0 + BAR_H - 110;
  const yMax =
    Math.max(1, ...bars.map((b) => b.parts.reduce((s, [, v]) => s + (Number.isFinite(v) ? v : 0), 0))) * 1.1;
  const sy = (v: number): number => bottom - (v / yMax) * (bottom - top);
  const step = (width - PAD.l - PAD.r) / Math.max(1, bars.length);
  const out: string[] = [];
  out.push(`<text x="${width / 2}" y="${y0 + 20}" text-anchor="middle" font-weight="bold">${title}</text>`);
  out.push(`<line x1="${PAD.l}" y1="${bottom}" x2="${width - PAD.r}" y2="${bottom}" stroke="#333"/>`);
  for (let i = 0; i <= 4; i++) {
    const v = (yMax / 4) * i;
    out.push(`<line x1="${PAD.l}" y1="${sy(v)}" x2="${width - PAD.r}" y2="${sy(v)}" stroke="#ddd"/>`);
    out.push(`<text x="${PAD.l - 6}" y="${sy(v) + 4}" text-anchor="end">${Math.round(v)}</text>`);
  }
  out.push(
    `<text x="14" y="${(top + bottom) / 2}" transform="rotate(-90 14 ${(top + bottom) / 2})" text-anchor="middle">${unit}</text>`,
  );
  const names = [...new Set(bars.flatMap((b) => b.parts.map(([n]) => n)))];
  names.forEach((n, i) => {
    out.push(
      `<rect x="${PAD.l + 10 + i * 90}" y="${y0 + 30}" width="10" height="10" fill="${PART_COLORS[i % PART_COLORS.length]}"/>`,
    );
    out.push(`<text x="${PAD.l + 26 + i * 90}" y="${y0 + 39}">${n}</text>`);
  });
  bars.forEach((b, i) => {
    const x = PAD.l + i * step + step * 0.15;
    let acc = 0;
    for (const [n, v] of b.parts) {
      if (!Number.isFinite(v)) continue;
      const color = PART_COLORS[names.indexOf(n) % PART_COLORS.length];
      out.push(
        `<rect x="${x.toFixed(1)}" y="${sy(acc + v).toFixed(1)}" width="${(step * 0.7).toFixed(1)}" height="${(sy(acc) - sy(acc + v)).toFixed(1)}" fill="${color}"/>`,
      );
      acc += v;
    }
    out.push(
      `<text x="${(x + step * 0.35).toFixed(1)}" y="${sy(acc) - 4}" text-anchor="middle">${Math.round(acc)}</text>`,
    );
    const lx = x + step * 0.35;
    out.push(
      `<text x="${lx.toFixed(1)}" y="${bottom + 12}" text-anchor="end" transform="rotate(-40 ${lx.toFixed(1)} ${bottom + 12})">${b.label}</text>`,
    );
  });
  return out.join('\n');
}

/**
 * O(points + bars). The SVG: the two sweep panels side by side, and below them (when given) the CPU
 * budget's stacked bars, µs per request by process kind for each system and workload.
 */
export function renderChart(
  byClients: Array<{ clients: number; ours: number; peer: number; ceiling: number }>,
  byUsers: Array<{ users: number; ours: number; peer: number }>,
  budget: readonly Bar[] = [],
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
  const bars =
    budget.length > 0
      ? barPanel(H, 'CPU µs per request by process kind (the load generator apart)', 'µs per request', budget)
      : '';
  const height = budget.length > 0 ? H + BAR_H : H;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${2 * W}" height="${height}" font-family="sans-serif" font-size="11">
<rect width="100%" height="100%" fill="white"/>
${left}
${right}
${bars}
</svg>
`;
}
