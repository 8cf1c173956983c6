import { Command, shardOf } from '@scoreboard/protocol';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { requester, testService } from '../test-support/engine-harness.js';
import { randomInt, seededRandom } from '@scoreboard/random';
import { reshard } from './reshard.js';

const silent = pino({ level: 'silent' });
const folders = (root: string, n: number): string[] =>
  Array.from({ length: n }, (_, i) => {
    const dir = join(root, `shard-${i}`);
    mkdirSync(dir, { recursive: true });
    return dir;
  });

/** O(data). Every board's rows (user, total, rank) and a few profiles, as the shards now hold them. */
async function contents(dirs: string[]) {
  const boards: Record<string, unknown> = {};
  const profiles: unknown[] = [];
  for (const [i, dir] of dirs.entries()) {
    const service = testService({ dataDir: dir, fsync: 'no' });
    for (const board of service.state.data.list()) {
      if (shardOf(board.id, dirs.length) !== i) {
        expect(board.id, `only the default board is on a shard the hash does not pick`).toBe('default');
        expect(board.size).toBe(0);
        continue;
      }
      boards[board.id] = board.top(10_000, 'ordinal');
    }
    profiles.push([...service.state.data.players.profiles()].slice(0, 20));
    await service.store!.close();
  }
  // Every shard holds the same profiles.
  for (const p of profiles) expect(p).toEqual(profiles[0]);
  return { boards, profiles: profiles[0] };
}

describe('reshard', () => {
  it('moves each board to the shard the hash picks and keeps every entry, profile, result and key', async () => {
    const root = mkdtempSync(join(tmpdir(), 'scoreboard-reshard-'));
    const [one] = folders(join(root, 'a'), 1) as [string];
    const service = testService({ dataDir: one, fsync: 'always' }, { snapshotChunk: 50, snapshotRun: 16 });
    const send = requester(service.engine);
    const random = seededRandom(11);
    const boards = Array.from({ length: 12 }, (_, i) => `cup-${i}`);
    for (const board of boards) send(Command.BoardPut, { board, operator: 'best', history: 2 });
    for (let i = 0; i < 3000; i++) {
      const user = `u${randomInt(random, 0, 300)}`;
      if (random() < 0.1) send(Command.PlayerPut, { user, name: user.toUpperCase(), country: 'FR' });
      else
        send(Command.ScorePut, { board: boards[i % 12]!, user, total: randomInt(random, 0, 999) }, `k${i}`);
      if (i === 1500) await service.store!.snapshot(); // half in a snapshot, half in the log
    }
    send(Command.KeyPut, { name: 'ops', scopes: ['admin'], hash: 'a'.repeat(64) });
    await service.store!.close();
    // The digest of the folder as loaded (records in runs of the default size, as below).
    const loaded = testService({ dataDir: one, fsync: 'no' });
    const digest = loaded.state.digest();
    await loaded.store!.close();
    const before = await contents([one]);

    // 1 → 3 → 2 → 1: every step keeps everything, placed where the hash says.
    let current = [one];
    for (const [step, n] of [3, 2, 1].entries()) {
      const next = folders(join(root, `step-${step}`), n);
      const report = await reshard(current, next, silent);
      for (const board of boards) {
        expect(report.boards[board]).toEqual({ from: shardOf(board, current.length), to: shardOf(board, n) });
      }
      expect(await contents(next)).toEqual(before);
      current = next;
    }
    // Back on one shard: the same state, to the byte, as before (keys and answers included), but
    // for the shard map's epoch, which three reshards moved on.
    const back = testService({ dataDir: current[0]!, fsync: 'no' });
    expect(back.state.shard.map).toEqual({ epoch: 3, layout: 1, moved: {}, sealed: false });
    back.state.shard.restore({ ...back.state.shard.map, epoch: 0 });
    expect(back.state.digest()).toEqual(digest);
    // A retried write still finds its remembered answer.
    const retry = requester(back.engine)(
      Command.ScorePut,
      { board: 'cup-1', user: 'nobody', total: 1 },
      'k1',
    );
    expect(retry.ok).toBe(false); // same key, another request: refused, not applied twice
    await back.store!.close();
  });
});
