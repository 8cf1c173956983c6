import { Command, ErrorCode } from '@scoreboard/protocol';
import { describe, expect, it } from 'vitest';
import { RecordType } from '../records/index.js';
import { recordingEngine, requester } from '../test-support/engine-harness.js';

describe('board commands', () => {
  it('create (created: true), update, read and list boards, logging each change as the whole config', () => {
    const { engine, journal } = recordingEngine();
    const send = requester(engine);
    const view = { board: 'weekly', order: 'desc', operator: 'set', min: null, max: null, count: 0 };
    expect(send(Command.BoardPut, { board: 'weekly' })).toMatchObject({
      ok: true,
      result: { created: true, board: view },
    });
    expect(send(Command.BoardPut, { board: 'weekly', max: 100 })).toMatchObject({
      ok: true,
      result: { created: false, board: { ...view, max: 100 } },
    });
    send(Command.BoardPut, { board: 'weekly', max: 100 }); // no change: nothing logged
    expect(journal.records).toMatchObject([
      {
        type: RecordType.Board,
        board: 'weekly',
        config: {
          order: 'desc',
          operator: 'set',
          min: null,
          max: null,
          reset: null,
          keep: 10,
          period: { id: 1 },
        },
      },
      { type: RecordType.Board, board: 'weekly', config: { max: 100 } },
    ]);
    expect(journal.records).toHaveLength(2);
    send(Command.BoardPut, { board: 'alpha', order: 'asc' });
    expect(send(Command.BoardList, {})).toMatchObject({
      ok: true,
      result: [{ board: 'alpha', order: 'asc' }, { board: 'default' }, { board: 'weekly', max: 100 }],
    });
    expect(send(Command.BoardGet, { board: 'alpha' })).toMatchObject({
      ok: true,
      result: { board: 'alpha', count: 0 },
    });
    expect(send(Command.BoardGet, { board: 'nope' })).toMatchObject({
      ok: false,
      error: { code: ErrorCode.BOARD_NOT_FOUND },
    });
  });

  it('delete a board and its entries, never the default board', () => {
    const { engine, journal, state } = recordingEngine();
    const send = requester(engine);
    send(Command.BoardPut, { board: 'tmp' });
    send(Command.ScorePut, { board: 'tmp', user: 'solo', total: 1 });
    expect(send(Command.BoardDelete, { board: 'tmp' })).toMatchObject({
      ok: true,
      result: { deleted: true },
    });
    expect(journal.records.at(-1)).toEqual({
      type: RecordType.BoardDelete,
      at: expect.any(Number),
      board: 'tmp',
    });
    expect(state.data.players.slotOf('solo')).toBeUndefined(); // nothing left of the player
    expect(send(Command.BoardDelete, { board: 'tmp' })).toMatchObject({
      ok: false,
      error: { code: ErrorCode.BOARD_NOT_FOUND },
    });
    expect(send(Command.BoardDelete, { board: 'default' })).toMatchObject({
      ok: false,
      error: { code: ErrorCode.BOARD_PROTECTED },
    });
  });

  it('refuse a change of order or operator once the board has entries, and crossing bounds', () => {
    const { engine, journal } = recordingEngine();
    const send = requester(engine);
    send(Command.BoardPut, { board: 'b', operator: 'best' });
    send(Command.ScorePut, { board: 'b', user: 1, total: 5 });
    const logged = journal.records.length;
    expect(send(Command.BoardPut, { board: 'b', operator: 'set' })).toMatchObject({
      ok: false,
      error: { code: ErrorCode.BOARD_CONFLICT },
    });
    expect(send(Command.BoardPut, { board: 'b', min: 10, max: 1 })).toMatchObject({
      ok: false,
      error: { code: ErrorCode.BOARD_INVALID_CONFIG },
    });
    expect(send(Command.BoardPut, { board: 'b', operator: 'best', order: 'desc' })).toMatchObject({
      ok: true,
    });
    expect(journal.records).toHaveLength(logged);
  });
});

describe('buckets on a board', () => {
  it('show the bucket on a cached top page once a player is placed without their entry moving', () => {
    const { engine } = recordingEngine();
    const send = requester(engine);
    send(Command.BoardPut, { board: 'lg' });
    send(Command.ScorePut, { board: 'lg', user: 'ann', total: 5 });
    // The page is rendered and cached while the board has no buckets.
    expect(send(Command.BoardTop, { board: 'lg', n: 5 })).toMatchObject({
      ok: true,
      result: [{ user: 'ann' }],
    });
    send(Command.BoardPut, { board: 'lg', bucket: { size: 2 } });
    // The same total again: no new entry key, but ann is placed now.
    send(Command.ScorePut, { board: 'lg', user: 'ann', total: 5 });
    expect(send(Command.BoardTop, { board: 'lg', n: 5 })).toMatchObject({
      ok: true,
      result: [{ user: 'ann', rank: 1, bucket: 1 }],
    });
    expect(send(Command.BucketOfUser, { board: 'lg', user: 'ann' })).toMatchObject({
      ok: true,
      result: { bucket: 1, rank: 1 },
    });
  });
});
