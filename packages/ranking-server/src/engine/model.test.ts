/**
 * The engine against the reference model: seeded random commands (writes with and without
 * idempotency keys, reads, resets, bad arguments) go to both, and every answer must be the same.
 * The engine runs with a real store on a temporary folder and is restarted from it mid-run — after
 * snapshots taken while writes go on, and from the log alone — and must come back answering as if
 * nothing had happened.
 */
import { ReferenceModel } from '@scoreboard/model';
import { Command, validateRequest, type CommandName } from '@scoreboard/protocol';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RankingService } from '../service.js';
import { sendFrame, testService } from '../test-support/engine-harness.js';
import { randomInt, seededRandom } from '../test-support/seeded-random.js';

type Op = { cmd: CommandName; args: Record<string, unknown>; key?: string };

function randomOp(random: () => number): Op {
  const user = random() < 0.5 ? randomInt(random, 0, 40) : `u${randomInt(random, 0, 40)}`;
  const r = random();
  if (r < 0.3) return { cmd: Command.SetTotal, args: { user, total: randomInt(random, -20, 20) } };
  if (r < 0.55) return { cmd: Command.AddScore, args: { user, delta: randomInt(random, -5, 5) } };
  if (r < 0.62) {
    return {
      cmd: Command.AddScore,
      args: { user, delta: randomInt(random, 1, 2) },
      key: `k${randomInt(random, 0, 30)}`,
    };
  }
  if (r < 0.72) return { cmd: Command.Top, args: { n: randomInt(random, 0, 12) } };
  if (r < 0.8)
    return {
      cmd: Command.Around,
      args: { position: randomInt(random, 1, 50), scope: randomInt(random, 0, 4) },
    };
  if (r < 0.93) return { cmd: Command.GetUser, args: { user: random() < 0.5 ? String(user) : user } };
  if (r < 0.935) return { cmd: Command.Reset, args: {} };
  if (r < 0.97) return { cmd: Command.Ping, args: {} };
  return { cmd: Command.SetTotal, args: { user, total: random() < 0.5 ? 1.5 : 2 ** 53 } }; // refused
}

describe('the engine agrees with the reference model', () => {
  for (const seed of [1, 77]) {
    it(`over seeded random commands with restarts from snapshot and log (seed ${seed})`, async () => {
      const random = seededRandom(seed);
      const dir = mkdtempSync(join(tmpdir(), 'scoreboard-model-'));
      const open = (): RankingService =>
        testService({ dataDir: dir, fsync: 'no', snapshotBytes: 4096 }, { seed, snapshotChunk: 7 });
      let service = open();
      const model = new ReferenceModel();
      let snapshot: Promise<void> | undefined;
      let restarts = 0;
      for (let step = 0; step < 4000; step++) {
        const op = randomOp(random);
        const envelope = { id: step, cmd: op.cmd, args: op.args, ...(op.key ? { key: op.key } : {}) };
        const decoded = validateRequest(structuredClone(envelope));
        const want = decoded.ok
          ? model.apply(decoded.request.cmd, decoded.request.args, decoded.request.key)
          : { ok: false as const, code: decoded.reply.error.code };
        const got = sendFrame(service.engine, [envelope]).replies[0]!;
        const gotView = got.ok ? { ok: true, result: got.result } : { ok: false, code: got.error.code };
        expect(gotView, `step ${step}: ${JSON.stringify(envelope)}`).toEqual(want);

        if (step % 250 === 100) snapshot = service.store!.snapshot(); // walks while writes go on
        if (step % 700 === 699) {
          await snapshot;
          await service.stop();
          service = open();
          restarts++;
          service.state.board.checkValid();
          expect(service.state.board.top(10_000)).toEqual(model.ranked());
        }
      }
      await snapshot;
      await service.stop();
      expect(restarts).toBeGreaterThanOrEqual(5);
    });
  }
});
