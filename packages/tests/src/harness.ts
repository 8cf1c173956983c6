/**
 * Test harness: free ports, polling, and a whole system (ranking server + N clients, optionally
 * nginx) started through the real launcher on loopback, with every wait bounded in time.
 */
import { settingsEnv } from '@scoreboard/config';
import { Launcher, launcherSettings, loadLauncherConfig, type Endpoints } from '@scoreboard/launcher';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';

/** Resolves true when `port` on 127.0.0.1 can be bound right now. */
export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/**
 * The first port of the kernel's ephemeral range (what outgoing connections are given), 32768 when
 * it cannot be read. Ports picked below it cannot be taken by a connection — wrk's, nginx's
 * upstream keep-alives, a Redis client's — between the pick and the bind.
 */
function ephemeralLow(): number {
  try {
    const low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    return Number.isInteger(low) && low > 12_000 ? low : 32_768;
  } catch {
    return 32_768;
  }
}
const EPHEMERAL_LOW = ephemeralLow();

/**
 * A base port such that `count` consecutive ports from it are free on 127.0.0.1, all below the
 * ephemeral range (see {@link ephemeralLow}).
 */
export async function freePorts(count: number): Promise<number> {
  const span = EPHEMERAL_LOW - 10_000 - count;
  for (let attempt = 0; attempt < 200; attempt++) {
    const base = 10_000 + Math.floor(Math.random() * span);
    let ok = true;
    for (let p = base; p < base + count && ok; p++) ok = await portIsFree(p);
    if (ok) return base;
  }
  throw new Error(`no ${count} consecutive free ports found`);
}

/** Polls `check` every 50 ms until it resolves truthy; throws after `timeoutMs`. */
export async function waitFor<T>(
  check: () => Promise<T | undefined | false>,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      const v = await check();
      if (v) return v;
    } catch {
      // not yet
    }
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Environment every cluster of this test file starts with, and headers every `http` call sends. */
const defaults = { env: {} as Record<string, string>, headers: {} as Record<string, string> };

/**
 * Turns API keys on for every cluster this test file starts (ADMIN_KEY) and sends the admin key
 * with every `http` call; answers the header, for loads that send their own requests.
 */
export function keysOn(adminKey: string): { authorization: string } {
  const header = { authorization: `Bearer ${adminKey}` };
  defaults.env = { ADMIN_KEY: adminKey };
  defaults.headers = header;
  return header;
}

/** A running system for a test. */
export interface Cluster {
  launcher: Launcher;
  endpoints: Endpoints;
  basePort: number;
  nginxPort: number;
  /** Holds nginx's files and the ranking server's data folder (`data/`). */
  runDir: string;
  stop(): Promise<void>;
}

/** Starts the ranking server and `clients` clients (and nginx when asked) on free ports. */
export async function startCluster(
  opts: {
    clients?: number;
    nginx?: boolean;
    requestTimeoutMs?: number;
    runDir?: string;
    env?: Record<string, string>;
    /** Ranking servers (SHARDS); each takes two ports from the ranking endpoint's on, and a metrics port. */
    shards?: number;
    /** Standbys per shard (REPLICAS): each plane of them 128 ports above the last, then the replication plane. */
    replicas?: number;
  } = {},
): Promise<Cluster> {
  const clients = opts.clients ?? 2;
  const shards = opts.shards ?? 1;
  const replicas = opts.replicas ?? 0;
  // Clients, nginx, each shard's ranking and events ports (two apiece), each shard's metrics port;
  // with standbys, their planes and the members' replication planes (see the launcher's
  // shards.ts), then etcd's client and peer ports.
  const base = await freePorts(clients + 1 + (replicas > 0 ? 128 * (2 * replicas + 2) + 2 : 3 * shards));
  const ranking = base + clients + 1;
  const runDir = opts.runDir ?? mkdtempSync(join(tmpdir(), 'scoreboard-test-'));
  const config = loadLauncherConfig([], {
    ...settingsEnv(launcherSettings, {
      clients,
      basePort: base,
      nginxPort: base + clients,
      shards,
      replicas,
      ...(replicas > 0 ? { etcdPort: base + clients + 1 + 128 * (2 * replicas + 2) } : {}),
      rankingEndpoint: `tcp://127.0.0.1:${ranking}`,
      eventsEndpoint: `tcp://127.0.0.1:${ranking + 1}`,
      metricsPort: ranking + 2 * shards,
      debug: true,
      logLevel: 'warn',
      requestTimeoutMs: opts.requestTimeoutMs ?? 2000,
      nginx: opts.nginx ? 'on' : 'off',
      runDir,
      dataDir: join(runDir, 'data'),
    }),
    ...defaults.env,
    ...opts.env,
  });
  const launcher = new Launcher(config, pino({ level: 'warn' }));
  const endpoints = await launcher.start();
  return {
    launcher,
    endpoints,
    basePort: base,
    nginxPort: base + clients,
    runDir,
    stop: () => launcher.stop(),
  };
}

/** Sends a JSON request and answers status, headers and parsed body. */
export async function http(
  url: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: any; headers: Headers }> {
  const req: RequestInit = { method: init.method ?? 'GET', signal: AbortSignal.timeout(10_000) };
  const headers = { ...defaults.headers, ...init.headers };
  if (init.body !== undefined) {
    req.headers = { 'content-type': 'application/json', ...headers };
    req.body = typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
  } else {
    req.headers = headers;
  }
  const res = await fetch(url, req);
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: res.status, body, headers: res.headers };
}
