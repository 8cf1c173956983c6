/**
 * Integration, with real processes through nginx: REPLICAS=1 runs two members per shard — the one
 * that wins the shard's election in the launcher's own etcd is the primary, the other a standby fed
 * the primary's durable log records over ZeroMQ. Every test drives a keyed ledger of `+1`s
 * (FSYNC=always) through nginx and ends with the ledger exact (nothing acknowledged lost, nothing
 * applied twice) and the standby's state digest equal to the primary's once its lag is 0:
 * - steady state, then the standby killed with SIGKILL while the primary writes far past its
 *   backlog and compacts: it starts over from a snapshot (its metric says so);
 * - the primary killed with SIGKILL under load: the standby takes over, writes resume within 3 s,
 *   the killed member comes back as a standby and catches up;
 * - the primary paused (SIGSTOP) past its lease, then resumed: the standby took over; the old
 *   primary acknowledged nothing after its lease (the ledger would show it lost) and rejoins;
 * - under REPLICATION=sync, a standby that lacks acknowledged writes is never elected;
 * - etcd paused: writes refused past the lease, reads answered, writes back when it returns;
 * - primary and standby killed together: the shard restarts from its disks;
 * - a rotating primary: whoever is primary killed every 5 s for a minute.
 */
import { Command, ErrorCode } from '@scoreboard/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { http, startCluster, waitFor, type Cluster } from './harness.js';
import { checkLedger, runLedgerLoad, type Ledger } from './ledger.js';
import { compare, direct, inStep, metric, processAt, shardZero, stopDirectClients } from './members.js';

const USERS = 30;
const BOARD = 'repl';
let cluster: Cluster | undefined;

afterEach(async () => {
  await stopDirectClients();
  for (const s of cluster?.launcher.children.shards ?? []) if (s.pid) process.kill(s.pid, 'SIGCONT');
  await cluster?.stop();
  cluster = undefined;
});

/** The metrics scrape of the member serving `endpoint`. */
function metricsOf(c: Cluster, endpoint: string): string {
  // The clients' scrapes come first, then the first member's, then the standby plane's.
  const members = c.endpoints.metrics.slice(c.endpoints.clients.length);
  return members[processAt(c, endpoint) === c.launcher.children.shards[0] ? 0 : 1]!;
}

async function exact(url: string, ledger: Ledger, prefix: string): Promise<void> {
  const check = await checkLedger(url, ledger, USERS, prefix, BOARD);
  expect(check).toMatchObject({ lost: 0, duplicated: 0 });
  expect(check.found).toBe(check.acknowledged);
}

/** The load, with the longest time between two acknowledgements it saw. */
function load(url: string, prefix: string, durationMs: number) {
  let last = 0;
  let longestGapMs = 0;
  const ledger = runLedgerLoad({
    urls: [url],
    durationMs,
    concurrency: 8,
    users: USERS,
    prefix,
    keyed: true,
    board: BOARD,
    settleMs: 20_000,
    onAck: () => {
      const now = Date.now();
      if (last > 0) longestGapMs = Math.max(longestGapMs, now - last);
      last = now;
    },
  });
  return { ledger, longestGapMs: () => longestGapMs };
}

async function start(env: Record<string, string> = {}): Promise<string> {
  cluster = await startCluster({
    clients: 2,
    nginx: true,
    replicas: 1,
    env: { FSYNC: 'always', ...env },
  });
  const url = `http://127.0.0.1:${cluster.nginxPort}`;
  await inStep(url);
  expect((await http(`${url}/boards/${BOARD}`, { method: 'PUT', body: {} })).status).toBe(201);
  return url;
}

describe('standby ranking servers (REPLICAS=1, elected in etcd)', () => {
  it('follow their primary to an equal state, and start over from a snapshot once past its backlog', async () => {
    // No backlog (one record) and early snapshots: a standby away for a moment starts over from a snapshot.
    const url = await start({ SNAPSHOT_BYTES: String(32 * 1024), REPLICATION_BACKLOG_BYTES: '0' });
    // A tournament's joins and attempts are replicated like everything else.
    await http(`${url}/boards/cup`, { method: 'PUT', body: { join: true, maxAttempts: 2 } });
    expect((await http(`${url}/boards/cup/join`, { method: 'POST', body: { user: 'ann' } })).status).toBe(
      201,
    );
    expect(
      (await http(`${url}/boards/cup/scores`, { method: 'PUT', body: { user: 'ann', total: 3 } })).status,
    ).toBe(200);
    const first = load(url, 'a-', 3000);
    await exact(url, await first.ledger, 'a-');
    const before = await compare(url);
    expect(before.digests[1]).toBe(before.digests[0]);
    expect(before.epoch).toBeGreaterThan(0);

    // A standby takes no writes of its own.
    await expect(
      direct(before.standby.endpoint).call(Command.SetTotal, { user: 'x', total: 1 }),
    ).rejects.toMatchObject({ code: ErrorCode.NOT_PRIMARY });

    // The standby killed while the primary writes past its backlog: a snapshot.
    const standby = processAt(cluster!, before.standby.endpoint);
    const standbyMetrics = metricsOf(cluster!, before.standby.endpoint);
    expect(await metric(standbyMetrics, 'scoreboard_replication_role')).toBe(0);
    process.kill(standby.pid!, 'SIGKILL');
    const second = load(url, 'b-', 2500);
    await exact(url, await second.ledger, 'b-');
    const after = await compare(url);
    expect(after.digests[1]).toBe(after.digests[0]);
    expect(after.epoch).toBe(before.epoch);
    expect(standby.restartCount).toBeGreaterThan(0);
    // The restarted process (its counters start at 0) loaded one: it was too far behind for records.
    expect(await metric(standbyMetrics, 'scoreboard_replication_snapshots_loaded_total')).toBe(1);
    // The snapshot carried the tournament's joins and attempts.
    expect(
      await direct(after.standby.endpoint).call(Command.BoardAttempts, { board: 'cup', user: 'ann' }),
    ).toMatchObject({ joined: true, attempts: 1, remaining: 1 });

    // Stopping the system stops the launcher's etcd too.
    const etcd = cluster!.launcher.children.etcd!.pid!;
    await cluster!.stop();
    cluster = undefined;
    expect(() => process.kill(etcd, 0)).toThrow();
  });

  it('take over within 3 s when the primary is killed, losing and repeating no acknowledged write', async () => {
    const url = await start();
    const before = await inStep(url);
    const primary = processAt(cluster!, before.primary.endpoint);
    const run = load(url, 'k-', 6000);
    await new Promise((r) => setTimeout(r, 2000));
    process.kill(primary.pid!, 'SIGKILL');
    await exact(url, await run.ledger, 'k-');
    process.stdout.write(
      `[replication.test] kill -9: longest gap between acknowledged writes ${run.longestGapMs()} ms\n`,
    );
    expect(run.longestGapMs()).toBeLessThan(3000);
    // A new epoch; both members in step and equal. The member with the most records wins: the
    // standby, or the killed one if it came back first holding more (async: it may).
    const after = await compare(url);
    expect(after.epoch).toBeGreaterThan(before.epoch);
    expect([after.primary.endpoint, after.standby.endpoint].sort()).toEqual(
      [before.primary.endpoint, before.standby.endpoint].sort(),
    );
    expect(after.digests[1]).toBe(after.digests[0]);
    // The new primary counts the failover, and says when it happened.
    const scrape = metricsOf(cluster!, after.primary.endpoint);
    expect(await metric(scrape, 'scoreboard_replication_failovers_total')).toBe(1);
    const at = await metric(scrape, 'scoreboard_replication_last_failover_timestamp_seconds');
    expect(Date.now() / 1000 - at).toBeGreaterThan(0);
    expect(Date.now() / 1000 - at).toBeLessThan(120);
  });

  it('restart a shard whose primary and standby were killed together from disk, losing nothing acknowledged', async () => {
    const url = await start();
    const before = await inStep(url);
    const run = load(url, 't-', 6000);
    await new Promise((r) => setTimeout(r, 2000));
    for (const endpoint of [before.primary.endpoint, before.standby.endpoint])
      process.kill(processAt(cluster!, endpoint).pid!, 'SIGKILL');
    await exact(url, await run.ledger, 't-');
    const after = await compare(url);
    expect(after.epoch).toBeGreaterThan(before.epoch);
    expect(after.digests[1]).toBe(after.digests[0]);
  });

  it('fence a paused primary at its lease: the standby takes over, and the old one acknowledges nothing after', async () => {
    const url = await start();
    const before = await inStep(url);
    const primary = processAt(cluster!, before.primary.endpoint);
    const run = load(url, 'p-', 7000);
    await new Promise((r) => setTimeout(r, 1500));
    process.kill(primary.pid!, 'SIGSTOP');
    const stoppedAt = Date.now();
    // Paused longer than its 2 s lease; a standby must have taken over meanwhile.
    const took = await waitFor(
      async () => {
        const shard = await shardZero(url);
        if (!shard) return false;
        return shard.epoch > before.epoch && shard.members[0]!.endpoint === before.standby.endpoint
          ? Date.now()
          : false;
      },
      8000,
      'the standby to take over',
    );
    process.stdout.write(
      `[replication.test] SIGSTOP: a new primary ${took - stoppedAt} ms after the pause\n`,
    );
    expect(took - stoppedAt).toBeLessThan(2000 + 3000);
    await new Promise((r) => setTimeout(r, Math.max(0, 4500 - (Date.now() - stoppedAt))));
    process.kill(primary.pid!, 'SIGCONT');
    // The old primary wakes, refuses what it still had, is deposed and rejoins as the standby.
    await exact(url, await run.ledger, 'p-');
    const after = await compare(url);
    expect(after.standby.endpoint).toBe(before.primary.endpoint);
    expect(after.digests[1]).toBe(after.digests[0]);
  });

  it('under REPLICATION=sync, never elect a standby that lacks acknowledged writes', async () => {
    const url = await start({ REPLICATION: 'sync' });
    const before = await inStep(url);
    const primary = processAt(cluster!, before.primary.endpoint);
    const standby = processAt(cluster!, before.standby.endpoint);
    // The standby goes silent: the primary drops it from the synchronous set (after 5 s) and then
    // acknowledges alone. Those writes are on the primary only.
    process.kill(standby.pid!, 'SIGSTOP');
    const alone = load(url, 's-', 9000);
    await new Promise((r) => setTimeout(r, 8000));
    // Now the primary stops too, and the standby wakes: it is not in the set, so it must not take
    // over, though the leader key lapses and it could win it.
    process.kill(primary.pid!, 'SIGSTOP');
    process.kill(standby.pid!, 'SIGCONT');
    await new Promise((r) => setTimeout(r, 4500));
    const during = await shardZero(url);
    if (during) expect(during.members[0]!.endpoint).not.toBe(before.standby.endpoint);
    // The primary comes back: deposed (its lease lapsed), it restarts, and as the last primary of
    // the set it is elected again — with every write it acknowledged.
    process.kill(primary.pid!, 'SIGCONT');
    await exact(url, await alone.ledger, 's-');
    const after = await compare(url);
    expect(after.primary.endpoint).toBe(before.primary.endpoint);
    expect(after.epoch).toBeGreaterThan(before.epoch);
    expect(after.digests[1]).toBe(after.digests[0]);
  });

  it('stop acknowledging writes while etcd is away, keep answering reads, and resume when it returns', async () => {
    const url = await start();
    await inStep(url);
    const etcd = cluster!.launcher.children.etcd!;
    const run = load(url, 'e-', 9000);
    await new Promise((r) => setTimeout(r, 1500));
    process.kill(etcd.pid!, 'SIGSTOP');
    const pausedAt = Date.now();
    try {
      // Past the lease (2 s): writes are refused, reads still answer.
      await new Promise((r) => setTimeout(r, 2800));
      const write = await http(`${url}/boards/${BOARD}/scores`, {
        method: 'PUT',
        body: { user: 'probe', total: 1 },
      });
      expect(write.status).toBe(503);
      const reads = await Promise.all(Array.from({ length: 8 }, () => http(`${url}/boards/${BOARD}/top/5`)));
      expect(reads.map((r) => r.status)).toEqual(Array(8).fill(200));
    } finally {
      await new Promise((r) => setTimeout(r, Math.max(0, 4500 - (Date.now() - pausedAt))));
      process.kill(etcd.pid!, 'SIGCONT');
    }
    const resumedAt = await waitFor(
      async () =>
        (await http(`${url}/boards/${BOARD}/scores`, { method: 'PUT', body: { user: 'probe', total: 2 } }))
          .status === 200 && Date.now(),
      15_000,
      'writes to resume',
    );
    process.stdout.write(
      `[replication.test] etcd paused 4.5 s: writes back ${resumedAt - pausedAt - 4500} ms after it returned\n`,
    );
    await exact(url, await run.ledger, 'e-');
    const after = await compare(url);
    expect(after.digests[1]).toBe(after.digests[0]);
  });

  it('lose and repeat nothing while the primary is killed every 5 s for a minute', async () => {
    const url = await start();
    const first = await inStep(url);
    const run = load(url, 'r-', 60_000);
    let kills = 0;
    for (let t = 0; t < 11; t++) {
      await new Promise((r) => setTimeout(r, 5000));
      // Whoever is primary now (the shard may still be electing one: then nobody is killed).
      const primary = (await shardZero(url))?.members[0];
      if (primary?.role !== 'primary') continue;
      process.kill(processAt(cluster!, primary.endpoint).pid!, 'SIGKILL');
      kills++;
    }
    process.stdout.write(`[replication.test] rotating primary: ${kills} kills in a minute\n`);
    expect(kills).toBeGreaterThanOrEqual(8);
    await exact(url, await run.ledger, 'r-');
    const after = await compare(url);
    expect(after.epoch).toBeGreaterThan(first.epoch);
    expect(after.digests[1]).toBe(after.digests[0]);
  }, 120_000);
});
