import { Command } from '@scoreboard/protocol';
import { describe, expect, it } from 'vitest';
import { RecordType } from '../records/index.js';
import { defaultBoardOf, recordingEngine, requester } from '../test-support/engine-harness.js';

describe('operations', () => {
  it('reset empties the board, answers how many it removed and logs it', () => {
    const { engine, journal, state } = recordingEngine();
    const send = requester(engine);
    for (let u = 0; u < 4; u++) send(Command.SetTotal, { user: u, total: u });
    expect(send(Command.Reset, {})).toMatchObject({ ok: true, result: { removed: 4 } });
    expect(defaultBoardOf(state).size).toBe(0);
    expect(journal.records.at(-1)).toEqual({
      type: RecordType.BoardReset,
      board: 'default',
      at: expect.any(Number),
    });
  });

  it('ping answers ok and the number of users, logging nothing', () => {
    const { engine, journal } = recordingEngine();
    const send = requester(engine);
    send(Command.SetTotal, { user: 'x', total: 1 });
    expect(send(Command.Ping, {})).toMatchObject({ ok: true, result: { status: 'ok', users: 1 } });
    expect(journal.records).toHaveLength(1);
  });
});
