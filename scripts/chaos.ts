/**
 * `pnpm chaos [--seconds 30] [--clients 2]`: a bounded soak. Starts the whole system (nginx in
 * front when installed), drives a keyed write load through it that keeps a ledger, and meanwhile
 * kills and restarts the ranking server and the clients at random (kill -9 and SIGTERM). When time
 * is up it lets retries settle and prints `acknowledged / found / lost / duplicated`; it exits 1
 * unless lost and duplicated are both 0.
 */
import { findNginx } from '@scoreboard/launcher';
import { keysOn, startCluster, waitFor } from '@scoreboard/tests/harness';
import { checkLedger, runLedgerLoad } from '@scoreboard/tests/ledger';
import { parseArgs } from 'node:util';
import { seededRandom } from '@scoreboard/random';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '30' },
    clients: { type: 'string', default: '2' },
    seed: { type: 'string', default: String(Date.now() % 100_000) },
  },
});
const seconds = Number(values.seconds);
const clients = Number(values.clients);
if (!(seconds > 0 && seconds <= 3600) || !(clients >= 1 && clients <= 16)) {
  process.stderr.write('chaos: --seconds must be in (0, 3600] and --clients in [1, 16]\n');
  process.exit(2);
}

const random = seededRandom(Number(values.seed));

// Keys on, as in production: the load writes with the admin key.
const auth = keysOn(`chaos-admin-${Date.now()}-key`);
const nginx = findNginx() !== undefined;
const cluster = await startCluster({ clients, nginx, requestTimeoutMs: 1000 });
const url = cluster.endpoints.url;
process.stdout.write(
  `chaos: ${seconds}s against ${url} (${clients} clients${nginx ? ', nginx' : ''}), seed ${values.seed}\n`,
);

const USERS = 50;
let running = true;
const events: string[] = [];
const chaos = (async () => {
  while (running) {
    await new Promise((r) => setTimeout(r, 700 + random() * 1800));
    if (!running) break;
    const { server, clients: cs } = cluster.launcher.children;
    const roll = random();
    const target = roll < 0.4 ? server : cs[Math.floor(random() * cs.length)];
    const signal = random() < 0.75 ? 'SIGKILL' : 'SIGTERM';
    const pid = target?.pid;
    if (!pid) continue;
    try {
      process.kill(pid, signal);
      events.push(`${roll < 0.4 ? 'server' : 'client'}:${signal}`);
    } catch {
      // already gone; the launcher is restarting it
    }
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
await cluster.stop();

const kills = events.reduce<Record<string, number>>((m, e) => ({ ...m, [e]: (m[e] ?? 0) + 1 }), {});
process.stdout.write(
  `faults injected: ${JSON.stringify(kills)}\n` +
    `attempts: ${ledger.attempts}, failed attempts (retried with the same key): ${ledger.failures}\n` +
    `acknowledged / found / lost / duplicated: ${check.acknowledged} / ${check.found} / ${check.lost} / ${check.duplicated}\n`,
);
process.exit(check.lost === 0 && check.duplicated === 0 && check.unknown === 0 ? 0 : 1);
