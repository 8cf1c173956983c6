import { Command, ErrorCode, MAX_TOTAL } from '@scoreboard/protocol';
import { describe, expect, it } from 'vitest';
import { RankingEngine } from '../engine/engine.js';
import { RecordType } from '../records/index.js';
import { defaultBoardOf, recordingEngine, requester, silent } from '../test-support/engine-harness.js';
import { RecordingJournal } from '../test-support/recording-journal.js';

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
    const at = expect.any(Number);
    expect(journal.records).toEqual([
      { type: RecordType.Score, board: 'default', user: 'ann', total: 10, seq: 1, at },
      {
        // A keyed write travels with its key and answer: durable together or not at all.
        type: RecordType.Batch,
        at,
        key: { key: 'k-1', fingerprint: 'add:{"user":"ann","delta":5}', answer: '{"user":"ann","total":15}' },
        records: [{ type: RecordType.Score, board: 'default', user: 'ann', total: 15, seq: 2, at }],
      },
    ]);
  });

  it('log nothing for an unchanged total, which keeps its position', () => {
    const { engine, journal, state } = recordingEngine();
    const send = requester(engine);
    send(Command.SetTotal, { user: 'a', total: 7 });
    send(Command.SetTotal, { user: 'b', total: 7 });
    send(Command.AddScore, { user: 'a', delta: 0 });
    expect(
      journal.records.map((r) => (r.type === RecordType.Score ? [r.user, r.total, r.seq] : r.type)),
    ).toEqual([
      ['a', 7, 1],
      ['b', 7, 2],
    ]);
    expect(
      defaultBoardOf(state)
        .top(2)
        .map((e) => e.user),
    ).toEqual(['a', 'b']);
  });

  it('log nothing for a refused write, and leave the board as it was', () => {
    const { engine, journal, state } = recordingEngine();
    const send = requester(engine);
    send(Command.SetTotal, { user: 1, total: MAX_TOTAL });
    const refused = send(Command.AddScore, { user: 1, delta: 1 });
    expect(refused).toMatchObject({ ok: false, error: { code: ErrorCode.SCORE_OUT_OF_RANGE } });
    expect(journal.records).toHaveLength(1);
    expect(defaultBoardOf(state).get(1)).toEqual({ user: 1, total: MAX_TOTAL, rank: 1 });
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
    expect(defaultBoardOf(state).get('p')?.total).toBe(5);
  });
});

describe('score writes on named boards', () => {
  it('answer the total kept and the rank after the write, under the board’s rules', () => {
    const { engine } = recordingEngine();
    const send = requester(engine);
    send(Command.BoardPut, { board: 'race', order: 'asc', operator: 'best', max: 600 });
    expect(send(Command.ScorePut, { board: 'race', user: 'a', total: 500 })).toMatchObject({
      ok: true,
      result: { user: 'a', total: 500, rank: 1 },
    });
    send(Command.ScorePut, { board: 'race', user: 'b', total: 450 });
    expect(send(Command.ScorePut, { board: 'race', user: 'a', total: 520 })).toMatchObject({
      ok: true,
      result: { user: 'a', total: 500, rank: 2 }, // a slower run keeps the best
    });
    expect(send(Command.ScorePut, { board: 'race', user: 'a', total: 601 })).toMatchObject({
      ok: false,
      error: { code: ErrorCode.SCORE_OUT_OF_RANGE },
    });
    expect(send(Command.ScorePut, { board: 'race', user: 'a', delta: -1 })).toMatchObject({
      ok: false,
      error: { code: ErrorCode.SCORE_RELATIVE_NOT_ALLOWED },
    });
    expect(send(Command.ScorePut, { board: 'nope', user: 'a', total: 1 })).toMatchObject({
      ok: false,
      error: { code: ErrorCode.BOARD_NOT_FOUND },
    });
  });

  it('apply a batch in order as one record, or refuse it whole naming the item', () => {
    const { engine, journal, state } = recordingEngine();
    const send = requester(engine);
    send(Command.BoardPut, { board: 'b', min: 0 });
    const logged = journal.records.length;
    const ok = send(Command.ScoreBatch, {
      board: 'b',
      scores: [
        { user: 'x', total: 5 },
        { user: 'y', total: 9 },
        { user: 'x', delta: 10 },
      ],
    });
    expect(ok).toMatchObject({
      ok: true,
      result: {
        results: [
          { user: 'x', total: 5, rank: 1 },
          { user: 'y', total: 9, rank: 1 },
          { user: 'x', total: 15, rank: 1 },
        ],
      },
    });
    expect(journal.records).toHaveLength(logged + 1);
    expect(journal.records.at(-1)).toMatchObject({ type: RecordType.Batch, records: [{}, {}, {}] });
    const refused = send(Command.ScoreBatch, {
      board: 'b',
      scores: [
        { user: 'z', total: 1 },
        { user: 'x', delta: -16 }, // 15 - 16 < min 0
      ],
    });
    expect(refused).toMatchObject({ ok: false, error: { code: ErrorCode.SCORE_OUT_OF_RANGE } });
    expect(!refused.ok && refused.error.message).toMatch(/^scores\[1\]: /);
    expect(journal.records).toHaveLength(logged + 1);
    expect(state.data.board('b').size).toBe(2);
    expect(state.data.players.slotOf('z')).toBeUndefined();
  });
});

describe('entry.delete (moderation: one entry off one board)', () => {
  it('removes the entry and its history, leaves the profile and other boards, logs one record that replays', () => {
    const { engine, journal, state } = recordingEngine();
    const send = requester(engine);
    send(Command.BoardPut, { board: 'cup', history: 2 });
    send(Command.PlayerPut, { user: 'ann', name: 'Ann', country: 'IE' });
    for (const [user, total] of [
      ['ann', 30],
      ['bob', 20],
      ['cy', 10],
    ] as const) {
      send(Command.ScorePut, { board: 'cup', user, total });
      send(Command.SetTotal, { user, total });
    }
    const before = journal.records.length;
    expect(send(Command.EntryDelete, { board: 'cup', user: 'ann' })).toMatchObject({
      ok: true,
      result: { removed: true },
    });
    expect(journal.records.slice(before)).toEqual([
      { type: RecordType.EntryDelete, at: expect.any(Number), board: 'cup', user: 'ann' },
    ]);
    const top = send(Command.BoardTop, { board: 'cup', n: 10 });
    expect(top).toMatchObject({
      ok: true,
      result: [
        { user: 'bob', rank: 1 },
        { user: 'cy', rank: 2 },
      ],
    });
    expect(send(Command.BoardUser, { board: 'cup', user: 'ann' })).toMatchObject({
      ok: false,
      error: { code: ErrorCode.USER_NOT_FOUND },
    });
    // The profile and the default board keep the player.
    expect(send(Command.PlayerGet, { user: 'ann' })).toMatchObject({
      ok: true,
      result: { name: 'Ann', boards: { default: { total: 30, rank: 1 } } },
    });
    state.checkValid();

    // The log replays to the same state: every record a snapshot would hold, the default board's
    // own aside (its creation time is the harness's, not in the journal).
    const replayed = recordingEngine().state;
    for (const rec of journal.records) replayed.replay(rec);
    const held = (s: typeof state): string[] => {
      const out: string[] = [];
      const records = s.snapshotSource().records;
      for (let r = records.next(); !r.done; r = records.next()) {
        if (r.value.type === RecordType.Board && r.value.board === 'default') continue;
        out.push(JSON.stringify(r.value));
      }
      return out;
    };
    expect(held(replayed)).toEqual(held(state));
    expect(held(state).some((r) => r.includes('"cup"'))).toBe(true);
  });

  it('refuses a player without an entry there, and an unknown board, logging nothing', () => {
    const { engine, journal } = recordingEngine();
    const send = requester(engine);
    send(Command.BoardPut, { board: 'cup' });
    send(Command.PlayerPut, { user: 'ann', name: 'Ann' });
    send(Command.SetTotal, { user: 'bob', total: 5 });
    const before = journal.records.length;
    for (const [board, user, code] of [
      ['cup', 'ann', ErrorCode.USER_NOT_FOUND], // a profile, no entry on cup
      ['cup', 'bob', ErrorCode.USER_NOT_FOUND], // an entry elsewhere only
      ['cup', 'nobody', ErrorCode.USER_NOT_FOUND],
      ['nope', 'bob', ErrorCode.BOARD_NOT_FOUND],
    ] as const) {
      expect(send(Command.EntryDelete, { board, user }), `${board}/${user}`).toMatchObject({
        ok: false,
        error: { code },
      });
    }
    expect(journal.records).toHaveLength(before);
  });
});

describe('score metadata', () => {
  it('stays with the entry and its results through a snapshot read back, and leaves with a new total', () => {
    const { engine, state } = recordingEngine();
    const send = requester(engine);
    send(Command.BoardPut, { board: 'run', operator: 'best', history: 2 });
    const put = (user: string, total: number, metadata?: object) =>
      send(Command.ScorePut, { board: 'run', user, total, ...(metadata ? { metadata } : {}) });
    put('ann', 50, { replay: 'a-1' });
    put('ann', 60, { replay: 'a-2' }); // a better run (higher is better by default)
    put('ann', 10, { replay: 'a-3' }); // a worse run: the entry keeps a-2's metadata
    put('bob', 40, { replay: 'b-1' });
    put('bob', 45); // a better run without metadata: the entry has none now
    const reads = (s: typeof state) => {
      const e = requester(new RankingEngine({ state: s, journal: new RecordingJournal(), logger: silent }));
      return {
        top: e(Command.BoardTop, { board: 'run', n: 5 }),
        ann: e(Command.History, { board: 'run', user: 'ann' }),
        bob: e(Command.History, { board: 'run', user: 'bob' }),
      };
    };
    const live = reads(state);
    expect(live.top).toMatchObject({
      ok: true,
      result: [
        { user: 'ann', total: 60, metadata: { replay: 'a-2' } },
        { user: 'bob', total: 45 },
      ],
    });
    expect((live.top as { result: Array<{ metadata?: unknown }> }).result[1]!.metadata).toBeUndefined();
    expect(live.ann).toMatchObject({
      ok: true,
      result: [
        { total: 60, metadata: { replay: 'a-2' } },
        { total: 50, metadata: { replay: 'a-1' } },
      ],
    });
    expect(live.bob).toMatchObject({
      ok: true,
      result: [{ total: 45 }, { total: 40, metadata: { replay: 'b-1' } }],
    });

    // What a snapshot holds, read back into a fresh state, answers the same.
    const fresh = recordingEngine().state;
    const records = state.snapshotSource().records;
    for (let r = records.next(); !r.done; r = records.next()) fresh.replay(r.value);
    expect(reads(fresh)).toEqual(live);
  });
});
