/**
 * The benchmark's command line:
 *
 *   pnpm bench [--seconds 3] [--rounds 3] [--users 1000000] [--clients 2] [--connections 64]
 *              [--sweep-clients 1,2,4] [--sweep-users 10000,100000,1000000,10000000]
 *              [--sweep-shards 1,2,3]
 *              [--out scripts/bench/results (a temporary folder with --smoke)] [--smoke]
 *              [--quick] [--budget] [--replication [--kills 10]] [--workloads "PUT absolute,GET /top/100"]
 *
 * `--smoke` runs every path for about a second on a small board (CI: it must keep working; it
 * asserts nothing about speed). `--quick` prints the main table only (no durability rows, no
 * sweeps) and writes nothing: for trying a change side by side. `--workloads` picks workloads of
 * either table by name. `--budget` runs the CPU budget section only (budget.ts), prints its tables
 * and writes nothing; `--replication` the same for the replication section (replication.ts), its
 * failover timed over `--kills` kills of the primary.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ALL_WORKLOADS, PRODUCT_WORKLOADS, type Workload } from './workloads/index.js';

/** A benchmark run's settings. */
export interface BenchOptions {
  seconds: number;
  rounds: number;
  users: number;
  clients: number;
  connections: number;
  sweepClients: number[];
  sweepUsers: number[];
  /** Shard counts of the shard sweep (writes spread over many boards). */
  sweepShards: number[];
  out: string;
  smoke: boolean;
  quick: boolean;
  /** Only the CPU budget section. */
  budget: boolean;
  /** Only the replication section. */
  replication: boolean;
  /** Kills of the primary the replication section times. */
  kills: number;
  /** The main table's workloads (original routes). */
  workloads: readonly Workload[];
  /** The product table's workloads (a named board with profiles). */
  productWorkloads: readonly Workload[];
}

/** O(args). Reads the command line; exits 2 naming the workloads when `--workloads` names none. */
export function readOptions(argv = process.argv.slice(2)): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      seconds: { type: 'string', default: '3' },
      rounds: { type: 'string', default: '3' },
      users: { type: 'string', default: '1000000' },
      clients: { type: 'string', default: '2' },
      connections: { type: 'string', default: '64' },
      'sweep-clients': { type: 'string', default: '1,2,4' },
      'sweep-users': { type: 'string', default: '10000,100000,1000000,10000000' },
      'sweep-shards': { type: 'string', default: '1,2,3' },
      out: { type: 'string' },
      smoke: { type: 'boolean', default: false },
      quick: { type: 'boolean', default: false },
      budget: { type: 'boolean', default: false },
      replication: { type: 'boolean', default: false },
      kills: { type: 'string', default: '10' },
      workloads: { type: 'string' },
    },
  });
  const smoke = values.smoke;
  const picked = values.workloads?.split(',').map((w) => w.trim());
  const chosen = (all: readonly Workload[]) => (picked ? all.filter((w) => picked.includes(w.name)) : all);
  const workloads = chosen(ALL_WORKLOADS);
  const productWorkloads = chosen(PRODUCT_WORKLOADS);
  if (picked && workloads.length + productWorkloads.length !== picked.length) {
    const names = [...ALL_WORKLOADS, ...PRODUCT_WORKLOADS].map((w) => w.name);
    process.stderr.write(`bench: --workloads names: ${names.join(', ')}\n`);
    process.exit(2);
  }
  return {
    seconds: smoke ? 1 : Number(values.seconds),
    rounds: smoke ? 1 : Math.max(1, Number(values.rounds)),
    users: smoke ? 10_000 : Number(values.users),
    clients: Number(values.clients),
    connections: smoke ? 16 : Number(values.connections),
    sweepClients: smoke ? [1] : values['sweep-clients'].split(',').map(Number),
    sweepUsers: smoke ? [1000] : values['sweep-users'].split(',').map(Number),
    sweepShards: smoke ? [1, 2] : values['sweep-shards'].split(',').map(Number),
    // A smoke run's figures mean nothing: they never overwrite the committed results unless asked.
    out: resolve(
      values.out ?? (smoke ? mkdtempSync(join(tmpdir(), 'scoreboard-smoke-')) : 'scripts/bench/results'),
    ),
    smoke,
    quick: values.quick,
    budget: values.budget,
    replication: values.replication,
    kills: smoke ? 2 : Math.max(1, Number(values.kills)),
    workloads,
    productWorkloads,
  };
}
