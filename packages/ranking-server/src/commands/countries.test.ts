import { Command, ErrorCode } from '@scoreboard/protocol';
import { describe, expect, it } from 'vitest';
import { recordingEngine, requester } from '../test-support/engine-harness.js';

describe('country reads', () => {
  const { engine, journal } = recordingEngine(5);
  const send = requester(engine);
  send(Command.BoardPut, { board: 'b' });
  const people: Array<[string, string | null, number]> = [
    ['a', 'DE', 50],
    ['b', 'FR', 40],
    ['c', 'DE', 40],
    ['d', null, 30],
    ['e', 'DE', 20],
  ];
  for (const [user, country, total] of people) {
    if (country) send(Command.PlayerPut, { user, country });
    send(Command.ScorePut, { board: 'b', user, total });
  }
  const logged = journal.records.length;

  it('count the countries of a board’s players, largest first', () => {
    expect(send(Command.BoardCountries, { board: 'b' })).toMatchObject({
      ok: true,
      result: [
        { country: 'DE', count: 3 },
        { country: 'FR', count: 1 },
      ],
    });
  });

  it('rank within a country, in any case of the code', () => {
    expect(send(Command.CountryTop, { board: 'b', country: 'de', n: 10 })).toMatchObject({
      ok: true,
      result: [
        { user: 'a', rank: 1, country: 'DE' },
        { user: 'c', rank: 2 },
        { user: 'e', rank: 3 },
      ],
    });
    expect(send(Command.CountryAround, { board: 'b', country: 'DE', user: 'e', size: 0 })).toMatchObject({
      ok: true,
      result: [{ user: 'e', rank: 3, total: 20 }],
    });
  });

  it('answer USER_NOT_FOUND for a player of another country, and refuse unknown codes', () => {
    expect(send(Command.CountryAround, { board: 'b', country: 'FR', user: 'a', size: 1 })).toMatchObject({
      ok: false,
      error: { code: ErrorCode.USER_NOT_FOUND },
    });
    expect(send(Command.CountryTop, { board: 'b', country: 'XX', n: 1 })).toMatchObject({
      ok: false,
      error: { code: ErrorCode.PLAYER_UNKNOWN_COUNTRY },
    });
    expect(send(Command.CountryTop, { board: 'b', country: 'JP', n: 5 })).toMatchObject({
      ok: true,
      result: [],
    });
  });

  it('log nothing', () => {
    expect(journal.records).toHaveLength(logged);
  });
});
