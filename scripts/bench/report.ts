/** The benchmark's tables, as Markdown: the main table and the durability table. */
import type { Paced } from './pacing.js';
import type { Workload } from './workloads/index.js';
import type { Result } from './wrk.js';

/** O(1). A number with `d` decimals, or "n/a". */
export const fmt = (n: number, d = 0): string => (Number.isFinite(n) ? n.toFixed(d) : 'n/a');

/** A durability row: ours under one fsync policy beside the peer under the same one. */
export type DurabilityRow = Result & { atHalfLoad: Paced; peer: Result & { atHalfLoad: Paced } };

/** O(workloads). The main table: one row per workload, ours beside the peer and the ceiling. */
export function renderTable(
  workloads: readonly Workload[],
  table: Record<string, Record<string, Result>>,
): string[] {
  const lines = [
    `| workload | ours req/s | p50 ms | p99 ms | peer req/s | ceiling req/s | ours/peer | ours/ceiling | CPU % ours (server / clients / nginx) | CPU % peer (redis / clients / nginx) |`,
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |',
  ];
  for (const w of workloads) {
    const row = table[w.name]!;
    const o = row['ours']!;
    const p = row['peer']!;
    const c = row['ceiling']!;
    lines.push(
      `| ${w.name} | ${fmt(o.rps)} | ${fmt(o.p50ms, 2)} | ${fmt(o.p99ms, 2)} | ${fmt(p.rps)} | ${fmt(c.rps)} | ${fmt(o.rps / p.rps, 2)} | ${fmt(o.rps / c.rps, 2)} | ` +
        `${o.cpu['ranking server']} / ${o.cpu['clients']} / ${o.cpu['nginx']} | ${p.cpu['redis']} / ${p.cpu['clients']} / ${p.cpu['nginx']} |`,
    );
  }
  return lines;
}

/** O(workloads). The product table: ours beside the peer and the ceiling, with entries/s for batches. */
export function renderProductTable(
  workloads: readonly Workload[],
  table: Record<string, Record<string, Result>>,
): string[] {
  const lines = [
    '| workload (named board, 1 name and country per player) | ours req/s | ours entries/s | p50 ms | p99 ms | peer req/s | peer entries/s | ceiling req/s | ours/peer | ours/ceiling |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const w of workloads) {
    const row = table[w.name]!;
    const o = row['ours']!;
    const p = row['peer']!;
    const c = row['ceiling']!;
    const per = w.entriesPerRequest ?? 1;
    const entries = (r: Result) => (w.entriesPerRequest ? fmt(r.rps * per) : '');
    lines.push(
      `| ${w.name} | ${fmt(o.rps)} | ${entries(o)} | ${fmt(o.p50ms, 2)} | ${fmt(o.p99ms, 2)} | ${fmt(p.rps)} | ${entries(p)} | ${fmt(c.rps)} | ${fmt(o.rps / p.rps, 2)} | ${fmt(o.rps / c.rps, 2)} |`,
    );
  }
  return lines;
}

/** O(systems). The flood table: goodput and latency under 3 000 connections beside the calm load. */
export function renderFlood(
  rows: Record<string, { calm: Result; flood: Result }>,
  connections: number,
): string[] {
  if (Object.keys(rows).length === 0) return [];
  const lines = [
    `| flood (PUT relative, 3 000 connections) | goodput/s | at ${connections} connections | share | p99 ms | non-2xx | socket errors |`,
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const [name, r] of Object.entries(rows)) {
    lines.push(
      `| ${name} | ${fmt(r.flood.goodput)} | ${fmt(r.calm.goodput)} | ${fmt((100 * r.flood.goodput) / r.calm.goodput)} % | ${fmt(r.flood.p99ms, 2)} | ${r.flood.non2xx} | ${r.flood.errors} |`,
    );
  }
  return lines;
}

/** O(policies). The durability table, paced at `halfRate`. */
export function renderDurability(rows: Record<string, DurabilityRow>, halfRate: number): string[] {
  const lines = [
    `| durability (PUT relative) | ours req/s | ours p99 ms | peer req/s (Redis AOF, same policy) | peer p99 ms | ours/peer | paced at ${fmt(halfRate)} req/s: ours p50 / p99 ms | peer p50 / p99 ms |`,
    '| --- | ---: | ---: | ---: | ---: | ---: | --- | --- |',
  ];
  for (const [policy, r] of Object.entries(rows)) {
    const h = r.atHalfLoad;
    const ph = r.peer.atHalfLoad;
    lines.push(
      `| FSYNC=${policy} / appendfsync ${policy} | ${fmt(r.rps)} | ${fmt(r.p99ms, 2)} | ${fmt(r.peer.rps)} | ${fmt(r.peer.p99ms, 2)} | ${fmt(r.rps / r.peer.rps, 2)} | ${fmt(h.p50ms, 2)} / ${fmt(h.p99ms, 2)} (${fmt(h.achieved)} req/s) | ${fmt(ph.p50ms, 2)} / ${fmt(ph.p99ms, 2)} (${fmt(ph.achieved)} req/s) |`,
    );
  }
  return lines;
}
