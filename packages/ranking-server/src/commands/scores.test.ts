import { Command, ErrorCode, MAX_TOTAL } from '@scoreboard/protocol';
import { describe, expect, it } from 'vitest';
import { RecordType } from '../persistence/records.js';
import { recordingEngine, requester } from '../test-support/engine-harness.js';

describe('score writes', () => {
  it('answer the new total and log the resulting (total, seq), never the delta', () => {
    const { engine, journal } = recordingEngine();
    const send = requester(engine);
    expect(send(Command.SetTotal, { user: 'ann', total: 10 })).toEqual({
      id: 1,
      ok: true,
      result: { user: 'ann', total: 10 },
    });
    expect(send(Command.AddScore, { user: 'ann', delta: 5 }, 'k-1')).toMatchObject({
      ok: true,
      result: { user: 'ann', total: 15 },
    });
    expect(journal.records).toEqual([
      { type: RecordType.Set, user: 'ann', total: 10, seq: 1, at: expect.any(Number) },
      {
        type: RecordType.Set,
        user: 'ann',
        total: 15,
        seq: 2,
        at: expect.any(Number),
        key: { key: 'k-1', fingerprint: 'add:{"user":"ann","delta":5}' },
      },
    ]);
  });

  it('log an unchanged total with its old sequence, so replay keeps the position', () => {
    const { engine, journal } = recordingEngine();
    const send = requester(engine);
    send(Command.SetTotal, { user: 'a', total: 7 });
    send(Command.SetTotal, { user: 'b', total: 7 });
    send(Command.AddScore, { user: 'a', delta: 0 });
    expect(
      journal.records.map((r) => (r.type === RecordType.Set ? [r.user, r.total, r.seq] : r.type)),
    ).toEqual([
      ['a', 7, 1],
      ['b', 7, 2],
      ['a', 7, 1],
    ]);
  });

  it('log nothing for a refused write, and leave the board as it was', () => {
    const { engine, journal, state } = recordingEngine();
    const send = requester(engine);
    send(Command.SetTotal, { user: 1, total: MAX_TOTAL });
    const refused = send(Command.AddScore, { user: 1, delta: 1 });
    expect(refused).toMatchObject({ ok: false, error: { code: ErrorCode.SCORE_OUT_OF_RANGE } });
    expect(journal.records).toHaveLength(1);
    expect(state.board.get(1)).toEqual({ user: 1, total: MAX_TOTAL, rank: 1 });
  });

  it('answer a repeated key with the first result, unapplied and unlogged; another request under it is refused', () => {
    const { engine, journal, state } = recordingEngine();
    const send = requester(engine);
    const first = send(Command.AddScore, { user: 'p', delta: 5 }, 'key');
    const again = send(Command.AddScore, { user: 'p', delta: 5 }, 'key');
    const other = send(Command.AddScore, { user: 'p', delta: 6 }, 'key');
    expect(first).toMatchObject({ ok: true, result: { user: 'p', total: 5 } });
    expect(again).toMatchObject({ ok: true, result: { user: 'p', total: 5 } });
    expect(other).toMatchObject({ ok: false, error: { code: ErrorCode.IDEMPOTENCY_KEY_REUSED } });
    expect(journal.records).toHaveLength(1);
    expect(state.board.get('p')?.total).toBe(5);
  });
});
