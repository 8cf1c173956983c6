/**
 * Integration on simulated hosts (network namespaces joined by a bridge; see netns.ts): host 1
 * runs etcd, nginx and two clients; hosts 2 and 3 run the two members of one shard, each bound to
 * every address and publishing its host's address in etcd (ADVERTISE_HOST), as a pod publishes its
 * IP. Under a keyed ledger through nginx (REPLICATION=sync, FSYNC=always), the primary's host is cut
 * off the network: the standby on the other host takes over; the cut is healed: the old primary,
 * deposed, comes back (as a supervisor restarts it) as the standby and catches up. The ledger is
 * exact and the two members' state digests are equal.
 *
 * Needs root, as CI has.
 */
import {
  GATEWAY_MAIN,
  RANKING_SERVER_MAIN,
  etcdArgs,
  findEtcd,
  portAccepts,
  prepareNginxPrefix,
} from '@scoreboard/launcher';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http, waitFor } from './harness.js';
import { checkLedger, runLedgerLoad } from './ledger.js';
import { compare, inStep, shardZero, stopDirectClients } from './members.js';
import { SimulatedHosts, type Host } from './netns.js';

const runnable = process.getuid?.() === 0 && findEtcd() !== undefined;
const net = new SimulatedHosts(3);
const [front, ...memberHosts] = net.hosts as [Host, Host, Host];
const dirs = Array.from({ length: 4 }, () => mkdtempSync(join(tmpdir(), 'scoreboard-replicated-host-')));
const ETCD = `http://${front.ip}:2379`;
const NGINX_URL = `http://${front.ip}:8080`;
const BOARD = 'cut';
const USERS = 20;

/** Each member's process now; a member that exits (deposed: 75) is started again, as a supervisor would. */
const members: Array<ChildProcess | undefined> = [];
const restarts = [0, 0];
let stopping = false;

function startMember(i: number): void {
  const h = memberHosts[i]!;
  const child = net.run(h, process.execPath, [RANKING_SERVER_MAIN], {
    RANKING_ENDPOINT: 'tcp://0.0.0.0:5555',
    EVENTS_ENDPOINT: 'tcp://0.0.0.0:5556',
    REPLICATION_ENDPOINT: 'tcp://0.0.0.0:5557',
    ADVERTISE_HOST: h.ip,
    ETCD_ENDPOINTS: ETCD,
    REPLICATION: 'sync',
    FSYNC: 'always',
    METRICS_PORT: '0',
    DATA_DIR: dirs[i]!,
    SHARDS: '1',
    SHARD: '0',
  });
  members[i] = child;
  child.once('exit', () => {
    if (stopping) return;
    restarts[i]!++;
    setTimeout(() => startMember(i), 200);
  });
}

/** The member host whose address `endpoint` names. */
const hostOf = (endpoint: string): number => memberHosts.findIndex((h) => endpoint === `tcp://${h.ip}:5555`);

describe.runIf(runnable)('a shard whose members run on two simulated hosts', () => {
  beforeAll(async () => {
    net.build();
    net.run(
      front,
      findEtcd()!,
      etcdArgs({ name: 'e', dataDir: join(dirs[2]!, 'etcd'), host: front.ip, clientPort: 2379 }),
      {},
    );
    await waitFor(() => portAccepts(front.ip, 2379), 20_000, 'etcd on host 1');
    startMember(0);
    startMember(1);
    const clientEnv = {
      // Where the clients start; the leader key then names the primary.
      RANKING_ENDPOINT: `tcp://${memberHosts[0].ip}:5555`,
      EVENTS_ENDPOINT: `tcp://${memberHosts[0].ip}:5556`,
      ETCD_ENDPOINTS: ETCD,
      REQUEST_TIMEOUT_MS: '800',
      HOST: front.ip,
      DEBUG: '1',
    };
    for (const port of [8000, 8001])
      net.run(front, process.execPath, [GATEWAY_MAIN], { ...clientEnv, PORT: String(port) });
    for (const port of [8000, 8001])
      await waitFor(() => portAccepts(front.ip, port), 20_000, `client :${port}`);
    const prefix = join(dirs[3]!, 'nginx');
    const conf = prepareNginxPrefix(prefix, {
      listenHost: front.ip,
      listenPort: 8080,
      upstreams: [`${front.ip}:8000`, `${front.ip}:8001`],
    });
    net.run(front, 'nginx', ['-p', prefix, '-c', conf, '-e', 'stderr'], {});
    await inStep(NGINX_URL, 40_000);
    expect((await http(`${NGINX_URL}/boards/${BOARD}`, { method: 'PUT', body: {} })).status).toBe(201);
  }, 60_000);

  afterAll(async () => {
    stopping = true;
    await stopDirectClients();
    net.remove();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('moves to the standby when the primary’s host is cut off, and takes the old primary back as a standby', async () => {
    const before = await inStep(NGINX_URL);
    // Each member publishes its host's address, not the address it bound (0.0.0.0).
    const primary = hostOf(before.primary.endpoint);
    const standby = hostOf(before.standby.endpoint);
    expect([primary, standby].sort()).toEqual([0, 1]);

    const ledger = runLedgerLoad({
      urls: [NGINX_URL],
      durationMs: 12_000,
      settleMs: 25_000,
      concurrency: 8,
      users: USERS,
      prefix: 'n-',
      keyed: true,
      board: BOARD,
    });
    await new Promise((r) => setTimeout(r, 2000));
    net.link(memberHosts[primary]!, false);
    const cutAt = Date.now();
    const tookOver = await waitFor(
      async () => {
        const shard = await shardZero(NGINX_URL);
        return (
          shard && shard.epoch > before.epoch && hostOf(shard.members[0]!.endpoint) === standby && Date.now()
        );
      },
      15_000,
      'the standby on the other host to take over',
    );
    process.stdout.write(
      `[replicated-hosts.test] primary's host cut off: a new primary after ${tookOver - cutAt} ms\n`,
    );
    // The lease is 2 s; the new primary must follow its end within 3 s.
    expect(tookOver - cutAt).toBeLessThan(2000 + 3000);
    await new Promise((r) => setTimeout(r, Math.max(0, 5000 - (Date.now() - cutAt))));
    net.link(memberHosts[primary]!, true);

    // Healed: the old primary learns its lease is gone, exits, and returns as the standby.
    const check = await checkLedger(NGINX_URL, await ledger, USERS, 'n-', BOARD);
    expect(check).toMatchObject({ lost: 0, duplicated: 0 });
    expect(check.found).toBe(check.acknowledged);
    expect(check.acknowledged).toBeGreaterThan(100);
    const after = await compare(NGINX_URL);
    expect(hostOf(after.primary.endpoint)).toBe(standby);
    expect(hostOf(after.standby.endpoint)).toBe(primary);
    expect(restarts[primary]).toBeGreaterThan(0);
    expect(after.digests[1]).toBe(after.digests[0]);
  }, 90_000);
});
