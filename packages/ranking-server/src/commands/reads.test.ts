import { Command, ErrorCode } from '@scoreboard/protocol';
import { describe, expect, it } from 'vitest';
import { recordingEngine, requester } from '../test-support/engine-harness.js';

describe('reads', () => {
  const { engine, journal } = recordingEngine(3);
  const send = requester(engine);
  const totals = [100, 200, 150, 350, 225, 155, 60, 415, 190, 25];
  totals.forEach((total, i) => send(Command.SetTotal, { user: i + 1, total }));
  const logged = journal.records.length;

  it('answer the top, a window and a user as the board ranks them', () => {
    expect(send(Command.Top, { n: 3 })).toMatchObject({
      ok: true,
      result: [
        { user: 8, total: 415 },
        { user: 4, total: 350 },
        { user: 5, total: 225 },
      ],
    });
    expect(send(Command.Around, { position: 2, scope: 1 })).toMatchObject({
      ok: true,
      result: [
        { user: 8, total: 415 },
        { user: 4, total: 350 },
        { user: 5, total: 225 },
      ],
    });
    expect(send(Command.Around, { position: 11, scope: 1 })).toMatchObject({
      ok: true,
      result: [{ user: 10, total: 25 }],
    });
    expect(send(Command.GetUser, { user: 4 })).toMatchObject({
      ok: true,
      result: { user: 4, total: 350, rank: 2 },
    });
  });

  it('answer an absent user with USER_NOT_FOUND', () => {
    expect(send(Command.GetUser, { user: 'nobody' })).toMatchObject({
      ok: false,
      error: { code: ErrorCode.USER_NOT_FOUND },
    });
  });

  it('log nothing', () => {
    expect(journal.records).toHaveLength(logged);
  });
});
