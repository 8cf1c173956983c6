import { Command, ErrorCode } from '@scoreboard/protocol';
import { describe, expect, it } from 'vitest';
import { RecordType } from '../records/index.js';
import { recordingEngine, requester } from '../test-support/engine-harness.js';

describe('player commands', () => {
  it('write a profile (normalised), log it whole, and answer it', () => {
    const { engine, journal } = recordingEngine();
    const send = requester(engine);
    expect(send(Command.PlayerPut, { user: 'p1', name: '  Zoë  ', country: 'de' })).toEqual({
      id: 1,
      ok: true,
      result: { created: true, player: { user: 'p1', name: 'Zoë', country: 'DE', metadata: null } },
    });
    expect(send(Command.PlayerPut, { user: 'p1', metadata: { level: 3 }, country: null })).toMatchObject({
      ok: true,
      result: { created: false, player: { name: 'Zoë', country: null, metadata: { level: 3 } } },
    });
    expect(journal.records.at(-1)).toEqual({
      type: RecordType.Profile,
      at: expect.any(Number),
      user: 'p1',
      profile: { name: 'Zoë', country: null, metadata: { level: 3 } },
    });
  });

  it('refuse unknown countries, bad names and large metadata with their own codes, changing nothing', () => {
    const { engine, journal } = recordingEngine();
    const send = requester(engine);
    const cases: Array<[object, string]> = [
      [{ user: 'x', country: 'XX' }, ErrorCode.PLAYER_UNKNOWN_COUNTRY],
      [{ user: 'x', country: 'uk' }, ErrorCode.PLAYER_UNKNOWN_COUNTRY],
      [{ user: 'x', name: '   ' }, ErrorCode.PLAYER_INVALID_NAME],
      [{ user: 'x', name: 'a\u0007b' }, ErrorCode.PLAYER_INVALID_NAME],
      [{ user: 'x', name: 'zero\u200bwidth' }, ErrorCode.PLAYER_INVALID_NAME],
      [{ user: 'x', name: 'n'.repeat(33) }, ErrorCode.PLAYER_INVALID_NAME],
      [{ user: 'x', metadata: { pad: 'x'.repeat(1020) } }, ErrorCode.PLAYER_INVALID_METADATA],
    ];
    for (const [args, code] of cases) {
      expect(send(Command.PlayerPut, args), JSON.stringify(args)).toMatchObject({
        ok: false,
        error: { code },
      });
    }
    expect(send(Command.PlayerGet, { user: 'x' })).toMatchObject({
      ok: false,
      error: { code: ErrorCode.PLAYER_NOT_FOUND },
    });
    expect(journal.records).toEqual([]);
  });

  it('write a batch whole: count created and updated, or refuse it naming the item', () => {
    const { engine, journal } = recordingEngine();
    const send = requester(engine);
    send(Command.PlayerPut, { user: 'old', name: 'Old' });
    expect(
      send(Command.PlayerBatch, {
        players: [
          { user: 'old', country: 'FR' },
          { user: 'new', name: 'New' },
          { user: 'new', country: 'jp' },
        ],
      }),
    ).toMatchObject({ ok: true, result: { created: 1, updated: 2 } });
    expect(journal.records.at(-1)).toMatchObject({ type: RecordType.Batch, records: [{}, {}, {}] });
    const logged = journal.records.length;
    const refused = send(Command.PlayerBatch, {
      players: [
        { user: 'a', name: 'A' },
        { user: 'b', country: 'QQ' },
      ],
    });
    expect(refused).toMatchObject({ ok: false, error: { code: ErrorCode.PLAYER_UNKNOWN_COUNTRY } });
    expect(!refused.ok && refused.error.message).toMatch(/^players\[1\]\.country/);
    expect(journal.records).toHaveLength(logged);
  });

  it('answer a player with a placement on every board, and erase it everywhere', () => {
    const { engine, journal, state } = recordingEngine();
    const send = requester(engine);
    send(Command.BoardPut, { board: 'b' });
    send(Command.PlayerPut, { user: 7, name: 'Seven', country: 'US' });
    send(Command.ScorePut, { board: 'b', user: 7, total: 10 });
    send(Command.ScorePut, { board: 'b', user: 8, total: 20 });
    send(Command.SetTotal, { user: 7, total: 3 });
    send(Command.ScorePut, { board: 'b', user: 9, total: 1 }, 'mentions-7?');
    send(Command.ScorePut, { board: 'b', user: 7, delta: 1 }, 'mentions-7');
    expect(send(Command.PlayerGet, { user: 7 })).toMatchObject({
      ok: true,
      result: {
        user: 7,
        name: 'Seven',
        country: 'US',
        metadata: null,
        boards: { b: { total: 11, rank: 2, countryRank: 1 }, default: { total: 3, rank: 1, countryRank: 1 } },
      },
    });
    const compactions = journal.compactions;
    expect(send(Command.PlayerDelete, { user: 7 })).toMatchObject({ ok: true, result: { erased: true } });
    expect(journal.records.at(-1)).toEqual({ type: RecordType.Erase, at: expect.any(Number), user: 7 });
    expect(journal.compactions).toBe(compactions + 1); // old log files go
    expect(send(Command.PlayerGet, { user: 7 })).toMatchObject({
      ok: false,
      error: { code: ErrorCode.PLAYER_NOT_FOUND },
    });
    expect(state.idempotency.get('mentions-7', Date.now())).toBeUndefined();
    expect(state.idempotency.get('mentions-7?', Date.now())).toBeDefined();
    expect(send(Command.PlayerDelete, { user: 7 })).toMatchObject({ ok: true, result: { erased: false } });
    state.checkValid();
  });
});
