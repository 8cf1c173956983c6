/**
 * Integration, with real processes through nginx: a full disk stops writes, not the service. The
 * ranking server's data folder is a 3 MB tmpfs that this test mounts (it needs root; otherwise it
 * says why and does not run). A file fills most of it, then a keyed ledger of `+1`s fills the rest
 * under FSYNC=always with snapshots due every 64 KiB of log. While the disk is full:
 * - writes answer 503 STORAGE_UNAVAILABLE with Retry-After and change nothing;
 * - reads answer 200, concurrently, from memory; `/health-check` answers 200 "degraded" with the
 *   reason; the server's metric says so; the server is never restarted;
 * then the filler is removed and writes resume within 2 s. The ledger is exact — nothing
 * acknowledged is lost, nothing applied twice — before and after a restart of the whole system.
 */
import { ErrorCode } from '@scoreboard/protocol';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { http, startCluster, waitFor, type Cluster } from './harness.js';
import { checkLedger, runLedgerLoad } from './ledger.js';

const root = typeof process.getuid === 'function' && process.getuid() === 0;
if (!root) {
  process.stderr.write('[disk-full.test] not run: mounting a small tmpfs needs root (CI runs as root)\n');
}

const USERS = 20;
const BOARD = 'disk';
let mount = '';
let cluster: Cluster | undefined;

beforeAll(() => {
  if (!root) return;
  mount = mkdtempSync(join(tmpdir(), 'scoreboard-disk-'));
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=3m', 'tmpfs', mount]);
  if (r.status !== 0) throw new Error(`mount failed: ${r.stderr.toString()}`);
});
afterEach(async () => {
  await cluster?.stop();
  cluster = undefined;
});
afterAll(() => {
  if (!root) return;
  spawnSync('umount', [mount]);
  rmSync(mount, { recursive: true, force: true });
});

/** The value of an unlabelled metric in a Prometheus scrape. */
async function metric(url: string, name: string): Promise<number> {
  const text = await (await fetch(url)).text();
  const m = new RegExp(`^${name} (\\S+)$`, 'm').exec(text);
  if (!m) throw new Error(`${name} not in the scrape`);
  return Number(m[1]);
}

describe.runIf(root)('a full disk', () => {
  it('refuses writes with 503, keeps reads and health at 200, resumes within 2 s, loses nothing', async () => {
    const data = join(mount, 'data');
    const env = { DATA_DIR: data, FSYNC: 'always', SNAPSHOT_BYTES: String(64 * 1024) };
    cluster = await startCluster({ clients: 2, nginx: true, env });
    const url = `http://127.0.0.1:${cluster.nginxPort}`;
    expect((await http(`${url}/boards/${BOARD}`, { method: 'PUT', body: {} })).status).toBe(201);
    const metrics = cluster.endpoints.metrics.find(
      (m) => !cluster!.endpoints.clients.some((c) => m.startsWith(c)),
    )!;
    const server = cluster.launcher.children.server!;
    const pid = server.pid;

    // Leave about 160 KB: the ledger fills it within a second or two.
    const filler = join(mount, 'filler');
    const free = Number(spawnSync('df', ['--output=avail', '-B1', mount]).stdout.toString().split('\n')[1]);
    writeFileSync(filler, Buffer.alloc(Math.max(0, free - 160 * 1024)));

    const load = runLedgerLoad({
      urls: [url],
      durationMs: 9000,
      concurrency: 8,
      users: USERS,
      prefix: 'disk-',
      keyed: true,
      board: BOARD,
      settleMs: 20_000,
    });

    await waitFor(
      async () => (await http(`${url}/health-check`)).body.status === 'degraded',
      8000,
      'the disk to fill',
    );
    // While it is full: reads from memory, concurrently; writes refused, changing nothing.
    const probe = async () =>
      http(`${url}/boards/${BOARD}/scores`, { method: 'PUT', body: { user: 'probe', total: 1 } });
    for (let s = 0; s < 5; s++) {
      const reads = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          http(i % 2 ? `${url}/boards/${BOARD}/top/3` : `${url}/boards/${BOARD}/users/disk-${i}`),
        ),
      );
      expect(reads.map((r) => r.status)).toEqual(Array(12).fill(200));
      const write = await probe();
      expect([write.status, write.body.error?.code]).toEqual([503, ErrorCode.STORAGE_UNAVAILABLE]);
      expect(Number(write.headers.get('retry-after'))).toBeGreaterThan(0);
      const health = await http(`${url}/health-check`);
      expect(health.status).toBe(200);
      expect(health.body).toMatchObject({ status: 'degraded', reason: expect.stringContaining('ENOSPC') });
      await new Promise((r) => setTimeout(r, 400));
    }
    expect(await metric(metrics, 'scoreboard_storage_stalled')).toBe(1);
    expect((await http(`${url}/boards/${BOARD}/users/probe`)).status).toBe(404);
    expect(server.pid).toBe(pid);
    expect(server.restartCount).toBe(0);

    // Space comes back: writes resume within 2 s.
    rmSync(filler);
    const freed = Date.now();
    await waitFor(async () => (await probe()).status === 200, 2000, 'writes to resume');
    const resumedMs = Date.now() - freed;
    expect(resumedMs).toBeLessThan(2000);
    expect((await http(`${url}/health-check`)).body).toEqual({ status: 'ok' });
    expect(await metric(metrics, 'scoreboard_storage_stalled')).toBe(0);

    const ledger = await load;
    expect(ledger.statuses.get(503)).toBeGreaterThan(0);
    expect(ledger.unknown.size).toBe(0);
    const check = await checkLedger(url, ledger, USERS, 'disk-', BOARD);
    expect(check).toMatchObject({ lost: 0, duplicated: 0 });
    expect(check.found).toBe(check.acknowledged);
    expect(server.restartCount).toBe(0);

    // After a restart, from what is on disk: the same, exactly.
    const runDir = cluster.runDir;
    await cluster.stop();
    cluster = await startCluster({ clients: 2, nginx: true, env, runDir });
    const again = await checkLedger(`http://127.0.0.1:${cluster.nginxPort}`, ledger, USERS, 'disk-', BOARD);
    expect(again).toEqual(check);
  });
});
