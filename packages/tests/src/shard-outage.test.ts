/**
 * Integration through nginx: a fault stays with what it breaks. Three shards, two clients, nginx.
 * While one ranking server is dead (kill -9, not restarted), every board is read concurrently
 * through nginx, 8 samples over 2 s: the two live shards' boards answer 200 in every sample, the
 * dead shard's boards answer the clients' own 503 (RANKING_UNAVAILABLE, Retry-After), and nothing
 * ever answers 502 or 504 — a client's deliberate 503 must never mark it down in nginx. A client
 * that is really down (killed) is still skipped.
 */
import { ErrorCode, shardOf } from '@scoreboard/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { http, startCluster, type Cluster } from './harness.js';

const SHARDS = 3;
const BOARDS = Array.from({ length: 30 }, (_, i) => `outage-${i}`);

let cluster: Cluster | undefined;
afterEach(async () => {
  await cluster?.stop();
  cluster = undefined;
});

/** One concurrent read of every board through `url`: board → [status, error code, Retry-After]. */
async function sample(url: string): Promise<Map<string, [number, string | undefined, string | null]>> {
  const answers = await Promise.all(
    BOARDS.map(async (board) => {
      const r = await http(`${url}/boards/${board}/top/3`);
      const answer: [number, string | undefined, string | null] = [
        r.status,
        r.body?.error?.code,
        r.headers.get('retry-after'),
      ];
      return [board, answer] as const;
    }),
  );
  return new Map(answers);
}

/** Keeps `workers` readers busy on every board through `url` until stopped; answers their statuses. */
function background(url: string, workers: number) {
  let stopped = false;
  const statuses = new Map<number, number>();
  const run = async (w: number): Promise<void> => {
    for (let i = w; !stopped; i += workers) {
      const status = await http(`${url}/boards/${BOARDS[i % BOARDS.length]!}/top/10`).then(
        (r) => r.status,
        () => 0, // no answer at all: counted, and refused below
      );
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    }
  };
  const all = Array.from({ length: workers }, (_, w) => run(w));
  return {
    stop: async () => {
      stopped = true;
      await Promise.all(all);
      return statuses;
    },
  };
}

describe('one shard down, through nginx', () => {
  it('fails only its own boards: the others answer 200 in every sample, never a 502 or 504', async () => {
    cluster = await startCluster({ clients: 2, shards: SHARDS, nginx: true });
    const url = `http://127.0.0.1:${cluster.nginxPort}`;
    for (const board of BOARDS) {
      expect((await http(`${url}/boards/${board}`, { method: 'PUT', body: {} })).status).toBe(201);
      const put = await http(`${url}/boards/${board}/scores`, {
        method: 'PUT',
        body: { user: 'ann', total: 7 },
      });
      expect(put.status).toBe(200);
    }
    const victim = 1;
    const dead = new Set(BOARDS.filter((b) => shardOf(b, SHARDS) === victim));
    expect(dead.size).toBeGreaterThan(0);
    expect(dead.size).toBeLessThan(BOARDS.length);

    const shard = cluster.launcher.children.shards[victim]!;
    shard.stopRestarting();
    process.kill(shard.pid!, 'SIGKILL');
    const load = background(url, 8);
    const seen = new Map<number, number>();
    for (let s = 0; s < 8; s++) {
      const started = Date.now();
      for (const [board, [status, code, retryAfter]] of await sample(url)) {
        seen.set(status, (seen.get(status) ?? 0) + 1);
        if (dead.has(board)) {
          expect([status, code], `sample ${s}, board ${board}`).toEqual([503, ErrorCode.RANKING_UNAVAILABLE]);
          expect(Number(retryAfter)).toBeGreaterThan(0);
        } else {
          expect(status, `sample ${s}, live board ${board}`).toBe(200);
        }
      }
      await new Promise((r) => setTimeout(r, Math.max(0, 250 - (Date.now() - started))));
    }
    const loadStatuses = await load.stop();
    expect([...loadStatuses.keys()].sort()).toEqual([200, 503]);
    expect(seen.get(200)).toBe(8 * (BOARDS.length - dead.size));

    // A client that is really down is still skipped: every live board keeps answering 200.
    const client = cluster.launcher.children.clients[1]!;
    client.stopRestarting();
    process.kill(client.pid!, 'SIGKILL');
    for (let s = 0; s < 4; s++) {
      for (const [board, [status]] of await sample(url)) {
        expect(status, `after the client died, board ${board}`).toBe(dead.has(board) ? 503 : 200);
      }
    }
  });
});
