/**
 * `pnpm chaos [--seconds 30] [--clients 2] [--replicas 1]`: a bounded soak. Starts the whole system
 * (nginx in front when installed), drives a keyed write load through it that keeps a ledger, and
 * meanwhile injects faults at random. Without standbys: kill -9 and SIGTERM of the ranking server
 * and the clients. With `--replicas N` (REPLICATION=sync, FSYNC=always): kill -9 of whoever is
 * primary, a pause of the primary past its lease (SIGSTOP, SIGCONT 3.5 s later), kill -9 of etcd,
 * of a standby, and of a client. When time is up it lets retries settle and prints
 * `acknowledged / found / lost / duplicated`; it exits 1 unless lost and duplicated are both 0.
 */
import { findEtcd, findNginx, type Supervised } from '@scoreboard/launcher';
import { keysOn, startCluster, waitFor } from '@scoreboard/tests/harness';
import { checkLedger, runLedgerLoad } from '@scoreboard/tests/ledger';
import { compare, processAt, shardZero, stopDirectClients } from '@scoreboard/tests/members';
import { parseArgs } from 'node:util';
import { seededRandom } from '@scoreboard/random';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '30' },
    clients: { type: 'string', default: '2' },
    replicas: { type: 'string', default: '0' },
    seed: { type: 'string', default: String(Date.now() % 100_000) },
  },
});
const seconds = Number(values.seconds);
const clients = Number(values.clients);
const replicas = Number(values.replicas);
if (
  !(seconds > 0 && seconds <= 3600) ||
  !(clients >= 1 && clients <= 16) ||
  !(Number.isInteger(replicas) && replicas >= 0 && replicas <= 4)
) {
  process.stderr.write(
    'chaos: --seconds must be in (0, 3600], --clients in [1, 16] and --replicas in [0, 4]\n',
  );
  process.exit(2);
}
if (replicas > 0 && !findEtcd()) {
  process.stderr.write('chaos: --replicas needs etcd (apt-get install etcd-server)\n');
  process.exit(2);
}

const random = seededRandom(Number(values.seed));

// Keys on, as in production: the load writes with the admin key.
const auth = keysOn(`chaos-admin-${Date.now()}-key`);
const nginx = findNginx() !== undefined;
const cluster = await startCluster({
  clients,
  nginx,
  requestTimeoutMs: 1000,
  replicas,
  ...(replicas > 0 ? { env: { FSYNC: 'always', REPLICATION: 'sync' } } : {}),
});
const url = cluster.endpoints.url;
process.stdout.write(
  `chaos: ${seconds}s against ${url} (${clients} clients${replicas > 0 ? `, ${replicas} standby per shard` : ''}${nginx ? ', nginx' : ''}), seed ${values.seed}\n`,
);

const USERS = 50;
let running = true;
const events: string[] = [];
/** Sends `signal` to `target`, counting it as `what`; a process already gone is being restarted. */
const hit = (target: Supervised | undefined, signal: NodeJS.Signals, what: string): void => {
  if (!target?.pid) return;
  try {
    process.kill(target.pid, signal);
    events.push(what);
  } catch {
    // already gone; the launcher is restarting it
  }
};
const paused = new Set<Supervised>();
/** One fault among those of a shard with standbys. */
async function replicatedFault(): Promise<void> {
  const { standbys, shards, etcd, clients: cs } = cluster.launcher.children;
  const shard = await shardZero(url).catch(() => undefined);
  const primaryEndpoint = shard?.members[0]?.role === 'primary' ? shard.members[0].endpoint : undefined;
  const primary = primaryEndpoint ? processAt(cluster, primaryEndpoint) : undefined;
  const roll = random();
  if (roll < 0.3) hit(primary, 'SIGKILL', 'primary:SIGKILL');
  else if (roll < 0.5 && primary && !paused.has(primary)) {
    hit(primary, 'SIGSTOP', 'primary:SIGSTOP');
    paused.add(primary);
    await new Promise((r) => setTimeout(r, 3500));
    hit(primary, 'SIGCONT', 'primary:SIGCONT');
    paused.delete(primary);
  } else if (roll < 0.65) hit(etcd, 'SIGKILL', 'etcd:SIGKILL');
  else if (roll < 0.8) {
    const members = [...shards, ...standbys].filter((m) => m !== primary);
    hit(members[Math.floor(random() * members.length)], 'SIGKILL', 'standby:SIGKILL');
  } else hit(cs[Math.floor(random() * cs.length)], 'SIGKILL', 'client:SIGKILL');
}
const chaos = (async () => {
  while (running) {
    await new Promise((r) => setTimeout(r, replicas > 0 ? 2500 + random() * 2500 : 700 + random() * 1800));
    if (!running) break;
    if (replicas > 0) {
      await replicatedFault();
      continue;
    }
    const { server, clients: cs } = cluster.launcher.children;
    const roll = random();
    const target = roll < 0.4 ? server : cs[Math.floor(random() * cs.length)];
    const signal = random() < 0.75 ? 'SIGKILL' : 'SIGTERM';
    hit(target, signal, `${roll < 0.4 ? 'server' : 'client'}:${signal}`);
  }
})();

const ledger = await runLedgerLoad({
  urls: [url],
  durationMs: seconds * 1000,
  concurrency: 16,
  users: USERS,
  prefix: 'chaos-',
  keyed: true,
  settleMs: 30_000,
  headers: auth,
});
running = false;
await chaos;
await waitFor(
  async () => (await fetch(`${url}/health-check`)).status === 200,
  30_000,
  'the system to settle',
);
const check = await checkLedger(url, ledger, USERS, 'chaos-');
// With standbys: once one is in step again, its state must equal the primary's.
let digests = '';
if (replicas > 0) {
  const after = await compare(url);
  digests = after.digests[0] === after.digests[1] ? 'equal' : `DIFFERENT (${after.digests.join(' / ')})`;
  await stopDirectClients();
}
await cluster.stop();

const kills = events.reduce<Record<string, number>>((m, e) => ({ ...m, [e]: (m[e] ?? 0) + 1 }), {});
process.stdout.write(
  `faults injected: ${JSON.stringify(kills)}\n` +
    `attempts: ${ledger.attempts}, failed attempts (retried with the same key): ${ledger.failures}\n` +
    `acknowledged / found / lost / duplicated: ${check.acknowledged} / ${check.found} / ${check.lost} / ${check.duplicated}\n` +
    (replicas > 0 ? `primary and standby state digests: ${digests}\n` : ''),
);
const clean = check.lost === 0 && check.duplicated === 0 && check.unknown === 0;
process.exit(clean && (replicas === 0 || digests === 'equal') ? 0 : 1);
