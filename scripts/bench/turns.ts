/**
 * Systems taking turns: every system compared is measured `rounds` times, the order rotating each
 * round, so a slow minute on this shared machine lands on all of them instead of on one.
 */
import type { System } from './systems/system.js';
import type { Result } from './wrk.js';

/** O(n log n). The median of `xs`. */
export function median(xs: number[]): number {
  const v = [...xs].sort((a, b) => a - b);
  return v.length % 2 ? v[(v.length - 1) / 2]! : (v[v.length / 2 - 1]! + v[v.length / 2]!) / 2;
}

/**
 * Measures each system `rounds` times in rotating order. Throughput is the mean of the rounds; p50
 * and p99 the median of the rounds' own; CPU (% and µs per request) the mean; counts the sum.
 */
export function inTurns(
  systems: Record<string, System>,
  rounds: number,
  measure: (sys: System) => Result,
): Record<string, Result> {
  const names = Object.keys(systems);
  const runs: Record<string, Result[]> = {};
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(k + round) % names.length]!;
      (runs[name] ??= []).push(measure(systems[name]!));
    }
  }
  return Object.fromEntries(
    Object.entries(runs).map(([name, rs]) => {
      const cpu: Record<string, number> = {};
      for (const key of Object.keys(rs[0]!.cpu)) {
        cpu[key] = Math.round(rs.reduce((sum, r) => sum + r.cpu[key]!, 0) / rs.length);
      }
      const cpuUs: Record<string, number> = {};
      for (const key of Object.keys(rs[0]!.cpuUs)) {
        cpuUs[key] = Math.round((10 * rs.reduce((sum, r) => sum + r.cpuUs[key]!, 0)) / rs.length) / 10;
      }
      const result: Result = {
        ...rs[0]!,
        rps: rs.reduce((sum, r) => sum + r.rps, 0) / rs.length,
        rounds: rs.map((r) => r.rps),
        p50ms: median(rs.map((r) => r.p50ms)),
        p99ms: median(rs.map((r) => r.p99ms)),
        non2xx: rs.reduce((sum, r) => sum + r.non2xx, 0),
        goodput: rs.reduce((sum, r) => sum + r.goodput, 0) / rs.length,
        errors: rs.reduce((sum, r) => sum + r.errors, 0),
        cpu,
        requests: rs.reduce((sum, r) => sum + r.requests, 0),
        cpuUs,
      };
      return [name, result];
    }),
  );
}
