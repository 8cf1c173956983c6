/**
 * One measurement: wrk driving a workload against a URL for a bounded time, with the CPU each
 * process of the system under test used meanwhile (from /proc), parsed into a {@link Result}.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Workload } from './workloads/index.js';

/** What a measurement (or the rounds of one) found. */
export interface Result {
  /** Mean over the rounds (each the same length). */
  rps: number;
  /** req/s of each round, in order: the spread shows how noisy the machine was. */
  rounds: number[];
  p50ms: number;
  p99ms: number;
  non2xx: number;
  /** Answers with a 2xx status per second: what a flood leaves of the throughput. */
  goodput: number;
  errors: number;
  /** CPU % of one core per role, e.g. {"ranking server": 40, clients: 80, nginx: 35}. */
  cpu: Record<string, number>;
  /** Requests wrk completed (all statuses). */
  requests: number;
  /**
   * CPU microseconds per request per role (user + system time from /proc over the requests
   * served), plus `wrk`: the load generator's own, apart from the system under test.
   */
  cpuUs: Record<string, number>;
}

/** How long and how wide a wrk run is, and extra Lua (a pacing `delay()`). */
export interface WrkRun {
  seconds: number;
  connections: number;
  pacing?: string;
}

const TICKS = Number(execFileSync('getconf', ['CLK_TCK']).toString()) || 100;

/** O(1). CPU seconds used so far by a pid (user + system); 0 once it is gone. */
function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS;
  } catch {
    return 0;
  }
}

/** O(children). The pids of a process's children (nginx's workers). */
export function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

const toMs = (v: string): number => {
  const m = /^([\d.]+)(us|ms|s|m)$/.exec(v.trim());
  if (!m) return NaN;
  const n = Number(m[1]);
  return m[2] === 'us' ? n / 1000 : m[2] === 'ms' ? n : m[2] === 's' ? n * 1000 : n * 60_000;
};

/**
 * Runs `wrk -t2` against `url` with a workload on a board of `users`, sampling the CPU of the
 * named pids over the run. Bounded: wrk itself is killed 30 s past its duration.
 */
export function runWrk(
  url: string,
  workload: Workload,
  users: number,
  pids: Record<string, number[]>,
  run: WrkRun,
): Result {
  const dir = mkdtempSync(join(tmpdir(), 'scoreboard-wrk-'));
  const script = join(dir, 'load.lua');
  writeFileSync(script, workload.lua(users) + (run.pacing ?? ''));
  const total = (ps: number[]): number => ps.reduce((s, p) => s + cpuSeconds(p), 0);
  const before = Object.fromEntries(Object.entries(pids).map(([k, ps]) => [k, total(ps)]));
  const t0 = performance.now();
  // bash's `times` reports the CPU its waited-for descendants used: wrk's own, apart.
  const out = execFileSync(
    'bash',
    [
      '-c',
      'timeout "$@"; rc=$?; echo "--- times"; times; exit $rc',
      'bash',
      String(run.seconds + 30),
      'wrk',
      '-t2',
      `-c${run.connections}`,
      `-d${run.seconds}s`,
      '--timeout',
      '5s',
      '--latency',
      '-s',
      script,
      url,
    ],
    { encoding: 'utf8' },
  );
  const wall = (performance.now() - t0) / 1000;
  const cpu = Object.fromEntries(
    Object.entries(pids).map(([k, ps]) => [k, Math.round((100 * (total(ps) - before[k]!)) / wall)]),
  );
  rmSync(dir, { recursive: true, force: true });
  const pct = (p: string): number => toMs(new RegExp(`^\\s+${p}%\\s+(\\S+)`, 'm').exec(out)?.[1] ?? 'NaN');
  const errors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? 0);
  const done = /(\d+) requests in ([\d.]+)(ms|s|m)/.exec(out);
  const took = done ? toMs(`${done[2]}${done[3]}`) / 1000 : run.seconds;
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0);
  const requests = done ? Number(done[1]) : 0;
  const cpuUs = Object.fromEntries(
    Object.entries(pids).map(([k, ps]) => [k, perRequest(total(ps) - before[k]!, requests)]),
  );
  cpuUs['wrk'] = perRequest(childrenCpuSeconds(out), requests);
  return {
    rps,
    rounds: [rps],
    p50ms: pct('50'),
    p99ms: pct('99'),
    non2xx,
    goodput: done ? (Number(done[1]) - non2xx) / took : rps,
    errors: errors ? errors.slice(1).reduce((s, x) => s + Number(x), 0) : 0,
    cpu,
    requests,
    cpuUs,
  };
}

/** O(1). Microseconds per request, one decimal; NaN without requests. */
const perRequest = (seconds: number, requests: number): number =>
  requests > 0 ? Math.round((10 * seconds * 1e6) / requests) / 10 : NaN;

/** O(1). The children's user + system seconds from the last line of bash's `times`. */
function childrenCpuSeconds(out: string): number {
  const line = out.slice(out.lastIndexOf('--- times')).trim().split('\n').at(-1) ?? '';
  const m = /(\d+)m([\d.]+)s\s+(\d+)m([\d.]+)s/.exec(line);
  return m ? Number(m[1]) * 60 + Number(m[2]) + Number(m[3]) * 60 + Number(m[4]) : NaN;
}
