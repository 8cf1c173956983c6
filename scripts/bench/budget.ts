/**
 * The CPU budget (issue 23): CPU microseconds per request of every process kind, ours beside the
 * Redis peer at equal work, and the targets each figure is held to.
 *
 * Two pairs of systems, each up together and taking turns: without durability (ours FSYNC=no,
 * Redis as shipped) on PUT absolute, PUT relative and GET /top/100; and with it (FSYNC=always
 * beside AOF appendfsync always) on both PUTs, plus relative PUTs paced at half of ours' peak for
 * the p99. Start-up rows belong to `pnpm bench:core` (startup.ts).
 */
import { asPaced, pacedRun, type Paced } from './pacing.js';
import { fmt } from './report.js';
import { startOurs } from './systems/ours.js';
import { startPeer } from './systems/peer.js';
import type { System } from './systems/system.js';
import { inTurns } from './turns.js';
import { getTop } from './workloads/get-top.js';
import { putAbsolute } from './workloads/put-absolute.js';
import { putRelative } from './workloads/put-relative.js';
import type { Workload } from './workloads/index.js';
import { runWrk, type Result, type WrkRun } from './wrk.js';

/** The board size of the budget runs (the issue's: 100 000 players). */
export const BUDGET_USERS = 100_000;

/** What the budget section measured. */
export interface Budget {
  users: number;
  /** Workload name → system (ours, peer) → result, no durability on either side. */
  memory: Record<string, Record<string, Result>>;
  /** The same with FSYNC=always beside AOF appendfsync always (PUTs only). */
  durable: Record<string, Record<string, Result>>;
  /** Relative PUTs at half of ours' durable peak, FSYNC=always. */
  paced: Paced;
}

/** One target: a figure, what it is held to, and whether it holds. */
export interface Target {
  figure: string;
  target: string;
  value: string;
  met: boolean;
}

const stopAll = async (systems: Record<string, System>): Promise<void> => {
  for (const sys of Object.values(systems)) await sys.stop();
};

/** Runs the budget's two pairs of systems; bounded by rounds × workloads × `run.seconds`. */
export async function cpuBudget(
  rounds: number,
  run: WrkRun,
  clients: number,
  say: (line: string) => void,
  users = BUDGET_USERS,
): Promise<Budget> {
  const measure = async (
    fsync: 'no' | 'always',
    workloads: readonly Workload[],
  ): Promise<{ rows: Record<string, Record<string, Result>>; systems: Record<string, System> }> => {
    const systems: Record<string, System> = {
      ours: await startOurs(clients, users, fsync),
      peer: await startPeer(clients, users, fsync === 'always' ? 'always' : undefined),
    };
    const rows: Record<string, Record<string, Result>> = {};
    for (const w of workloads) {
      rows[w.name] = inTurns(systems, rounds, (sys) => runWrk(sys.url, w, users, sys.pids(), run));
      for (const [name, r] of Object.entries(rows[w.name]!)) {
        say(
          `budget FSYNC=${fsync} ${name.padEnd(4)} ${w.name.padEnd(14)} ${fmt(r.rps)} req/s  µs/req ${usLine(r)}`,
        );
      }
    }
    return { rows, systems };
  };
  const memory = await measure('no', [putAbsolute, putRelative, getTop]);
  await stopAll(memory.systems);
  const durable = await measure('always', [putAbsolute, putRelative]);
  const half = durable.rows[putRelative.name]!['ours']!.rps / 2;
  const ours = { ours: durable.systems['ours']! };
  const paced = asPaced(
    half,
    inTurns(ours, rounds, (sys) => pacedRun(sys.url, half, users, sys.pids(), run.seconds))['ours']!,
  );
  say(
    `budget FSYNC=always paced at ${fmt(half)} req/s: p50 ${fmt(paced.p50ms, 2)} ms, p99 ${fmt(paced.p99ms, 2)} ms`,
  );
  await stopAll(durable.systems);
  return { users, memory: memory.rows, durable: durable.rows, paced };
}

/** O(roles). "server · clients · nginx = total (wrk w)" for one result. */
function usLine(r: Result): string {
  const roles = Object.keys(r.cpuUs).filter((k) => k !== 'wrk');
  const total = roles.reduce((s, k) => s + r.cpuUs[k]!, 0);
  return `${roles.map((k) => fmt(r.cpuUs[k]!, 1)).join(' · ')} = ${fmt(total, 1)} (wrk ${fmt(r.cpuUs['wrk']!, 1)})`;
}

/** O(1). The sum of the system's roles (the load generator apart). */
const systemUs = (r: Result): number =>
  Object.entries(r.cpuUs).reduce((s, [k, v]) => (k === 'wrk' ? s : s + v), 0);

/** O(1). The targets this section measures, each with its figure and status. */
export function budgetTargets(b: Budget): Target[] {
  const m = (w: Workload) => b.memory[w.name]!;
  const d = (w: Workload) => b.durable[w.name]!;
  const ratio = (row: Record<string, Result>) => row['ours']!.rps / row['peer']!.rps;
  const server = (w: Workload) => m(w)['ours']!.cpuUs['ranking server']!;
  const clients = (w: Workload) => m(w)['ours']!.cpuUs['clients']!;
  const nginx = (w: Workload) => [m(w)['ours']!.cpuUs['nginx']!, m(w)['peer']!.cpuUs['nginx']!] as const;
  const nginxRows = [putAbsolute, putRelative, getTop].map((w) => {
    const [o, p] = nginx(w);
    return {
      figure: `nginx CPU per request, ${w.name}`,
      target: `≤ peer's nginx (${fmt(p, 1)} µs)`,
      value: `${fmt(o, 1)} µs`,
      met: o <= p,
    };
  });
  return [
    ...[putAbsolute, putRelative].map((w) => ({
      figure: `${w.name}, no durability either side`,
      target: '≥ 1.0× the peer',
      value: `${fmt(ratio(m(w)), 2)}× (${fmt(m(w)['ours']!.rps)} vs ${fmt(m(w)['peer']!.rps)} req/s)`,
      met: ratio(m(w)) >= 1,
    })),
    ...[putAbsolute, putRelative].map((w) => ({
      figure: `${w.name}, FSYNC=always vs AOF always`,
      target: '≥ 1.0×',
      value: `${fmt(ratio(d(w)), 2)}× (${fmt(d(w)['ours']!.rps)} vs ${fmt(d(w)['peer']!.rps)} req/s)`,
      met: ratio(d(w)) >= 1,
    })),
    {
      figure: 'GET /top/100',
      target: '≥ 3.0×',
      value: `${fmt(ratio(m(getTop)), 2)}× (${fmt(m(getTop)['ours']!.rps)} vs ${fmt(m(getTop)['peer']!.rps)} req/s)`,
      met: ratio(m(getTop)) >= 3,
    },
    {
      figure: 'ranking server CPU per PUT (absolute)',
      target: `≤ 8 µs (Redis: ${fmt(m(putAbsolute)['peer']!.cpuUs['redis']!, 1)})`,
      value: `${fmt(server(putAbsolute), 1)} µs`,
      met: server(putAbsolute) <= 8,
    },
    {
      figure: 'ranking server CPU per cached top page',
      target: '≤ 3 µs',
      value: `${fmt(server(getTop), 1)} µs`,
      met: server(getTop) <= 3,
    },
    {
      figure: 'clients CPU per PUT (absolute)',
      target: `≤ 30 µs (peer: ${fmt(m(putAbsolute)['peer']!.cpuUs['clients']!, 1)})`,
      value: `${fmt(clients(putAbsolute), 1)} µs`,
      met: clients(putAbsolute) <= 30,
    },
    {
      figure: 'clients CPU per top-100 page',
      target: '≤ 20 µs',
      value: `${fmt(clients(getTop), 1)} µs`,
      met: clients(getTop) <= 20,
    },
    ...nginxRows,
    {
      figure: 'p99 of PUT at half the peak rate, FSYNC=always',
      target: '< 5 ms',
      value: `${fmt(b.paced.p99ms, 2)} ms at ${fmt(b.paced.achieved)} req/s`,
      met: b.paced.p99ms < 5,
    },
  ];
}

/** O(targets). A Markdown table of targets with met / not met. */
export function renderTargets(targets: readonly Target[]): string[] {
  return [
    '| figure (side by side, one run) | target | measured | status |',
    '| --- | --- | --- | --- |',
    ...targets.map((t) => `| ${t.figure} | ${t.target} | ${t.value} | ${t.met ? 'met' : 'not met'} |`),
  ];
}

/** O(rows). The CPU µs per request table: every process kind of both systems, per workload. */
export function renderBudget(b: Budget): string[] {
  const lines = [
    `| workload (${b.users} players) | ours req/s | peer req/s | ratio | ours µs/req: server · clients · nginx = total | peer µs/req: Redis · clients · nginx = total | wrk µs/req ours / peer |`,
    '| --- | ---: | ---: | ---: | --- | --- | --- |',
  ];
  const rows: Array<[string, Record<string, Result>]> = [
    ...Object.entries(b.memory).map(
      ([w, r]) => [`${w}, no durability`, r] as [string, Record<string, Result>],
    ),
    ...Object.entries(b.durable).map(
      ([w, r]) => [`${w}, FSYNC=always / AOF always`, r] as [string, Record<string, Result>],
    ),
  ];
  for (const [name, row] of rows) {
    const o = row['ours']!;
    const p = row['peer']!;
    const parts = (r: Result, server: string) =>
      `${fmt(r.cpuUs[server]!, 1)} · ${fmt(r.cpuUs['clients']!, 1)} · ${fmt(r.cpuUs['nginx']!, 1)} = ${fmt(systemUs(r), 1)}`;
    lines.push(
      `| ${name} | ${fmt(o.rps)} | ${fmt(p.rps)} | ${fmt(o.rps / p.rps, 2)}× | ${parts(o, 'ranking server')} | ${parts(p, 'redis')} | ${fmt(o.cpuUs['wrk']!, 1)} / ${fmt(p.cpuUs['wrk']!, 1)} |`,
    );
  }
  return lines;
}

/** The stacked bars of the chart: per workload and system, µs per request by process kind. */
export function budgetBars(b: Budget): Array<{ label: string; parts: Array<[string, number]> }> {
  const bars: Array<{ label: string; parts: Array<[string, number]> }> = [];
  for (const [section, table] of [
    ['', b.memory],
    [' always', b.durable],
  ] as const) {
    for (const [w, row] of Object.entries(table)) {
      for (const [sys, r] of Object.entries(row)) {
        bars.push({
          label: `${sys} ${w}${section}`,
          parts: [
            ['server', r.cpuUs[sys === 'ours' ? 'ranking server' : 'redis']!],
            ['clients', r.cpuUs['clients']!],
            ['nginx', r.cpuUs['nginx']!],
          ],
        });
      }
    }
  }
  return bars;
}
