/**
 * `pnpm bench`: the scoreboard against a Redis-backed peer and a constant-answer ceiling, through
 * the same nginx, in one run.
 *
 * For each system it starts N processes behind nginx (ours: the launcher; the peer: Fastify +
 * ioredis over a Redis sorted set; the ceiling: Fastify answering a constant body), preloads the
 * board (ours: a snapshot file written straight into the data folder, which also measures start-up
 * time; the peer: ZADD in large batches), and drives each workload with wrk for a bounded time.
 * The systems compared are up together and take turns, round after round (the order rotating), so
 * the noise of this shared machine lands on all of them. It samples CPU per process from /proc,
 * prints a table with ours/peer and ours/ceiling, a durability table (ours beside Redis's AOF under
 * the same fsync policy, full speed and paced at half speed), and writes JSON and an SVG chart
 * (throughput against clients and against board size).
 *
 *   pnpm bench [--seconds 3] [--rounds 3] [--users 1000000] [--clients 2] [--connections 64]
 *              [--sweep-clients 1,2,4] [--sweep-users 10000,100000,1000000,10000000]
 *              [--out scripts/bench/results (a temporary folder with --smoke)] [--smoke]
 *              [--quick] [--workloads "PUT absolute,GET /top/100"]
 *
 * `--smoke` runs every path for about a second on a small board (CI: it must keep working; it
 * asserts nothing about speed). `--quick` prints the main table only (no durability rows, no sweeps)
 * and writes nothing: for trying a change side by side. `--workloads` picks workloads by name.
 */
import { CEILING_MAIN, REDIS_PEER_MAIN } from '@scoreboard/bench-fixtures';
import { Supervised, findNginx, nginxProcess, portAccepts } from '@scoreboard/launcher';
import { SNAPSHOT_FILE, writeSnapshot, type FsyncPolicy } from '@scoreboard/ranking-server';
import { freePorts, startCluster } from '@scoreboard/tests/harness';
import { execFileSync } from 'node:child_process';
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { renderChart } from './bench/chart.js';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '3' },
    rounds: { type: 'string', default: '3' },
    users: { type: 'string', default: '1000000' },
    clients: { type: 'string', default: '2' },
    connections: { type: 'string', default: '64' },
    'sweep-clients': { type: 'string', default: '1,2,4' },
    'sweep-users': { type: 'string', default: '10000,100000,1000000,10000000' },
    out: { type: 'string' },
    smoke: { type: 'boolean', default: false },
    quick: { type: 'boolean', default: false },
    workloads: { type: 'string' },
  },
});
const smoke = values.smoke;
const SECONDS = smoke ? 1 : Number(values.seconds);
const ROUNDS = smoke ? 1 : Math.max(1, Number(values.rounds));
const USERS = smoke ? 10_000 : Number(values.users);
const CLIENTS = Number(values.clients);
const CONNECTIONS = smoke ? 16 : Number(values.connections);
const SWEEP_CLIENTS = smoke ? [1] : values['sweep-clients'].split(',').map(Number);
const SWEEP_USERS = smoke ? [1000] : values['sweep-users'].split(',').map(Number);
// A smoke run's figures mean nothing: they never overwrite the committed results unless asked.
const OUT = resolve(
  values.out ?? (smoke ? mkdtempSync(join(tmpdir(), 'scoreboard-smoke-')) : 'scripts/bench/results'),
);
const logger = pino({ level: 'warn' });
const say = (line: string): void => void process.stderr.write(`[bench] ${line}\n`);

for (const tool of ['wrk', 'redis-server']) {
  try {
    execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
  } catch {
    process.stderr.write(
      `bench: ${tool} is not installed (Debian: apt-get install wrk redis-server nginx)\n`,
    );
    process.exit(2);
  }
}
if (!findNginx()) {
  process.stderr.write('bench: nginx is not installed (Debian: apt-get install nginx)\n');
  process.exit(2);
}

// ---------------------------------------------------------------- workloads (wrk Lua scripts)

interface Workload {
  name: string;
  lua: (users: number) => string;
}

const seedLua = `math.randomseed(os.time() + tonumber(string.sub(tostring({}), 8), 16))\n`;
const putHeaders = `wrk.method = "PUT"\nwrk.headers["Content-Type"] = "application/json"\n`;
const ALL_WORKLOADS: Workload[] = [
  {
    name: 'PUT absolute',
    lua: (n) => `${seedLua}${putHeaders}request = function()
  return wrk.format(nil, "/score", nil, '{"user":' .. math.random(0, ${n - 1}) .. ',"total":' .. math.random(0, 1000000) .. '}')
end\n`,
  },
  {
    name: 'PUT relative',
    lua: (n) => `${seedLua}${putHeaders}request = function()
  return wrk.format(nil, "/score", nil, '{"user":' .. math.random(0, ${n - 1}) .. ',"score":"+' .. math.random(1, 100) .. '"}')
end\n`,
  },
  { name: 'GET /top/100', lua: () => `wrk.path = "/top/100"\n` },
  {
    name: 'GET /top/P/5',
    lua: (n) => `${seedLua}request = function()
  return wrk.format("GET", "/top/" .. math.random(1, ${n}) .. "/5")
end\n`,
  },
  {
    name: 'GET /users/:id',
    lua: (n) => `${seedLua}request = function()
  return wrk.format("GET", "/users/" .. math.random(0, ${n - 1}))
end\n`,
  },
  {
    name: 'mix 90% write',
    lua: (n) => `${seedLua}request = function()
  if math.random() < 0.9 then
    return wrk.format("PUT", "/score", {["Content-Type"] = "application/json"}, '{"user":' .. math.random(0, ${n - 1}) .. ',"score":"+' .. math.random(1, 100) .. '"}')
  end
  return wrk.format("GET", "/users/" .. math.random(0, ${n - 1}))
end\n`,
  },
];
const PUT_RELATIVE = ALL_WORKLOADS[1]!;
const picked = values.workloads?.split(',').map((w) => w.trim());
const WORKLOADS = picked ? ALL_WORKLOADS.filter((w) => picked.includes(w.name)) : ALL_WORKLOADS;
if (WORKLOADS.length === 0 || (picked && WORKLOADS.length !== picked.length)) {
  process.stderr.write(`bench: --workloads names: ${ALL_WORKLOADS.map((w) => w.name).join(', ')}\n`);
  process.exit(2);
}

// ---------------------------------------------------------------- measurement

interface Result {
  /** Mean over the rounds (each the same length). */
  rps: number;
  /** req/s of each round, in order: the spread shows how noisy the machine was. */
  rounds: number[];
  p50ms: number;
  p99ms: number;
  non2xx: number;
  errors: number;
  cpu: Record<string, number>;
}

const TICKS = Number(execFileSync('getconf', ['CLK_TCK']).toString()) || 100;

/** CPU seconds used so far by a pid (user + system). */
function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS;
  } catch {
    return 0;
  }
}

/** The pids of a process's children (nginx's workers). */
function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

const toMs = (v: string): number => {
  const m = /^([\d.]+)(us|ms|s|m)$/.exec(v.trim());
  if (!m) return NaN;
  const n = Number(m[1]);
  return m[2] === 'us' ? n / 1000 : m[2] === 'ms' ? n : m[2] === 's' ? n * 1000 : n * 60_000;
};

/**
 * Runs wrk against `url` with a workload; samples CPU of the named pids over the run. `pacing` is
 * Lua appended to the workload's script (a `delay()` that spaces the requests out).
 */
function runWrk(
  url: string,
  workload: Workload,
  users: number,
  pids: Record<string, number[]>,
  opts: { pacing?: string; connections?: number } = {},
): Result {
  const dir = mkdtempSync(join(tmpdir(), 'scoreboard-wrk-'));
  const script = join(dir, 'load.lua');
  writeFileSync(script, workload.lua(users) + (opts.pacing ?? ''));
  const before = Object.fromEntries(
    Object.entries(pids).map(([k, ps]) => [k, ps.reduce((s, p) => s + cpuSeconds(p), 0)]),
  );
  const t0 = performance.now();
  const out = execFileSync(
    'timeout',
    [
      String(SECONDS + 30),
      'wrk',
      '-t2',
      `-c${opts.connections ?? CONNECTIONS}`,
      `-d${SECONDS}s`,
      '--timeout',
      '5s',
      '--latency',
      '-s',
      script,
      url,
    ],
    { encoding: 'utf8' },
  );
  const wall = (performance.now() - t0) / 1000;
  const cpu = Object.fromEntries(
    Object.entries(pids).map(([k, ps]) => [
      k,
      Math.round((100 * (ps.reduce((s, p) => s + cpuSeconds(p), 0) - before[k]!)) / wall),
    ]),
  );
  rmSync(dir, { recursive: true, force: true });
  const pct = (p: string): number => toMs(new RegExp(`^\\s+${p}%\\s+(\\S+)`, 'm').exec(out)?.[1] ?? 'NaN');
  const errors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? 0);
  return {
    rps,
    rounds: [rps],
    p50ms: pct('50'),
    p99ms: pct('99'),
    non2xx: Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0),
    errors: errors ? errors.slice(1).reduce((s, x) => s + Number(x), 0) : 0,
    cpu,
  };
}

const median = (xs: number[]): number => {
  const v = [...xs].sort((a, b) => a - b);
  return v.length % 2 ? v[(v.length - 1) / 2]! : (v[v.length / 2 - 1]! + v[v.length / 2]!) / 2;
};

/**
 * Measures every system ROUNDS times, the systems taking turns (the order rotates each round), so
 * a slow minute on this shared machine lands on all of them instead of on one. Throughput is the
 * mean of the rounds; p50 and p99 the median of the rounds' own; CPU the mean.
 */
function inTurns(systems: Record<string, System>, measure: (sys: System) => Result): Record<string, Result> {
  const names = Object.keys(systems);
  const runs: Record<string, Result[]> = {};
  for (let round = 0; round < ROUNDS; round++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(k + round) % names.length]!;
      (runs[name] ??= []).push(measure(systems[name]!));
    }
  }
  return Object.fromEntries(
    Object.entries(runs).map(([name, rs]) => {
      const cpu: Record<string, number> = {};
      for (const key of Object.keys(rs[0]!.cpu)) {
        cpu[key] = Math.round(rs.reduce((sum, r) => sum + r.cpu[key]!, 0) / rs.length);
      }
      return [
        name,
        {
          ...rs[0]!,
          rps: rs.reduce((sum, r) => sum + r.rps, 0) / rs.length,
          rounds: rs.map((r) => r.rps),
          p50ms: median(rs.map((r) => r.p50ms)),
          p99ms: median(rs.map((r) => r.p99ms)),
          non2xx: rs.reduce((sum, r) => sum + r.non2xx, 0),
          errors: rs.reduce((sum, r) => sum + r.errors, 0),
          cpu,
        },
      ];
    }),
  );
}

/** Latency at a paced rate: what was asked, what was reached. */
interface Paced {
  rate: number;
  achieved: number;
  p50ms: number;
  p99ms: number;
}

/** O(1). A paced run's result as what was asked (`rate`) and what was reached. */
const asPaced = (rate: number, r: Result): Paced => ({
  rate,
  achieved: r.rps,
  p50ms: r.p50ms,
  p99ms: r.p99ms,
});

/**
 * A wrk `delay()` that holds each wrk thread to `rate / threads` requests per second: every call
 * books the thread's next send slot on a wall clock (LuaJIT's ffi, gettimeofday) and waits for it.
 * The rate holds whatever the latency, as long as some connection is free when its slot comes.
 */
function pacingLua(rate: number, threads: number): string {
  const stepMs = (1000 * threads) / Math.max(1, rate);
  return `local ffi = require("ffi")
ffi.cdef[[ struct sb_timeval { long tv_sec; long tv_usec; }; int gettimeofday(struct sb_timeval *tv, void *tz); ]]
local tv = ffi.new("struct sb_timeval")
local function now() ffi.C.gettimeofday(tv, nil) return tonumber(tv.tv_sec) * 1000 + tonumber(tv.tv_usec) / 1000 end
local slot = nil
delay = function()
  local t = now()
  if slot == nil or slot < t - 50 then slot = t end
  slot = slot + ${stepMs.toFixed(4)}
  local d = slot - t
  if d < 0 then return 0 end
  return math.floor(d)
end
`;
}

/**
 * Relative PUTs paced at `rate` req/s (see {@link pacingLua}) over 32 connections: its p50/p99 are
 * the latency below saturation, its rps what was reached. wrk is C: pacing it costs the shared
 * cores far less than a JavaScript load generator would, and its latency is the system's.
 */
function pacedRun(url: string, rate: number, users: number, pids: Record<string, number[]>): Result {
  return runWrk(url, PUT_RELATIVE, users, pids, { pacing: pacingLua(rate, 2), connections: 32 });
}

// ---------------------------------------------------------------- systems

interface System {
  url: string;
  pids: () => Record<string, number[]>;
  stop: () => Promise<void>;
  startupMs?: number;
}

/** Writes a snapshot of `users` users with random totals: the bulk preload path. */
async function preloadSnapshot(dataDir: string, users: number): Promise<void> {
  mkdirSync(dataDir, { recursive: true });
  let i = 0;
  let seed = 42;
  const states: Iterator<[number, number, number]> = {
    next: () => {
      if (i >= users) return { done: true, value: undefined };
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      i++;
      return { done: false, value: [i - 1, seed % 1_000_001, i] };
    },
  };
  await writeSnapshot(dataDir, 1, { states, keys: [][Symbol.iterator](), nextSeq: () => users + 1 }, 100_000);
  if (!readdirSync(dataDir).includes(SNAPSHOT_FILE)) throw new Error('snapshot not written');
}

async function startOurs(clients: number, users: number, fsync: FsyncPolicy = 'always'): Promise<System> {
  const runDir = mkdtempSync(join(tmpdir(), 'scoreboard-bench-'));
  await preloadSnapshot(join(runDir, 'data'), users);
  const cluster = await startCluster({ clients, nginx: true, runDir, env: { FSYNC: fsync } });
  const c = cluster.launcher.children;
  return {
    url: cluster.endpoints.url,
    startupMs: c.server!.readyMs!,
    pids: () => ({
      'ranking server': [c.server!.pid!],
      clients: c.clients.map((x) => x.pid!),
      nginx: [c.nginx!.pid!, ...childPids(c.nginx!.pid!)],
    }),
    stop: async () => {
      await cluster.stop();
      rmSync(runDir, { recursive: true, force: true });
    },
  };
}

/** Starts `count` copies of a fixture process and nginx in front of them. */
async function startFixture(
  main: string,
  count: number,
  extraEnv: Record<string, string>,
): Promise<{ procs: Supervised[]; nginx: Supervised; url: string; stopAll: () => Promise<void> }> {
  const base = await freePorts(count + 1);
  const procs = Array.from(
    { length: count },
    (_, i) =>
      new Supervised(
        {
          name: `fixture-${base + i}`,
          command: process.execPath,
          args: [main],
          env: { ...process.env, ...extraEnv, PORT: String(base + i) },
          ipc: true,
        },
        logger,
      ),
  );
  await Promise.all(procs.map((p) => p.start()));
  const prefix = mkdtempSync(join(tmpdir(), 'scoreboard-bench-nginx-'));
  const nginx = nginxProcess(
    findNginx()!,
    prefix,
    {
      listenHost: '127.0.0.1',
      listenPort: base + count,
      upstreams: procs.map((_, i) => `127.0.0.1:${base + i}`),
    },
    logger,
  );
  await nginx.start();
  return {
    procs,
    nginx,
    url: `http://127.0.0.1:${base + count}`,
    stopAll: async () => {
      await nginx.stop();
      await Promise.all(procs.map((p) => p.stop()));
      rmSync(prefix, { recursive: true, force: true });
    },
  };
}

/**
 * The peer. Without `aof`, Redis as shipped: RDB snapshots on its default schedule, no AOF. With
 * it, Redis's append-only file under the same policy names as ours (`appendfsync always` fsyncs
 * before replying, like our FSYNC=always).
 */
async function startPeer(clients: number, users: number, aof?: FsyncPolicy): Promise<System> {
  const [redisPort] = [await freePorts(1)];
  const redisDir = mkdtempSync(join(tmpdir(), 'scoreboard-bench-redis-'));
  const durability = aof ? ['--appendonly', 'yes', '--appendfsync', aof] : [];
  const redis = new Supervised(
    {
      name: 'redis',
      command: 'redis-server',
      args: [
        '--port',
        String(redisPort),
        '--bind',
        '127.0.0.1',
        '--dir',
        redisDir,
        '--loglevel',
        'warning',
        ...durability,
      ],
      ipc: false,
      probe: () => portAccepts('127.0.0.1', redisPort),
    },
    logger,
  );
  await redis.start();
  const client = new Redis({ port: redisPort });
  const started = performance.now();
  for (let i = 0, seed = 42; i < users;) {
    const args: Array<string | number> = [];
    for (let k = 0; k < 10_000 && i < users; k++, i++) {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      args.push(seed % 1_000_001, String(i));
    }
    await client.zadd('scoreboard', ...args);
  }
  say(`peer: preloaded ${users} users into Redis in ${Math.round(performance.now() - started)} ms`);
  client.disconnect();
  const fx = await startFixture(REDIS_PEER_MAIN, clients, { REDIS_PORT: String(redisPort) });
  return {
    url: fx.url,
    pids: () => ({
      redis: [redis.pid!],
      clients: fx.procs.map((p) => p.pid!),
      nginx: [fx.nginx.pid!, ...childPids(fx.nginx.pid!)],
    }),
    stop: async () => {
      await fx.stopAll();
      await redis.stop();
      rmSync(redisDir, { recursive: true, force: true });
    },
  };
}

async function startCeiling(clients: number): Promise<System> {
  const fx = await startFixture(CEILING_MAIN, clients, {});
  return {
    url: fx.url,
    pids: () => ({
      clients: fx.procs.map((p) => p.pid!),
      nginx: [fx.nginx.pid!, ...childPids(fx.nginx.pid!)],
    }),
    stop: fx.stopAll,
  };
}

// ---------------------------------------------------------------- the run

const fmt = (n: number, d = 0): string => (Number.isFinite(n) ? n.toFixed(d) : 'n/a');
const report: Record<string, unknown> = {
  date: new Date().toISOString(),
  machine: {
    cpus: execFileSync('nproc').toString().trim(),
    node: process.version,
    kernel: execFileSync('uname', ['-r']).toString().trim(),
  },
  settings: { seconds: SECONDS, users: USERS, clients: CLIENTS, connections: CONNECTIONS, smoke },
};

say(
  `main table: ${USERS} users, ${CLIENTS} clients; per workload, ${ROUNDS} rounds of wrk -t2 -c${CONNECTIONS} -d${SECONDS}s with the systems taking turns`,
);
const table: Record<string, Record<string, Result>> = {};
{
  const systems: Record<string, System> = {
    ours: await startOurs(CLIENTS, USERS),
    peer: await startPeer(CLIENTS, USERS),
    ceiling: await startCeiling(CLIENTS),
  };
  const startupMs = systems['ours']!.startupMs!;
  report['startupMs'] = { users: USERS, ms: startupMs };
  say(`ours: ranking server loaded ${USERS} users and was ready in ${startupMs} ms`);
  for (const w of WORKLOADS) {
    const row = (table[w.name] = inTurns(systems, (sys) => runWrk(sys.url, w, USERS, sys.pids())));
    for (const [name, r] of Object.entries(row)) {
      say(
        `${name.padEnd(8)} ${w.name.padEnd(16)} ${fmt(r.rps)} req/s (rounds ${r.rounds.map((x) => fmt(x)).join(', ')})  p50 ${fmt(r.p50ms, 2)} ms  p99 ${fmt(r.p99ms, 2)} ms  non-2xx ${r.non2xx}`,
      );
    }
  }
  for (const sys of Object.values(systems)) await sys.stop();
}
report['table'] = table;

if (values.quick) {
  process.stdout.write(`\n${renderTable(table).join('\n')}\n\n`);
  process.exit(0);
}

/** The main table as Markdown: one row per workload, ours beside the peer and the ceiling. */
function renderTable(table: Record<string, Record<string, Result>>): string[] {
  const lines: string[] = [];
  lines.push(
    `| workload | ours req/s | p50 ms | p99 ms | peer req/s | ceiling req/s | ours/peer | ours/ceiling | CPU % ours (server / clients / nginx) | CPU % peer (redis / clients / nginx) |`,
  );
  lines.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |');
  for (const w of WORKLOADS) {
    const row = table[w.name]!;
    const o = row['ours']!;
    const p = row['peer']!;
    const c = row['ceiling']!;
    lines.push(
      `| ${w.name} | ${fmt(o.rps)} | ${fmt(o.p50ms, 2)} | ${fmt(o.p99ms, 2)} | ${fmt(p.rps)} | ${fmt(c.rps)} | ${fmt(o.rps / p.rps, 2)} | ${fmt(o.rps / c.rps, 2)} | ` +
        `${o.cpu['ranking server']} / ${o.cpu['clients']} / ${o.cpu['nginx']} | ${p.cpu['redis']} / ${p.cpu['clients']} / ${p.cpu['nginx']} |`,
    );
  }
  return lines;
}

// What one fsync costs on this disk: it bounds the latency of a durable write.
function fsyncProbe(): { p50ms: number; p99ms: number; maxMs: number } {
  const dir = mkdtempSync(join(tmpdir(), 'scoreboard-fsync-'));
  const fd = openSync(join(dir, 'probe'), 'a');
  const times: number[] = [];
  for (let i = 0; i < 300; i++) {
    writeSync(fd, Buffer.alloc(100, 1));
    const t = performance.now();
    fsyncSync(fd);
    times.push(performance.now() - t);
  }
  closeSync(fd);
  rmSync(dir, { recursive: true, force: true });
  times.sort((a, b) => a - b);
  return { p50ms: times[150]!, p99ms: times[296]!, maxMs: times[299]! };
}
const probe = fsyncProbe();
report['fsyncProbe'] = probe;
say(
  `one fsync of a small append: p50 ${fmt(probe.p50ms, 2)} ms, p99 ${fmt(probe.p99ms, 2)} ms, max ${fmt(probe.maxMs, 2)} ms`,
);

// Durable writes beside in-memory speed, ours beside the peer under the same policy (Redis AOF),
// and latency at half of the default's maximum rate.
const halfRate = table['PUT relative']!['ours']!.rps / 2;
const fsyncRows: Record<string, Result & { atHalfLoad: Paced; peer: Result & { atHalfLoad: Paced } }> = {};
for (const fsync of ['always', 'everysec', 'no'] as const) {
  const systems = {
    ours: await startOurs(CLIENTS, USERS, fsync),
    peer: await startPeer(CLIENTS, USERS, fsync),
  };
  const paced = inTurns(systems, (sys) => pacedRun(sys.url, halfRate, USERS, sys.pids()));
  const full = inTurns(systems, (sys) => runWrk(sys.url, PUT_RELATIVE, USERS, sys.pids()));
  for (const sys of Object.values(systems)) await sys.stop();
  const ours = full['ours']!;
  const peer = full['peer']!;
  const atHalfLoad = asPaced(halfRate, paced['ours']!);
  const peerAtHalfLoad = asPaced(halfRate, paced['peer']!);
  fsyncRows[fsync] = { ...ours, atHalfLoad, peer: { ...peer, atHalfLoad: peerAtHalfLoad } };
  say(
    `FSYNC=${fsync}: PUT relative ${fmt(ours.rps)} req/s (p99 ${fmt(ours.p99ms, 2)} ms), peer with appendfsync ${fsync} ${fmt(peer.rps)} req/s (p99 ${fmt(peer.p99ms, 2)} ms), ours/peer ${fmt(ours.rps / peer.rps, 2)}`,
  );
  say(
    `  paced at ${fmt(halfRate)} req/s: ours ${fmt(atHalfLoad.achieved)} req/s p50 ${fmt(atHalfLoad.p50ms, 2)} ms p99 ${fmt(atHalfLoad.p99ms, 2)} ms; peer ${fmt(peerAtHalfLoad.achieved)} req/s p50 ${fmt(peerAtHalfLoad.p50ms, 2)} ms p99 ${fmt(peerAtHalfLoad.p99ms, 2)} ms`,
  );
}
report['latencyAtHalfLoad'] = fsyncRows['always']!.atHalfLoad;
report['fsync'] = fsyncRows;

// Sweeps for the chart: PUT relative against the number of clients and against board size, the
// systems of each point up together and taking turns.
const sweepClients: Array<{ clients: number; ours: number; peer: number; ceiling: number }> = [];
for (const n of SWEEP_CLIENTS) {
  const users = Math.min(USERS, 100_000);
  const systems = {
    ours: await startOurs(n, users),
    peer: await startPeer(n, users),
    ceiling: await startCeiling(n),
  };
  const r = inTurns(systems, (sys) => runWrk(sys.url, PUT_RELATIVE, users, sys.pids()));
  for (const sys of Object.values(systems)) await sys.stop();
  const row = { clients: n, ours: r['ours']!.rps, peer: r['peer']!.rps, ceiling: r['ceiling']!.rps };
  sweepClients.push(row);
  say(`clients ${n}: ours ${fmt(row.ours)} peer ${fmt(row.peer)} ceiling ${fmt(row.ceiling)} req/s`);
}
const sweepUsers: Array<{
  users: number;
  ours: number;
  peer: number;
  oursP99ms: number;
  paced: Paced;
  startupMs: number;
}> = [];
for (const n of SWEEP_USERS) {
  const systems = { ours: await startOurs(CLIENTS, n), peer: await startPeer(CLIENTS, n) };
  const startupMs = systems.ours.startupMs ?? NaN;
  const r = inTurns(systems, (sys) => runWrk(sys.url, PUT_RELATIVE, n, sys.pids()));
  const ours = r['ours']!;
  // The same board at half of the rate it just reached: latency when not saturated.
  const paced = asPaced(
    ours.rps / 2,
    inTurns({ ours: systems.ours }, (sys) => pacedRun(sys.url, ours.rps / 2, n, sys.pids()))['ours']!,
  );
  for (const sys of Object.values(systems)) await sys.stop();
  sweepUsers.push({
    users: n,
    ours: ours.rps,
    peer: r['peer']!.rps,
    oursP99ms: ours.p99ms,
    paced,
    startupMs,
  });
  say(
    `users ${n}: ours ${fmt(ours.rps)} (p99 ${fmt(ours.p99ms, 2)} ms; paced at ${fmt(paced.achieved)} req/s p50 ${fmt(paced.p50ms, 2)} ms p99 ${fmt(paced.p99ms, 2)} ms; start-up ${startupMs} ms), peer ${fmt(r['peer']!.rps)} req/s`,
  );
}
report['sweepClients'] = sweepClients;
report['sweepUsers'] = sweepUsers;

// ---------------------------------------------------------------- output

const lines = renderTable(table);
lines.push(
  '',
  `| durability (PUT relative) | ours req/s | ours p99 ms | peer req/s (Redis AOF, same policy) | peer p99 ms | ours/peer | paced at ${fmt(halfRate)} req/s: ours p50 / p99 ms | peer p50 / p99 ms |`,
  '| --- | ---: | ---: | ---: | ---: | ---: | --- | --- |',
);
for (const [policy, r] of Object.entries(fsyncRows)) {
  const h = r.atHalfLoad;
  const ph = r.peer.atHalfLoad;
  lines.push(
    `| FSYNC=${policy} / appendfsync ${policy} | ${fmt(r.rps)} | ${fmt(r.p99ms, 2)} | ${fmt(r.peer.rps)} | ${fmt(r.peer.p99ms, 2)} | ${fmt(r.rps / r.peer.rps, 2)} | ${fmt(h.p50ms, 2)} / ${fmt(h.p99ms, 2)} (${fmt(h.achieved)} req/s) | ${fmt(ph.p50ms, 2)} / ${fmt(ph.p99ms, 2)} (${fmt(ph.achieved)} req/s) |`,
  );
}
process.stdout.write(`\n${lines.join('\n')}\n\n`);
mkdirSync(OUT, { recursive: true });
writeFileSync(join(OUT, 'bench.json'), JSON.stringify(report, null, 2));
writeFileSync(join(OUT, 'bench.md'), `${lines.join('\n')}\n`);
writeFileSync(join(OUT, 'throughput.svg'), renderChart(sweepClients, sweepUsers));
say(`wrote ${join(OUT, 'bench.json')}, bench.md and throughput.svg`);
