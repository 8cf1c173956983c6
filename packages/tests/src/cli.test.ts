/**
 * The command line against a real cluster: sample → import (killed with SIGKILL halfway, then run
 * again) → export gives back exactly the file, and no row was applied twice (each player's
 * best-results history holds one result); the reads and keys commands; errors exit 1 with the code.
 */
import { run, statePath, type Io } from '@scoreboard/cli';
import { ErrorCode } from '@scoreboard/protocol';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http, startCluster, waitFor, type Cluster } from './harness.js';

const CLI = resolve(import.meta.dirname, '../../cli/dist/main.js');
const ADMIN = 'cli-admin-key-0123456789abcdef';
let cluster: Cluster;
let url: string;
let dir: string;

/** Runs the CLI in this process; answers its exit code and what it wrote. */
async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: Io = { out: (t) => void (out += t), err: (t) => void (err += t), tty: false };
  const code = await run(['--url', url, '--key', ADMIN, ...args], io);
  return { code, out, err };
}

beforeAll(async () => {
  cluster = await startCluster({ env: { ADMIN_KEY: ADMIN } });
  url = cluster.endpoints.url;
  dir = mkdtempSync(join(tmpdir(), 'scoreboard-cli-'));
}, 60_000);
afterAll(() => cluster?.stop());

describe('pnpm scoreboard', () => {
  it('imports a sample resumably after a kill -9, and exports it back exactly', async () => {
    const sample = await cli('sample', '--players', '3000', '--seed', '5');
    expect(sample.code).toBe(0);
    const file = join(dir, 'players.ndjson');
    // Every seventh row's score carries metadata, which must come back with it.
    const input =
      sample.out
        .trim()
        .split('\n')
        .map((line, i) =>
          i % 7 === 0 ? JSON.stringify({ ...(JSON.parse(line) as object), metadata: { run: i } }) : line,
        )
        .join('\n') + '\n';
    writeFileSync(file, input);
    const auth = { authorization: `Bearer ${ADMIN}` };
    // History 5: a score applied twice would leave two results for its player.
    const made = await http(`${url}/boards/runs`, {
      method: 'PUT',
      body: { operator: 'best', history: 5 },
      headers: auth,
    });
    expect(made.status).toBe(201);

    const child = spawn(
      process.execPath,
      [CLI, 'import', file, '--board', 'runs', '--batch', '25', '--url', url, '--key', ADMIN],
      {
        stdio: 'ignore',
      },
    );
    const state = statePath(file, 'runs');
    await waitFor(
      async () =>
        existsSync(state) &&
        (JSON.parse(readFileSync(state, 'utf8')) as { batchesDone: number }).batchesDone >= 8,
      20_000,
      'the import to get eight batches in',
    );
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const doneBefore = (JSON.parse(readFileSync(state, 'utf8')) as { batchesDone: number }).batchesDone;
    expect(doneBefore).toBeLessThan(120); // it was stopped before the end

    const resumed = await cli('import', file, '--board', 'runs', '--batch', '25');
    expect(resumed.code, resumed.err).toBe(0);
    expect(resumed.err).toContain(`resumed after ${doneBefore} done before`);
    expect(existsSync(state)).toBe(false);

    const exported = await cli('export', 'runs');
    const byUser = (text: string) =>
      text
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { user: string })
        .sort((a, b) => a.user.localeCompare(b.user));
    expect(byUser(exported.out)).toEqual(byUser(input));
    expect(exported.out).toContain('"metadata":{"run":7}');
    // Every player of the batches around the kill has one result, not two.
    const around = Array.from({ length: 75 }, (_, i) => `p${(doneBefore - 1) * 25 + i + 1}`);
    for (const user of around) {
      const history = await http(`${url}/boards/runs/users/${user}/history`);
      expect(history.status).toBe(200);
      expect(history.body, user).toHaveLength(1);
    }
  }, 90_000);

  it('lists boards, shows a top and a player, and manages keys', async () => {
    const boards = await cli('boards');
    expect(boards.out).toMatch(/^board\s+order\s+operator\s+count$/m);
    expect(boards.out).toMatch(/^runs\s+desc\s+best\s+3000$/m);
    const top = await cli('--json', 'top', 'runs', '3');
    const rows = JSON.parse(top.out) as Array<{ rank: number; name: string }>;
    expect(rows.map((r) => r.rank)).toEqual([1, 2, 3]);
    expect(rows[0]!.name.length).toBeGreaterThan(0);
    const player = JSON.parse((await cli('player', 'p1')).out) as {
      boards: Record<string, { rank: number }>;
    };
    expect(player.boards['runs']!.rank).toBeGreaterThan(0);
    // One shard, no standbys: its primary alone, epoch 0 (no election).
    const members = await cli('cluster');
    expect(members.out).toMatch(/^shard\s+epoch\s+role\s+endpoint\s+lag$/m);
    expect(members.out).toMatch(/^0\s+0\s+primary\s+tcp:\/\/127\.0\.0\.1:\d+\s+0$/m);
    const key = JSON.parse(
      (await cli('keys', 'create', 'bot', '--scopes', 'write', '--boards', 'runs')).out,
    ) as {
      secret: string;
    };
    expect(key.secret).toMatch(/^sb_/);
    expect((await cli('keys', 'list')).out).toMatch(/^bot\s+\["write"\]\s+\["runs"\]/m);
    expect((await cli('keys', 'revoke', 'bot')).code).toBe(0);
    expect((await cli('keys', 'list')).out).not.toMatch(/^bot/m);
  });

  it("prints a finished period's results, every page of them", async () => {
    const auth = { authorization: `Bearer ${ADMIN}` };
    const put = await http(`${url}/boards/cup`, {
      method: 'PUT',
      body: { rewards: [{ ranks: [1, 1], reward: { gems: 100 } }] },
      headers: auth,
    });
    expect(put.status).toBe(201);
    // 1 500 players: two pages of results at the CLI's 1 000 a page.
    for (let from = 0; from < 1500; from += 750) {
      const scores = Array.from({ length: 750 }, (_, i) => ({ user: `c${from + i}`, total: from + i }));
      expect(
        (await http(`${url}/boards/cup/scores`, { method: 'POST', body: { scores }, headers: auth })).status,
      ).toBe(200);
    }
    expect((await cli('results', 'cup')).err).toContain('no finished period');
    expect((await http(`${url}/boards/cup/reset`, { method: 'POST', headers: auth })).status).toBe(200);
    const all = JSON.parse((await cli('--json', 'results', 'cup')).out) as Array<{
      user: string;
      rank: number;
      reward: unknown;
    }>;
    expect(all).toHaveLength(1500);
    expect(all.map((r) => r.rank)).toEqual(Array.from({ length: 1500 }, (_, i) => i + 1));
    expect(all[0]).toMatchObject({ user: 'c1499', reward: { gems: 100 } });
    const shown = await cli('results', 'cup', '1');
    expect(shown.out).toMatch(/^tier\s+bucket\s+rank\s+user\s+total\s+nextTier\s+reward$/m);
    expect(shown.out).toMatch(/^\s+1\s+c1499\s+1499\s+\{"gems":100\}$/m);
  }, 60_000);

  it('exits 1 naming the error code, and 0 for --help', async () => {
    const missing = await cli('top', 'nope');
    expect(missing.code).toBe(1);
    expect(missing.err).toContain(ErrorCode.BOARD_NOT_FOUND);
    const unauth = await run(['--url', url, 'keys', 'list'], {
      out: () => undefined,
      err: () => undefined,
      tty: false,
    });
    expect(unauth).toBe(1);
    const bad = join(dir, 'bad.ndjson');
    writeFileSync(bad, '{"user":"a","total":1}\n{"user":"b"}\n');
    const refused = await cli('import', bad, '--board', 'runs');
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('line 2');
    expect((await cli('import', '--help')).code).toBe(0);
  });
});
