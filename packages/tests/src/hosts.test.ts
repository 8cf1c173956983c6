/**
 * Integration on simulated hosts: three Linux network namespaces joined by a bridge, as three
 * machines on one network. Host 1 runs nginx and two clients, hosts 2 and 3 a ranking server each
 * (shards 0 and 1); they talk over the bridge's addresses only. Under a ledgered write load across
 * many boards (every write keyed and retried until acknowledged): shard 1 is killed with SIGKILL
 * and restarted, then shard 0's link is cut and restored. Every acknowledged write is there and
 * none twice, and each shard's boards kept answering while the other was away.
 *
 * Needs root (namespaces, veth, a bridge), as CI has; see netns.ts.
 */
import { shardOf } from '@scoreboard/protocol';
import { GATEWAY_MAIN, RANKING_SERVER_MAIN, portAccepts, prepareNginxPrefix } from '@scoreboard/launcher';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkLedger, runLedgerLoad } from './ledger.js';
import { http, waitFor } from './harness.js';
import { SimulatedHosts } from './netns.js';

const isRoot = process.getuid?.() === 0;
const net = new SimulatedHosts(3);
const hosts = net.hosts;
const runOn = net.run.bind(net);

const dataDirs = hosts.map(() => mkdtempSync(join(tmpdir(), 'scoreboard-host-')));
const shardHosts = [hosts[1]!, hosts[2]!];
/** The running ranking server of each shard. */
const shardProcs: ChildProcess[] = [];

function startShard(i: number): void {
  const h = shardHosts[i]!;
  shardProcs[i] = runOn(h, process.execPath, [RANKING_SERVER_MAIN], {
    RANKING_ENDPOINT: `tcp://${h.ip}:5555`,
    EVENTS_ENDPOINT: `tcp://${h.ip}:5556`,
    METRICS_PORT: '0',
    DATA_DIR: dataDirs[i]!,
    SHARDS: String(shardHosts.length),
    SHARD: String(i),
  });
}

const NGINX_URL = `http://${hosts[0]!.ip}:8080`;
const BOARDS = Array.from({ length: 8 }, (_, i) => `arena-${i}`);
const shardOfBoard = (board: string): number => shardOf(board, 2);

describe.runIf(isRoot)('three simulated hosts', () => {
  beforeAll(async () => {
    net.build();
    startShard(0);
    startShard(1);
    for (const h of shardHosts) await waitFor(() => portAccepts(h.ip, 5555), 20_000, `shard on ${h.ip}`);
    const endpoints = {
      RANKING_ENDPOINT: shardHosts.map((h) => `tcp://${h.ip}:5555`).join(','),
      EVENTS_ENDPOINT: shardHosts.map((h) => `tcp://${h.ip}:5556`).join(','),
      REQUEST_TIMEOUT_MS: '800',
      HOST: hosts[0]!.ip,
      TRUST_PROXY: hosts[0]!.ip,
    };
    for (const port of [8000, 8001])
      runOn(hosts[0]!, process.execPath, [GATEWAY_MAIN], { ...endpoints, PORT: String(port) });
    const prefix = join(dataDirs[2]!, 'nginx');
    const conf = prepareNginxPrefix(prefix, {
      listenHost: hosts[0]!.ip,
      listenPort: 8080,
      upstreams: [`${hosts[0]!.ip}:8000`, `${hosts[0]!.ip}:8001`],
    });
    runOn(hosts[0]!, 'nginx', ['-p', prefix, '-c', conf, '-e', 'stderr'], {});
    await waitFor(async () => (await http(`${NGINX_URL}/boards`)).status === 200, 20_000, 'nginx on host 1');
    for (const board of BOARDS) {
      expect((await http(`${NGINX_URL}/boards/${board}`, { method: 'PUT', body: {} })).status).toBe(201);
    }
    // Both shards hold some of the boards.
    expect(new Set(BOARDS.map(shardOfBoard)).size).toBe(2);
  }, 60_000);

  afterAll(() => {
    net.remove();
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  });

  it('loses and doubles nothing through a shard killed and a link cut, and the other shard keeps answering', async () => {
    /** Failures per shard, with when they happened. */
    const failures: Array<{ shard: number; at: number }> = [];
    const loads = Promise.all(
      BOARDS.map((board, b) =>
        runLedgerLoad({
          urls: [NGINX_URL],
          durationMs: 9_000,
          settleMs: 20_000,
          concurrency: 2,
          users: 10,
          prefix: `p${b}-`,
          keyed: true,
          board,
          onFailure: () => failures.push({ shard: shardOfBoard(board), at: Date.now() }),
        }),
      ),
    );
    const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
    await wait(1500);
    // Shard 1 dies (SIGKILL) and comes back from its data folder.
    const killedAt = Date.now();
    shardProcs[1]!.kill('SIGKILL');
    await wait(2000);
    startShard(1);
    await waitFor(() => portAccepts(shardHosts[1]!.ip, 5555), 20_000, 'shard 1 back');
    const backAt = Date.now();
    // Both clients answer for shard 1's boards again (their sockets reconnect with a backoff of up
    // to a second) before the other outage begins, so the two outages never overlap.
    const board1 = BOARDS.find((b) => shardOfBoard(b) === 1)!;
    for (const port of [8000, 8001]) {
      const url = `http://${hosts[0]!.ip}:${port}/boards/${board1}/top/1`;
      await waitFor(async () => (await http(url)).status === 200, 20_000, `client :${port} reaches shard 1`);
    }
    await wait(1000);
    // Shard 0's host drops off the network and comes back.
    const cutAt = Date.now();
    net.link(hosts[1]!, false);
    await wait(2000);
    net.link(hosts[1]!, true);
    const restoredAt = Date.now();
    const ledgers = await loads;

    // Each shard's boards kept answering while the other one was away.
    const during = (from: number, to: number, shard: number) =>
      failures.filter((f) => f.shard === shard && f.at >= from && f.at <= to).length;
    expect(during(killedAt, backAt, 1)).toBeGreaterThan(0); // the outage was real…
    expect(during(killedAt + 100, backAt, 0)).toBe(0); // …and shard 0's boards did not see it
    expect(during(cutAt, restoredAt, 0)).toBeGreaterThan(0);
    expect(during(cutAt + 100, restoredAt, 1)).toBe(0);

    // Every acknowledged write is there, none twice.
    let acknowledged = 0;
    for (const [b, board] of BOARDS.entries()) {
      const check = await checkLedger(NGINX_URL, ledgers[b]!, 10, `p${b}-`, board);
      expect(check, board).toMatchObject({ lost: 0, duplicated: 0, unknown: 0 });
      expect(check.found).toBe(check.acknowledged);
      acknowledged += check.acknowledged;
    }
    expect(acknowledged).toBeGreaterThan(200);
  }, 90_000);
});
