/**
 * End to end, as a user runs it: `node scripts/start.mjs` (what `pnpm start` runs) starts the
 * ranking server, two clients and nginx; every request goes through nginx.
 */
import { ErrorCode } from '@scoreboard/protocol';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePorts, http, portIsFree, waitFor } from './harness.js';

const ROOT = resolve(import.meta.dirname, '../../..');
let launcher: ChildProcess;
let output = '';
let base: number;
let url: string;

beforeAll(async () => {
  base = await freePorts(6);
  url = `http://127.0.0.1:${base + 2}`;
  const runDir = mkdtempSync(join(tmpdir(), 'scoreboard-e2e-'));
  launcher = spawn(process.execPath, [join(ROOT, 'scripts/start.mjs')], {
    cwd: ROOT,
    env: {
      ...process.env,
      CLIENTS: '2',
      BASE_PORT: String(base),
      NGINX_PORT: String(base + 2),
      RANKING_ENDPOINT: `tcp://127.0.0.1:${base + 3}`,
      METRICS_PORT: String(base + 4),
      EVENTS_ENDPOINT: `tcp://127.0.0.1:${base + 5}`,
      DEBUG: '1',
      LOG_LEVEL: 'warn',
      NGINX: 'on',
      RUN_DIR: runDir,
      DATA_DIR: join(runDir, 'data'),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, like a terminal's foreground job: Ctrl-C is a SIGINT to the group.
    detached: true,
  });
  launcher.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  launcher.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  await waitFor(
    async () => output.includes('scoreboard is up'),
    60_000,
    `the launcher (output so far: ${output})`,
  );
}, 90_000);

afterAll(async () => {
  if (launcher.exitCode === null) {
    process.kill(-launcher.pid!, 'SIGKILL');
  }
});

describe('the scoreboard through nginx', () => {
  it('prints where it is reachable', () => {
    expect(output).toContain(`scoreboard is up: ${url}`);
    expect(output).toContain('load-balanced over 2 clients');
  });

  it('prints every scrape address, serves metrics there and not through nginx', async () => {
    const server = `http://127.0.0.1:${base + 4}/metrics`;
    const clients = [base, base + 1].map((p) => `http://127.0.0.1:${p}/metrics`);
    expect(output).toContain(`metrics:        ${[...clients, server].join(', ')}`);
    expect((await http(`${url}/score`, { method: 'PUT', body: { user: 'metered', total: 1 } })).status).toBe(
      200,
    );
    const serverPage = await (await fetch(server)).text();
    expect(serverPage).toMatch(/^scoreboard_commands_total\{command="set"\} [1-9]/m);
    expect(serverPage).toMatch(/^scoreboard_log_fsync_seconds_count [1-9]/m);
    const clientPages = await Promise.all(clients.map(async (c) => (await fetch(c)).text()));
    // nginx sent the write to one of the two clients.
    expect(clientPages.join('\n')).toMatch(
      /^scoreboard_http_requests_total\{route="\/score",method="PUT",status="200"\} 1$/m,
    );
    const hidden = await http(`${url}/metrics`);
    expect(hidden).toMatchObject({ status: 404, body: { error: { code: ErrorCode.HTTP_NOT_FOUND } } });
  });

  it('serves the original scoreboard cases', async () => {
    expect((await http(`${url}/reset`, { method: 'DELETE' })).status).toBe(200);
    const totals = [100, 200, 150, 350, 225, 155, 60, 415, 190, 25];
    for (const [i, total] of totals.entries()) {
      const res = await http(`${url}/score`, { method: 'PUT', body: { user: i + 1, total } });
      expect(res).toMatchObject({ status: 200, body: { user: i + 1, total } });
    }
    expect((await http(`${url}/top/3`)).body.map((e: { user: number }) => e.user)).toEqual([8, 4, 5]);
    const windows: Array<[number, number, number]> = [
      [5, 2, 5],
      [11, 2, 2],
      [1, 2, 3],
      [5, 8, 10],
    ];
    for (const [p, s, n] of windows) expect((await http(`${url}/top/${p}/${s}`)).body).toHaveLength(n);
    const seen: number[] = [];
    for (const d of ['+10', '-100', '+150', '-75', '+225']) {
      seen.push((await http(`${url}/score`, { method: 'PUT', body: { user: 'rel', score: d } })).body.total);
    }
    expect(seen).toEqual([10, -90, 60, -15, 210]);
  });

  it('serves boards, players and full batches through nginx', async () => {
    expect((await http(`${url}/boards/e2e`, { method: 'PUT', body: { operator: 'best' } })).status).toBe(201);
    const scores = Array.from({ length: 1000 }, (_, i) => ({
      user: `player-with-a-longish-id-${i}`,
      total: i * 7,
    }));
    const batch = await http(`${url}/boards/e2e/scores`, { method: 'POST', body: { scores } });
    expect(batch.status).toBe(200);
    expect(batch.body.results).toHaveLength(1000);
    const players = Array.from({ length: 1000 }, (_, i) => ({
      user: `player-with-a-longish-id-${i}`,
      name: `Player ${i}`,
      country: i % 2 ? 'FR' : 'br',
      metadata: { bio: 'x'.repeat(900) },
    }));
    const profiles = await http(`${url}/players`, { method: 'POST', body: { players } });
    expect(profiles).toMatchObject({ status: 200, body: { created: 1000, updated: 0 } });
    expect((await http(`${url}/boards/e2e/top/1?rank=dense`)).body).toEqual([
      { user: 'player-with-a-longish-id-999', total: 6993, rank: 1, name: 'Player 999', country: 'FR' },
    ]);
    expect((await http(`${url}/boards/e2e/countries`)).body).toEqual([
      { country: 'BR', count: 500 },
      { country: 'FR', count: 500 },
    ]);
    const tooBig = await http(`${url}/players`, {
      method: 'POST',
      body: { players: players.map((p) => ({ ...p, metadata: { bio: 'y'.repeat(2500) } })) },
    });
    expect(tooBig).toMatchObject({ status: 413, body: { error: { code: ErrorCode.HTTP_BODY_TOO_LARGE } } });
  });

  it('answers bad input and unknown routes with JSON errors', async () => {
    const bad = await http(`${url}/score`, { method: 'PUT', body: { user: 1, score: '+1xaY50' } });
    expect(bad).toMatchObject({ status: 400, body: { error: { code: ErrorCode.HTTP_VALIDATION } } });
    const huge = await http(`${url}/score`, {
      method: 'PUT',
      body: { user: 1, total: 1, pad: 'x'.repeat(20_000) },
    });
    expect(huge).toMatchObject({ status: 413, body: { error: { code: ErrorCode.HTTP_BODY_TOO_LARGE } } });
    const missing = await http(`${url}/no/such/route`);
    expect(missing).toMatchObject({ status: 404, body: { error: { code: ErrorCode.HTTP_NOT_FOUND } } });
    expect((await http(`${url}/health-check`)).body).toEqual({ status: 'ok' });
  });

  it('keeps serving when a client is killed, and the launcher restarts it', async () => {
    const victim = base + 1;
    const pid = Number(
      await waitFor(
        async () => {
          const { execFileSync } = await import('node:child_process');
          const out = execFileSync('sh', [
            '-c',
            `ps -eo pid,args | grep "gateway/dist/gateway.mjs" | grep -v grep || true`,
          ]).toString();
          // Both clients share a command line; find the one listening on the victim port by env.
          const pids = out
            .trim()
            .split('\n')
            .filter(Boolean)
            .map((l) => l.trim().split(/\s+/)[0]!);
          for (const p of pids) {
            const env = execFileSync('sh', [
              '-c',
              `tr '\\0' '\\n' < /proc/${p}/environ | grep '^PORT=' || true`,
            ]).toString();
            if (env.trim() === `PORT=${victim}`) return p;
          }
          return undefined;
        },
        5000,
        'the client pid',
      ),
    );
    process.kill(pid, 'SIGKILL');
    // Reads are retried on the other client by nginx: none fails.
    for (let i = 0; i < 20; i++) expect((await http(`${url}/top/1`)).status).toBe(200);
    await waitFor(
      async () =>
        !(await portIsFree(victim)) && (await http(`http://127.0.0.1:${victim}/health-check`)).status === 200,
      15_000,
      'the client to be restarted',
    );
    expect(output).toContain('child exited; restarting');
  });

  it('stops every process on Ctrl-C (SIGINT to the whole group), exits 0 and frees the ports', async () => {
    const exited = once(launcher, 'exit');
    process.kill(-launcher.pid!, 'SIGINT');
    const [code] = await exited;
    expect(code).toBe(0);
    for (const port of [base, base + 1, base + 2]) expect(await portIsFree(port)).toBe(true);
  });
});
