/**
 * A data folder written by the code of 2026-12-04 (main at 35081b7's successors, before the records
 * and the state changes moved to one place) loads to the same state: the same digest of everything
 * held and the same answers to reads. The folder holds a snapshot (profiles, boards of every kind,
 * archives, results, API keys, remembered idempotency keys, the shard map) and a log generation
 * after it (scores, keyed writes, a new board, a reset, a deletion). It is copied before loading:
 * loading appends to it.
 *
 * The expected digest was taken again when period results came (#25): the log's reset, replayed,
 * now also writes the finished period's results (three more snapshot records); the reads are the
 * ones the folder answered when it was written.
 */
import { Command } from '@scoreboard/protocol';
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { requester, testService } from '../test-support/engine-harness.js';

const FIXTURE = join(import.meta.dirname, 'fixtures', 'data-2026-12-04');
const expected = JSON.parse(readFileSync(`${FIXTURE}.expected.json`, 'utf8')) as {
  now: number;
  digest: { digest: string; records: number };
  reads: Record<string, unknown>;
};

describe('a data folder written before the records moved to one place', () => {
  it('loads to the same state and answers the same reads', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scoreboard-fixture-'));
    cpSync(FIXTURE, dir, { recursive: true });
    const clock = () => expected.now;
    const service = testService({ dataDir: dir, fsync: 'always', snapshotBytes: 1 << 30 }, { clock });
    expect(service.store!.loaded.snapshotRecords).toBeGreaterThan(50);
    expect(service.store!.loaded.logRecords).toBeGreaterThan(100);
    const read = requester(service.engine, clock);
    const reads: Record<string, unknown> = {};
    for (const board of ['season', 'golf', 'cup', 'later', 'default']) {
      reads[`top:${board}`] = read(Command.BoardTop, { board, n: 50 });
      reads[`periods:${board}`] = read(Command.BoardPeriods, { board });
    }
    reads['archived'] = read(Command.PeriodTop, { board: 'season', period: 8, n: 10 });
    reads['archivedUser'] = read(Command.PeriodUser, { board: 'season', period: 7, user: 'p1' });
    reads['history'] = read(Command.History, { board: 'golf', user: 'p22' });
    reads['player'] = read(Command.PlayerGet, { user: 'p7' });
    reads['keys'] = read(Command.KeyList, {});
    reads['shardmap'] = read(Command.ShardMapGet, {});
    expect(reads).toEqual(expected.reads);
    expect(service.state.digest()).toEqual(expected.digest);
    service.state.checkValid();
    await service.store!.close();
  });
});
