/**
 * Integration, with real processes through nginx: REPLICAS=1 runs a standby beside the primary, fed
 * the primary's durable log records over ZeroMQ. Under a keyed ledger of `+1`s (FSYNC=always):
 * - `GET /cluster` shows the primary and the standby; the standby's lag comes back to 0, and then
 *   the standby's state digest equals the primary's — whatever the load did, including idempotency
 *   keys and the board's creation;
 * - a standby killed with SIGKILL while the primary writes past its backlog and compacts its log
 *   starts over from a snapshot the primary sends (its metric says so) and is equal again;
 * - a primary killed with SIGKILL under load restarts from its disk, the standby picks up where it
 *   was, and they are equal again; the ledger is exact throughout;
 * - the standby refuses writes sent to it (NOT_PRIMARY).
 */
import { Command, ErrorCode } from '@scoreboard/protocol';
import { RankingClient } from '@scoreboard/gateway';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { http, startCluster, waitFor, type Cluster } from './harness.js';
import { checkLedger, runLedgerLoad, type Ledger } from './ledger.js';

const USERS = 30;
const BOARD = 'repl';
let cluster: Cluster | undefined;
const clients: RankingClient[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) await c.stop();
  await cluster?.stop();
  cluster = undefined;
});

/** A client of one ranking server, straight over ZeroMQ. */
function direct(endpoint: string): RankingClient {
  const c = new RankingClient({ endpoint, logger: pino({ level: 'silent' }), timeoutMs: 3000 });
  c.start();
  clients.push(c);
  return c;
}

/** The value of an unlabelled metric in a Prometheus scrape. */
async function metric(url: string, name: string): Promise<number> {
  const text = await (await fetch(url)).text();
  const m = new RegExp(`^${name} (\\S+)$`, 'm').exec(text);
  if (!m) throw new Error(`${name} not in the scrape`);
  return Number(m[1]);
}

interface Member {
  endpoint: string;
  role: string;
  lag: number;
}

/** Waits until shard 0 has a primary and a standby at lag 0; answers them. */
async function inStep(url: string): Promise<Member[]> {
  let members: Member[] = [];
  await waitFor(
    async () => {
      const r = await http(`${url}/cluster`);
      if (r.status !== 200) return false;
      members = (r.body as { shards: Array<{ members: Member[] }> }).shards[0]!.members;
      return members.length === 2 && members[1]!.role === 'standby' && members[1]!.lag === 0;
    },
    20_000,
    'the standby to catch up',
  );
  return members;
}

/** The digests of primary and standby, read straight from each once the standby is in step. */
async function digests(url: string, standby: RankingClient): Promise<[string, string]> {
  await inStep(url);
  const primary = (await http(`${url}/debug/digest`)).body as { digest: string };
  const copy = await standby.call(Command.Digest, {}, { probe: true });
  return [primary.digest, copy.digest];
}

const load = (url: string, prefix: string, durationMs: number): Promise<Ledger> =>
  runLedgerLoad({
    urls: [url],
    durationMs,
    concurrency: 8,
    users: USERS,
    prefix,
    keyed: true,
    board: BOARD,
    settleMs: 20_000,
  });

describe('a standby ranking server (REPLICAS=1)', () => {
  it('follows its primary to an equal state, through a standby kill past the backlog and a primary kill', async () => {
    cluster = await startCluster({
      clients: 2,
      nginx: true,
      replicas: 1,
      // A small backlog and early snapshots: a standby away for a moment must start over from a snapshot.
      env: { FSYNC: 'always', SNAPSHOT_BYTES: String(32 * 1024), REPLICATION_BACKLOG_BYTES: '4096' },
    });
    const url = `http://127.0.0.1:${cluster.nginxPort}`;
    expect((await http(`${url}/boards/${BOARD}`, { method: 'PUT', body: {} })).status).toBe(201);
    const [primary, second] = await inStep(url);
    expect(primary).toMatchObject({ role: 'primary', lag: 0, endpoint: cluster.endpoints.rankingEndpoint });
    const standby = direct(second!.endpoint);

    // 1. Under load, then equal.
    const first = await load(url, 'a-', 3000);
    const [p1, s1] = await digests(url, standby);
    expect(s1).toBe(p1);
    expect(await checkLedger(url, first, USERS, 'a-', BOARD)).toMatchObject({ lost: 0, duplicated: 0 });

    // A standby takes no writes of its own.
    await expect(
      standby.call(Command.SetTotal, { user: 'x', total: 1 }, { probe: true }),
    ).rejects.toMatchObject({ code: ErrorCode.NOT_PRIMARY });

    // 2. The standby killed while the primary writes far past its 4 KiB backlog: a snapshot.
    const standbyProcess = cluster.launcher.children.standbys[0]!;
    const standbyMetrics = cluster.endpoints.metrics.at(-1)!;
    expect(await metric(standbyMetrics, 'scoreboard_replication_role')).toBe(0);
    const loaded = await metric(standbyMetrics, 'scoreboard_replication_snapshots_loaded_total');
    process.kill(standbyProcess.pid!, 'SIGKILL');
    const second2 = await load(url, 'b-', 2500);
    const [p2, s2] = await digests(url, standby);
    expect(s2).toBe(p2);
    expect(standbyProcess.restartCount).toBeGreaterThan(0);
    expect(await metric(standbyMetrics, 'scoreboard_replication_snapshots_loaded_total')).toBe(loaded + 1);

    // 3. The primary killed under load: it restarts from its disk; the standby picks up again.
    const primaryProcess = cluster.launcher.children.server!;
    const third = load(url, 'c-', 4000);
    await new Promise((r) => setTimeout(r, 1500));
    process.kill(primaryProcess.pid!, 'SIGKILL');
    const ledger = await third;
    const [p3, s3] = await digests(url, standby);
    expect(s3).toBe(p3);
    expect(primaryProcess.restartCount).toBeGreaterThan(0);
    for (const [l, prefix] of [
      [first, 'a-'],
      [second2, 'b-'],
      [ledger, 'c-'],
    ] as const) {
      const check = await checkLedger(url, l, USERS, prefix, BOARD);
      expect(check).toMatchObject({ lost: 0, duplicated: 0 });
      expect(check.found).toBe(check.acknowledged);
    }
  });
});
