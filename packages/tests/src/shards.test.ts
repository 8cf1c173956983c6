/**
 * Integration: three ranking servers (SHARDS=3) and two clients on free ports. Boards live on the
 * shard their id hashes to; profiles are on every shard; cross-shard reads are merged; a shard
 * that is down (stopped with SIGSTOP: it holds its connections and answers nothing) makes only its
 * own boards answer 503; an erasure reaches every shard; everything comes back after a restart.
 */
import { run, type Io } from '@scoreboard/cli';
import { ErrorCode, shardOf } from '@scoreboard/protocol';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { http, startCluster, waitFor, type Cluster } from './harness.js';

const SHARDS = 3;
let cluster: Cluster | undefined;
afterEach(async () => {
  for (const shard of cluster?.launcher.children.shards ?? []) {
    if (shard.pid) process.kill(shard.pid, 'SIGCONT');
  }
  await cluster?.stop();
  cluster = undefined;
});

/** O(scrape). The boards a shard's metrics report entries for. */
async function boardsOnShard(metricsUrl: string): Promise<string[]> {
  const text = await (await fetch(metricsUrl)).text();
  return [...text.matchAll(/^scoreboard_board_entries\{board="([^"]+)"\} (\d+)/gm)]
    .filter((m) => Number(m[2]) > 0)
    .map((m) => m[1]!)
    .sort();
}

const BOARDS = Array.from({ length: 12 }, (_, i) => `league-${i}`);
const PLAYERS = ['ann', 'bob', 'cy', 'dee'];
const COUNTRY: Record<string, string> = { ann: 'DE', bob: 'BR', cy: 'DE', dee: 'JP' };

async function fill(url: string): Promise<void> {
  for (const user of PLAYERS) {
    const r = await http(`${url}/players/${user}`, {
      method: 'PUT',
      body: { name: user.toUpperCase(), country: COUNTRY[user] },
    });
    expect(r.status).toBe(201);
  }
  for (const [b, board] of BOARDS.entries()) {
    expect((await http(`${url}/boards/${board}`, { method: 'PUT', body: {} })).status).toBe(201);
    for (const [p, user] of PLAYERS.entries()) {
      const r = await http(`${url}/boards/${board}/scores`, {
        method: 'PUT',
        body: { user, total: 100 * (b + 1) + p },
      });
      expect(r.status).toBe(200);
    }
  }
}

/**
 * Keyed `+1`s for the user "ledger" on every board from each of `urls` (one writer each), each
 * retried with its key on 503 until acknowledged; `stop()` ends them and answers the count
 * acknowledged per board, any other failure, and how many 503s were retried.
 */
function ledger(boards: string[], urls: string[], prefix: string) {
  let stopped = false;
  const acked = new Map<string, number>(boards.map((board) => [board, 0]));
  let retried = 0;
  const failures: string[] = [];
  const writer = async (url: string, w: number): Promise<void> => {
    for (let i = 0; !stopped; i++) {
      const board = boards[(i * 5 + w) % boards.length]!;
      const key = `${prefix}${w}-${i}`;
      for (;;) {
        const r = await http(`${url}/boards/${board}/scores`, {
          method: 'PUT',
          body: { user: 'ledger', score: '+1' },
          headers: { 'idempotency-key': key },
        });
        if (r.status === 200) break;
        if (r.status !== 503) {
          failures.push(`${r.status} ${JSON.stringify(r.body)}`);
          return;
        }
        retried++;
      }
      acked.set(board, acked.get(board)! + 1);
    }
  };
  const writers = urls.map((url, w) => writer(url, w));
  return {
    stop: async () => {
      stopped = true;
      await Promise.all(writers);
      return { acked, failures, retried };
    },
  };
}

describe('three shards', () => {
  it('places each board on the shard its id hashes to and answers as one service', async () => {
    cluster = await startCluster({ clients: 2, shards: SHARDS });
    const [a, b] = cluster.endpoints.clients as [string, string];
    await fill(a);
    // Every shard holds exactly its boards, and every shard holds some.
    const scrapes = cluster.endpoints.metrics.filter(
      (m) => !cluster!.endpoints.clients.some((c) => m.startsWith(c)),
    );
    expect(scrapes).toHaveLength(SHARDS);
    for (const [i, scrape] of scrapes.entries()) {
      const want = BOARDS.filter((board) => shardOf(board, SHARDS) === i).sort();
      expect(want.length).toBeGreaterThan(0);
      expect(await boardsOnShard(scrape)).toEqual(want);
    }
    // One list of boards, each once (every shard keeps a `default` board of its own).
    const listed = (await http(`${b}/boards`)).body.map((v: { board: string }) => v.board);
    expect(listed).toEqual([...BOARDS, 'default', 'runner'].sort());
    // Names and countries show on every shard's rows and country rankings.
    for (const board of BOARDS) {
      const top = (await http(`${b}/boards/${board}/top/2`)).body;
      expect(top.map((r: { user: string; name: string }) => [r.user, r.name])).toEqual([
        ['dee', 'DEE'],
        ['cy', 'CY'],
      ]);
      const de = (await http(`${b}/boards/${board}/countries/DE/top/5`)).body;
      expect(de.map((r: { user: string }) => r.user)).toEqual(['cy', 'ann']);
    }
    // A player's placements from every shard in one answer.
    const ann = (await http(`${b}/players/ann`)).body;
    expect(ann).toMatchObject({ user: 'ann', name: 'ANN', country: 'DE' });
    expect(Object.keys(ann.boards).sort()).toEqual([...BOARDS].sort());
    expect(ann.boards['league-3']).toMatchObject({ total: 400, rank: 4 });
    expect((await http(`${b}/players/nobody`)).body.error.code).toBe(ErrorCode.PLAYER_NOT_FOUND);
  });

  it('answers 503 only for the boards of a shard that is down, and erases on every shard', async () => {
    // Roomy: CI runs test files side by side on two cores, and a healthy shard must not time out.
    cluster = await startCluster({ clients: 2, shards: SHARDS, requestTimeoutMs: 2500 });
    const [a] = cluster.endpoints.clients as [string];
    await fill(a);
    const victim = 1;
    const down = BOARDS.filter((board) => shardOf(board, SHARDS) === victim);
    const up = BOARDS.filter((board) => shardOf(board, SHARDS) !== victim);
    const pid = cluster.launcher.children.shards[victim]!.pid!;
    process.kill(pid, 'SIGSTOP');
    try {
      for (const board of down) {
        const r = await http(`${a}/boards/${board}/scores`, {
          method: 'PUT',
          body: { user: 'eve', total: 1 },
        });
        expect(r.status).toBe(503);
        expect(r.body.error.code).toBe(ErrorCode.RANKING_UNAVAILABLE);
      }
      // The others never stopped answering, reads and writes.
      for (const board of up) {
        const read = await http(`${a}/boards/${board}/top/1`);
        expect([read.status, board, read.body?.error]).toEqual([200, board, undefined]);
        const r = await http(`${a}/boards/${board}/scores`, {
          method: 'PUT',
          body: { user: 'eve', total: 5 },
        });
        expect([r.status, board, r.body?.error]).toEqual([200, board, undefined]);
      }
      // What needs every shard waits for all of them: not acknowledged while one is down.
      expect((await http(`${a}/players/bob`, { method: 'DELETE' })).status).toBe(503);
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    // Back: the erasure is retried and reaches every shard.
    await waitFor(
      async () => (await http(`${a}/boards/${down[0]!}/top/1`)).status === 200,
      10_000,
      'the shard back',
    );
    expect((await http(`${a}/players/bob`, { method: 'DELETE' })).status).toBe(204);
    const gone = async (url: string): Promise<void> => {
      expect((await http(`${url}/players/bob`)).status).toBe(404);
      for (const board of BOARDS) {
        const rows = (await http(`${url}/boards/${board}/top/10`)).body as Array<{ user: string }>;
        expect(rows.map((r) => r.user)).not.toContain('bob');
      }
    };
    await gone(a);
    // A restart of the whole system brings every shard's boards back from its own data folder.
    const before = (await http(`${a}/players/ann`)).body;
    const runDir = cluster.runDir;
    await cluster.stop();
    cluster = await startCluster({ clients: 2, shards: SHARDS, runDir });
    const [c] = cluster.endpoints.clients as [string];
    expect((await http(`${c}/players/ann`)).body).toEqual(before);
    await gone(c);
    for (const board of up) {
      const eve = (await http(`${c}/boards/${board}/users/eve`)).body;
      expect(eve).toMatchObject({ user: 'eve', total: 5 });
    }
    for (const board of down) expect((await http(`${c}/boards/${board}/users/eve`)).status).toBe(404);
  });

  it('moves a stopped system from one shard to three with `scoreboard reshard`, losing nothing', async () => {
    cluster = await startCluster({ clients: 2 });
    const [a] = cluster.endpoints.clients as [string];
    await fill(a);
    const before = {
      boards: await Promise.all(BOARDS.map(async (b) => (await http(`${a}/boards/${b}/top/10`)).body)),
      ann: (await http(`${a}/players/ann`)).body,
    };
    const runDir = cluster.runDir;
    await cluster.stop();
    cluster = undefined;
    let err = '';
    const io: Io = { out: () => undefined, err: (t) => void (err += t), tty: false };
    const dataDir = join(runDir, 'data');
    // Offline needs both the folder and the count it was used with.
    expect(await run(['reshard', '--data-dir', dataDir, '--to', '3'], io)).toBe(1);
    expect(err).toMatch(/needs both --data-dir and --from/);
    err = '';
    const started = Date.now();
    expect(await run(['reshard', '--data-dir', dataDir, '--from', '1', '--to', '3'], io)).toBe(0);
    const pauseMs = Date.now() - started;
    expect(err).toMatch(/resharded 14 boards from 1 to 3 shards/);
    expect(existsSync(join(dataDir, 'shard-2'))).toBe(true);
    expect(readdirSync(runDir).some((f) => f.startsWith('data.before-reshard-'))).toBe(true);
    cluster = await startCluster({ clients: 2, shards: SHARDS, runDir });
    const [c] = cluster.endpoints.clients as [string];
    const after = {
      boards: await Promise.all(BOARDS.map(async (b) => (await http(`${c}/boards/${b}/top/10`)).body)),
      ann: (await http(`${c}/players/ann`)).body,
    };
    expect(after).toEqual(before);
    // Each board is now on the shard the hash picks for three.
    const scrapes = cluster.endpoints.metrics.filter(
      (m) => !cluster!.endpoints.clients.some((x) => m.startsWith(x)),
    );
    for (const [i, scrape] of scrapes.entries()) {
      expect(await boardsOnShard(scrape)).toEqual(BOARDS.filter((b) => shardOf(b, SHARDS) === i).sort());
    }
    // The folder work itself is short on a small board (the stop and start are the rest of the pause).
    expect(pauseMs).toBeLessThan(10_000);
  });

  it('moves boards from two shards to three and back to two while they take writes, losing and repeating none', async () => {
    cluster = await startCluster({ clients: 2, shards: 2 });
    await fill(cluster.endpoints.clients[0]!);
    // More boards, so that a good number move (about a third of them).
    const cups = Array.from({ length: 24 }, (_, i) => `cup-${i}`);
    for (const board of cups) {
      expect(
        (await http(`${cluster.endpoints.clients[1]!}/boards/${board}`, { method: 'PUT', body: {} })).status,
      ).toBe(201);
      for (const user of PLAYERS) {
        await http(`${cluster.endpoints.clients[1]!}/boards/${board}/scores`, {
          method: 'PUT',
          body: { user, total: 7 },
        });
      }
    }
    const boards = [...BOARDS, ...cups];
    const runDir = cluster.runDir;
    await cluster.stop();
    // A third shard joins: the shard map the data folders were made with keeps every board in place.
    cluster = await startCluster({ clients: 2, shards: 3, runDir });
    const [a, b] = cluster.endpoints.clients as [string, string];
    const shardScrapes = cluster.endpoints.metrics.filter(
      (m) => !cluster!.endpoints.clients.some((x) => m.startsWith(x)),
    );
    const top = async (url: string) =>
      Promise.all(boards.map(async (board) => (await http(`${url}/boards/${board}/top/10`)).body));
    const before = await top(a);
    expect(before.every((rows) => Array.isArray(rows) && rows.length === PLAYERS.length)).toBe(true);
    expect(await boardsOnShard(shardScrapes[2]!)).toEqual([]);
    expect((await http(`${a}/shards`)).body).toMatchObject({ shards: 3, layout: 2, moved: {} });

    // A ledger: keyed +1s on every board from both clients, each retried with its key until acknowledged.
    const first = ledger(boards, [a, b, a, b], 'w');
    await new Promise((r) => setTimeout(r, 300));
    let err = '';
    const io: Io = { out: () => undefined, err: (t) => void (err += t), tty: false };
    expect(await run(['reshard', '--to', '3', '--url', b], io), err).toBe(0);
    await new Promise((r) => setTimeout(r, 300));
    const { acked, failures, retried } = await first.stop();
    expect(failures).toEqual([]);

    const moves = [
      ...err.matchAll(/^moved (\S+) from shard (\d) to (\d): \d+ entries, writes paused (\d+) ms$/gm),
    ];
    const expected = boards.filter((board) => shardOf(board, 2) !== shardOf(board, 3));
    expect(
      moves
        .map((m) => m[1])
        .filter((board) => board !== 'default')
        .sort(),
    ).toEqual(expected.sort());
    for (const m of moves) expect(Number(m[3])).toBe(shardOf(m[1]!, 3));
    expect(err).toMatch(/resharded live to 3 shards/);
    expect((await http(`${a}/shards`)).body).toMatchObject({
      shards: 3,
      layout: 3,
      moved: {},
      sealed: false,
    });
    // Every acknowledged +1 is there once; the other players' rows are as they were.
    for (const [i, board] of boards.entries()) {
      const rows = (await http(`${b}/boards/${board}/top/10`)).body as Array<{ user: string; total: number }>;
      expect(rows.find((r) => r.user === 'ledger')?.total ?? 0, board).toBe(acked.get(board));
      expect(rows.filter((r) => r.user !== 'ledger')).toEqual(
        (before[i] as Array<{ user: string }>).map((r) => expect.objectContaining({ user: r.user })),
      );
    }
    expect([...acked.values()].every((n) => n > 0)).toBe(true);
    for (const [i, scrape] of shardScrapes.entries()) {
      expect(await boardsOnShard(scrape)).toEqual(boards.filter((board) => shardOf(board, 3) === i).sort());
    }
    // After a restart of everything, the same.
    const after = await top(a);
    await cluster.stop();
    cluster = await startCluster({ clients: 2, shards: 3, runDir });
    expect(await top(cluster.endpoints.clients[0]!)).toEqual(after);
    const pauses = moves.map((m) => Number(m[4]));
    process.stdout.write(
      `live reshard 2 → 3: ${moves.length} boards moved under load; longest pause ${Math.max(...pauses)} ms; ` +
        `${retried} writes answered 503 and retried\n`,
    );

    // And back to two shards, live, under a second ledger: the third shard ends up holding nothing.
    const [c, d] = cluster.endpoints.clients as [string, string];
    const second = ledger(boards, [c, d, c, d], 'v');
    await new Promise((r) => setTimeout(r, 300));
    err = '';
    expect(await run(['reshard', '--to', '2', '--url', c], io), err).toBe(0);
    await new Promise((r) => setTimeout(r, 300));
    const shrink = await second.stop();
    expect(shrink.failures).toEqual([]);
    expect(err).toMatch(/resharded live to 2 shards/);
    const back = [...err.matchAll(/^moved (\S+) from shard (\d) to (\d)/gm)];
    expect(
      back
        .map((m) => m[1])
        .filter((board) => board !== 'default')
        .sort(),
    ).toEqual(boards.filter((board) => shardOf(board, 3) !== shardOf(board, 2)).sort());
    expect((await http(`${c}/shards`)).body).toMatchObject({ shards: 3, layout: 2, moved: {} });
    for (const board of boards) {
      const rows = (await http(`${d}/boards/${board}/top/10`)).body as Array<{ user: string; total: number }>;
      const want = acked.get(board)! + shrink.acked.get(board)!;
      expect(rows.find((r) => r.user === 'ledger')?.total ?? 0, board).toBe(want);
    }
    const scrapes = cluster.endpoints.metrics.filter(
      (m) => !cluster!.endpoints.clients.some((x) => m.startsWith(x)),
    );
    for (const [i, scrape] of scrapes.entries()) {
      expect(await boardsOnShard(scrape)).toEqual(boards.filter((board) => shardOf(board, 2) === i).sort());
    }
    process.stdout.write(
      `live reshard 3 → 2: ${back.length} boards moved under load; ${shrink.retried} writes retried\n`,
    );
  });
});
