/**
 * Fault injection with real processes: crashes and restarts under load, a hung server, damaged
 * data files, and a client killed behind nginx. Every write load keeps a ledger (see ledger.ts):
 * nothing acknowledged may be lost and nothing may be applied twice.
 */
import { ErrorCode } from '@scoreboard/protocol';
import { appendFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { http, keysOn, startCluster, waitFor, type Cluster } from './harness.js';
import { checkLedger, runLedgerLoad } from './ledger.js';

let cluster: Cluster | undefined;
afterEach(async () => {
  await cluster?.stop();
  cluster = undefined;
});

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

// Every fault here strikes with API keys on, as in production: the loads and checks hold the admin key.
const auth = keysOn('faults-admin-key-0123456789');

/** Runs a keyed and an unkeyed ledger load while `fault` strikes, then checks both ledgers. */
async function underLoad(c: Cluster, urls: string[], fault: () => Promise<void>) {
  // Four seconds: long enough that well over 100 writes are acknowledged around the fault even when
  // the suite's other files keep both cores busy (2.5 s once gave 96 in a parallel run).
  const load = (keyed: boolean, prefix: string) =>
    runLedgerLoad({
      urls,
      durationMs: 4000,
      concurrency: 12,
      users: 20,
      prefix,
      keyed,
      settleMs: 15_000,
      headers: auth,
    });
  const loads = Promise.all([load(true, 'k-'), load(false, 'n-')]);
  await sleep(800);
  await fault();
  const [keyed, unkeyed] = await loads;
  const url = c.endpoints.url;
  await waitFor(
    async () => (await http(`${url}/health-check`)).status === 200,
    10_000,
    'the system to be healthy',
  );
  return {
    keyed,
    unkeyed,
    keyedCheck: await checkLedger(url, keyed, 20, 'k-'),
    unkeyedCheck: await checkLedger(url, unkeyed, 20, 'n-'),
  };
}

describe('crashes and restarts under load', () => {
  it('loses no acknowledged write and applies none twice when the ranking server is killed -9', async () => {
    cluster = await startCluster({ clients: 2, requestTimeoutMs: 1000 });
    const wrongKey = { authorization: 'Bearer not-the-admin-key' };
    expect(
      (
        await http(`${cluster.endpoints.url}/score`, {
          method: 'PUT',
          body: { user: 1, total: 1 },
          headers: wrongKey,
        })
      ).status,
    ).toBe(401);
    const server = cluster.launcher.children.server!;
    const pid = server.pid!;
    const r = await underLoad(cluster, cluster.endpoints.clients, async () => {
      process.kill(pid, 'SIGKILL');
    });
    expect(server.restartCount).toBeGreaterThanOrEqual(1);
    expect(server.pid).not.toBe(pid);
    expect(r.keyed.failures + r.unkeyed.failures).toBeGreaterThan(0); // the outage was seen
    expect(r.keyedCheck).toMatchObject({ lost: 0, duplicated: 0, unknown: 0 });
    expect(r.keyedCheck.found).toBe(r.keyedCheck.acknowledged);
    expect(r.keyedCheck.acknowledged).toBeGreaterThan(100);
    expect(r.unkeyedCheck).toMatchObject({ lost: 0, duplicated: 0 });
  });

  it('finishes what it accepted and exits 0 on SIGTERM; nothing acknowledged is lost', async () => {
    cluster = await startCluster({ clients: 2, requestTimeoutMs: 1000 });
    const server = cluster.launcher.children.server!;
    const r = await underLoad(cluster, cluster.endpoints.clients, async () => {
      process.kill(server.pid!, 'SIGTERM');
    });
    expect(server.lastExit).toEqual({ code: 0, signal: null });
    expect(r.keyedCheck).toMatchObject({ lost: 0, duplicated: 0, unknown: 0 });
    expect(r.unkeyedCheck).toMatchObject({ lost: 0, duplicated: 0 });
  });

  it('behind nginx, loses nothing and doubles nothing when a client is killed mid-load', async () => {
    cluster = await startCluster({ clients: 2, nginx: true, requestTimeoutMs: 1000 });
    const victim = cluster.launcher.children.clients[0]!;
    const r = await underLoad(cluster, [cluster.endpoints.url], async () => {
      process.kill(victim.pid!, 'SIGKILL');
    });
    expect(victim.restartCount).toBeGreaterThanOrEqual(1);
    expect(r.keyedCheck).toMatchObject({ lost: 0, duplicated: 0, unknown: 0 });
    expect(r.unkeyedCheck).toMatchObject({ lost: 0, duplicated: 0 });
  });
});

describe('a hung ranking server', () => {
  it('times out once, then fails fast; the timed-out write is never applied; clients recover', async () => {
    const timeoutMs = 1000;
    cluster = await startCluster({ clients: 1, requestTimeoutMs: timeoutMs });
    const url = cluster.endpoints.clients[0]!;
    await http(`${url}/score`, { method: 'PUT', body: { user: 'h', total: 1 } });
    const pid = cluster.launcher.children.server!.pid!;
    process.kill(pid, 'SIGSTOP');
    try {
      let t = Date.now();
      const first = await http(`${url}/score`, { method: 'PUT', body: { user: 'h', score: '+100' } });
      expect(first.status).toBe(503);
      expect(Date.now() - t).toBeGreaterThanOrEqual(timeoutMs - 50);
      for (let i = 0; i < 5; i++) {
        t = Date.now();
        const next = await http(`${url}/score`, { method: 'PUT', body: { user: 'h', score: '+100' } });
        expect(next.status).toBe(503);
        expect(next.body.error.code).toBe(ErrorCode.RANKING_UNAVAILABLE);
        expect(Date.now() - t).toBeLessThan(timeoutMs / 2); // fail fast
      }
      expect((await http(`${url}/health-check`)).status).toBe(503);
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    await waitFor(async () => (await http(`${url}/health-check`)).status === 200, 5000, 'recovery');
    // The +100 that timed out reached the server late, after its deadline: refused, not applied.
    expect((await http(`${url}/users/h`)).body).toEqual({ user: 'h', total: 1, rank: 1 });
  });
});

describe('data files', () => {
  const logOf = (c: Cluster): string => {
    const dir = join(c.runDir, 'data');
    const name = readdirSync(dir)
      .filter((f) => f.startsWith('aof.'))
      .sort()
      .at(-1)!;
    return join(dir, name);
  };

  it('cuts a torn tail and keeps every complete write across a restart', async () => {
    cluster = await startCluster({ clients: 1 });
    const url = cluster.endpoints.clients[0]!;
    for (let u = 0; u < 10; u++)
      await http(`${url}/score`, { method: 'PUT', body: { user: u, total: u * 10 } });
    const before = (await http(`${url}/top/100`)).body;
    await cluster.stop();
    appendFileSync(logOf(cluster), Buffer.from([40, 0, 0, 0, 1, 2, 3, 4, 1, 0, 0])); // a record cut short
    const runDir = cluster.runDir;
    cluster = await startCluster({ clients: 1, runDir });
    expect((await http(`${cluster.endpoints.clients[0]!}/top/100`)).body).toEqual(before);
  });

  it('refuses to start on a corrupt record in the middle, and starts with RECOVER=1', async () => {
    cluster = await startCluster({ clients: 1 });
    const url = cluster.endpoints.clients[0]!;
    for (let u = 0; u < 10; u++) await http(`${url}/score`, { method: 'PUT', body: { user: u, total: u } });
    await cluster.stop();
    const log = logOf(cluster);
    const bytes = readFileSync(log);
    bytes[12] = bytes[12]! ^ 0xff; // inside the first record's payload
    writeFileSync(log, bytes);
    const runDir = cluster.runDir;
    cluster = undefined;
    await expect(startCluster({ clients: 1, runDir })).rejects.toThrow(/exited before it was ready/);
    cluster = await startCluster({ clients: 1, runDir, env: { RECOVER: '1' } });
    expect((await http(`${cluster.endpoints.clients[0]!}/top/100`)).body).toEqual([]);
  });
});

describe('idempotency keys across clients', () => {
  it('answers a replay through the other client with the first result, applied once', async () => {
    cluster = await startCluster({ clients: 2 });
    const [a, b] = cluster.endpoints.clients as [string, string];
    const headers = { 'idempotency-key': 'order-42' };
    const first = await http(`${a}/score`, { method: 'PUT', body: { user: 'ik', score: '+7' }, headers });
    const replay = await http(`${b}/score`, { method: 'PUT', body: { user: 'ik', score: '+7' }, headers });
    expect(first.body).toEqual({ user: 'ik', total: 7 });
    expect(replay).toMatchObject({ status: 200, body: { user: 'ik', total: 7 } });
    const other = await http(`${b}/score`, { method: 'PUT', body: { user: 'ik', score: '+8' }, headers });
    expect(other).toMatchObject({ status: 422, body: { error: { code: ErrorCode.IDEMPOTENCY_KEY_REUSED } } });
    expect((await http(`${a}/users/ik`)).body.total).toBe(7);
  });
});

describe('boards and players across crashes', () => {
  it('keeps boards, profiles and ledgered writes on named boards through a kill -9, none doubled', async () => {
    cluster = await startCluster({ clients: 2, requestTimeoutMs: 1000 });
    const [a, b] = cluster.endpoints.clients as [string, string];
    await http(`${a}/boards/ledger`, { method: 'PUT', body: { order: 'asc' } });
    await http(`${a}/boards/best`, { method: 'PUT', body: { operator: 'best' } });
    for (let i = 0; i < 20; i++) {
      await http(`${b}/players/k-${i}`, {
        method: 'PUT',
        body: { name: `Player ${i}`, country: i % 2 ? 'de' : 'JP' },
      });
    }
    const batch = await http(`${a}/boards/best/scores`, {
      method: 'POST',
      body: { scores: Array.from({ length: 500 }, (_, i) => ({ user: `b-${i}`, total: i })) },
      headers: { 'idempotency-key': 'batch-1' },
    });
    expect(batch.status).toBe(200);
    const server = cluster.launcher.children.server!;
    const pid = server.pid!;
    const load = (keyed: boolean, prefix: string) =>
      runLedgerLoad({
        urls: [a, b],
        durationMs: 4000,
        concurrency: 12,
        users: 20,
        prefix,
        keyed,
        settleMs: 15_000,
        board: 'ledger',
        headers: auth,
      });
    const loads = Promise.all([load(true, 'k-'), load(false, 'n-')]);
    await sleep(800);
    process.kill(pid, 'SIGKILL');
    const [keyed, unkeyed] = await loads;
    await waitFor(async () => (await http(`${a}/health-check`)).status === 200, 10_000, 'the server back');
    expect(server.restartCount).toBeGreaterThanOrEqual(1);
    expect(await checkLedger(a, keyed, 20, 'k-', 'ledger')).toMatchObject({
      lost: 0,
      duplicated: 0,
      unknown: 0,
    });
    expect(await checkLedger(a, unkeyed, 20, 'n-', 'ledger')).toMatchObject({ lost: 0, duplicated: 0 });
    // The boards, the batch, the profiles (with the rank in the country) are all there.
    expect((await http(`${a}/boards/best`)).body).toMatchObject({ operator: 'best', count: 500 });
    expect((await http(`${a}/boards/ledger`)).body).toMatchObject({ order: 'asc' });
    expect((await http(`${b}/boards/ledger/users/k-3`)).body).toMatchObject({
      name: 'Player 3',
      country: 'DE',
    });
    // The batch's key still answers its first answer, applied once.
    const replay = await http(`${b}/boards/best/scores`, {
      method: 'POST',
      body: { scores: Array.from({ length: 500 }, (_, i) => ({ user: `b-${i}`, total: i })) },
      headers: { 'idempotency-key': 'batch-1' },
    });
    expect(replay.body).toEqual(batch.body);
  });

  it('ends the periods that fell due while the server was down, at their boundaries', async () => {
    cluster = await startCluster({ clients: 1 });
    const url = cluster.endpoints.clients[0]!;
    const made = await http(`${url}/boards/sprint`, {
      method: 'PUT',
      body: { reset: { everySeconds: 3 }, history: 2 },
    });
    const { start, end } = made.body.period as { start: string; end: string };
    for (const [user, total] of [
      ['ann', 7],
      ['bob', 9],
      ['ann', 8],
    ] as const) {
      await http(`${url}/boards/sprint/scores`, { method: 'PUT', body: { user, total } });
    }
    const runDir = cluster.runDir;
    await cluster.stop();
    // Down across at least one boundary (the board's first period ends 3 s after its creation).
    await sleep(Math.max(0, Date.parse(end) + 3500 - Date.now()));
    cluster = await startCluster({ clients: 1, runDir });
    const again = cluster.endpoints.clients[0]!;
    const periods = (await http(`${again}/boards/sprint/periods`)).body as Array<{
      id: number;
      start: string;
      end: string;
      count: number;
    }>;
    // The finished period ended at its boundary, not when the server came back; the empty ones
    // that passed while it was down are not kept; the live one is the one the clock is in.
    expect(periods.at(-1)).toEqual({ id: 1, start, end, count: 2 });
    const live = periods[0]!;
    expect(live.id).toBeGreaterThanOrEqual(3);
    expect(live.count).toBe(0);
    expect(Date.parse(live.start)).toBe(Date.parse(start) + (live.id - 1) * 3000);
    expect((await http(`${again}/boards/sprint/periods/1/top/5`)).body).toEqual([
      { user: 'bob', total: 9, rank: 1 },
      { user: 'ann', total: 8, rank: 2 },
    ]);
    expect(
      (await http(`${again}/boards/sprint/users/ann/history?period=1`)).body.map(
        (r: { total: number }) => r.total,
      ),
    ).toEqual([8, 7]);
    const write = await http(`${again}/boards/sprint/scores`, {
      method: 'PUT',
      body: { user: 'cy', total: 1 },
    });
    expect(write.body).toEqual({ user: 'cy', total: 1, rank: 1 });
  });

  it('erases a player so that nothing of it is left in the data folder, and it stays erased', async () => {
    cluster = await startCluster({ clients: 1 });
    const url = cluster.endpoints.clients[0]!;
    const secret = 'erase-me-7f3a';
    await http(`${url}/boards/b`, { method: 'PUT', body: {} });
    await http(`${url}/players/${secret}`, {
      method: 'PUT',
      body: { name: 'Secret Name', metadata: { email: 'x@y' } },
    });
    await http(`${url}/boards/b/scores`, {
      method: 'PUT',
      body: { user: secret, total: 5 },
      headers: { 'idempotency-key': 'k-secret' },
    });
    await http(`${url}/score`, { method: 'PUT', body: { user: secret, score: '+3' } });
    await http(`${url}/score`, { method: 'PUT', body: { user: 'stays', total: 1 } });
    const dir = join(cluster.runDir, 'data');
    const holding = () => readdirSync(dir).filter((f) => readFileSync(join(dir, f)).includes(secret));
    expect(holding().length).toBeGreaterThan(0);
    expect((await http(`${url}/players/${secret}`, { method: 'DELETE' })).status).toBe(204);
    // The server compacts right after: a snapshot without the player, then the older logs go.
    await waitFor(async () => holding().length === 0, 10_000, `no data file holding ${secret}`);
    await cluster.stop();
    const runDir = cluster.runDir;
    cluster = await startCluster({ clients: 1, runDir });
    const again = cluster.endpoints.clients[0]!;
    expect((await http(`${again}/players/${secret}`)).status).toBe(404);
    expect((await http(`${again}/boards/b`)).body.count).toBe(0);
    expect((await http(`${again}/users/stays`)).body).toEqual({ user: 'stays', total: 1, rank: 1 });
    expect(holding()).toEqual([]);
  });
});
