import { Command, ErrorCode, GAME_BOARD, type Reply } from '@scoreboard/protocol';
import { describe, expect, it } from 'vitest';
import {
  TEST_LIMITS,
  defaultBoardOf,
  recordingEngine,
  requester,
  sendFrame,
  testService,
  silent,
} from '../test-support/engine-harness.js';
import { RecordingJournal } from '../test-support/recording-journal.js';
import { RecordType } from '../records/index.js';
import { randomInt, seededRandom } from '@scoreboard/random';
import { RankingEngine } from './engine.js';
import { RankingState } from './state.js';
import { putBoard, submit } from '../board/direct-writes.js';

function replies(engine: RankingEngine, batch: unknown): Reply[] {
  const { replies: out, invalid } = sendFrame(engine, batch as unknown[] | string);
  expect(invalid).toBe(0);
  return out;
}

describe('RankingEngine.handle', () => {
  const { engine, state } = testService();
  const server = { board: defaultBoardOf(state) };

  it('applies a batch in order and answers each request by id', () => {
    server.board.reset();
    const out = replies(engine, [
      { id: 1, cmd: Command.SetTotal, args: { user: 'ann', total: 10 } },
      { id: 2, cmd: Command.AddScore, args: { user: 'ann', delta: 5 } },
      { id: 3, cmd: Command.AddScore, args: { user: '42', delta: -3 } },
      { id: 4, cmd: Command.Top, args: { n: 5 } },
      { id: 5, cmd: Command.GetUser, args: { user: 42 } },
      { id: 6, cmd: Command.GetUser, args: { user: 'nobody' } },
      { id: 7, cmd: Command.Around, args: { position: 2, scope: 0 } },
      { id: 8, cmd: Command.Ping, args: {} },
    ]);
    expect(out).toEqual([
      { id: 1, ok: true, result: { user: 'ann', total: 10 } },
      { id: 2, ok: true, result: { user: 'ann', total: 15 } },
      { id: 3, ok: true, result: { user: 42, total: -3 } },
      {
        id: 4,
        ok: true,
        result: [
          { user: 'ann', total: 15 },
          { user: 42, total: -3 },
        ],
      },
      { id: 5, ok: true, result: { user: 42, total: -3, rank: 2 } },
      { id: 6, ok: false, error: expect.objectContaining({ code: ErrorCode.USER_NOT_FOUND }) },
      { id: 7, ok: true, result: [{ user: 42, total: -3 }] },
      { id: 8, ok: true, result: { status: 'ok', users: 2 } },
    ]);
  });

  it.each([
    ['not JSON', '{nope'],
    ['not an array', '{"id":1}'],
    ['an empty array', '[]'],
  ])('answers %s with one malformed reply and no crash', (_what, frame) => {
    const out = replies(engine, frame);
    expect(out).toEqual([
      { id: null, ok: false, error: expect.objectContaining({ code: ErrorCode.PROTOCOL_MALFORMED }) },
    ]);
  });

  it.each([
    [{ id: 1, cmd: 'drop-table', args: {} }],
    [{ id: 1, cmd: 'set', args: { user: 'x', total: 1.5 } }],
    [{ id: 1, cmd: 'set', args: { user: 'x', total: 1, extra: 1 } }],
    [{ id: 1, cmd: 'add', args: { user: -1, delta: 1 } }],
    [{ id: 1, cmd: 'top', args: { n: 10_001 } }],
    [{ id: 1, cmd: 'around', args: { position: 0, scope: 1 } }],
    [{ id: 1, cmd: 'ping', args: [] }],
    [{ id: 1, cmd: 'ping', args: {}, deadline: 'soon' }],
  ])('refuses the malformed request %j and changes nothing', (req) => {
    server.board.reset();
    const out = replies(engine, [req]);
    expect(out).toEqual([
      { id: 1, ok: false, error: expect.objectContaining({ code: ErrorCode.PROTOCOL_MALFORMED }) },
    ]);
    expect(server.board.size).toBe(0);
  });

  it('refuses an expired request without applying it', () => {
    server.board.reset();
    const out = replies(engine, [
      { id: 9, cmd: Command.SetTotal, args: { user: 1, total: 5 }, deadline: Date.now() - 1 },
      { id: 10, cmd: Command.SetTotal, args: { user: 2, total: 5 }, deadline: Date.now() + 60_000 },
    ]);
    expect(out[0]).toMatchObject({ id: 9, ok: false, error: { code: ErrorCode.RANKING_DEADLINE_EXCEEDED } });
    expect(out[1]).toMatchObject({ id: 10, ok: true });
    expect(server.board.get(1)).toBeUndefined();
    expect(server.board.size).toBe(1);
  });

  it('answers top pages from its cache exactly as the board ranks them, writes in between', () => {
    server.board.reset();
    const random = seededRandom(31);
    let id = 0;
    for (let op = 0; op < 3000; op++) {
      const user = randomInt(random, 0, 150);
      const r = random();
      const batch: unknown[] = [];
      if (r < 0.3)
        batch.push({ id: ++id, cmd: Command.SetTotal, args: { user, total: randomInt(random, 0, 500) } });
      else if (r < 0.6)
        batch.push({ id: ++id, cmd: Command.AddScore, args: { user, delta: randomInt(random, -9, 9) } });
      else if (r < 0.601) batch.push({ id: ++id, cmd: Command.Reset, args: {} });
      const n = randomInt(random, 0, 3) * 5;
      batch.push({ id: ++id, cmd: Command.Top, args: { n } }, { id: ++id, cmd: Command.Top, args: { n } });
      const out = replies(engine, batch);
      const expected = { id, ok: true, result: server.board.top(n) };
      expect(out.at(-1)).toEqual(expected);
      expect(out.at(-2)).toEqual({ ...expected, id: id - 1 });
    }
  });
});

describe('RankingEngine admission', () => {
  it('refuses every request once closed, applying nothing', () => {
    const { engine, state } = testService();
    engine.close();
    const out = replies(engine, [
      { id: 1, cmd: Command.SetTotal, args: { user: 1, total: 5 } },
      { id: 2, cmd: Command.Ping, args: {} },
    ]);
    expect(out.map((r) => (r.ok ? 'ok' : r.error.code))).toEqual([
      ErrorCode.RANKING_SHUTTING_DOWN,
      ErrorCode.RANKING_SHUTTING_DOWN,
    ]);
    expect(defaultBoardOf(state).size).toBe(0);
  });

  it('judges deadlines by the clock reading it is given, not by the wall clock', () => {
    const { engine, state } = testService();
    const at = 1_000_000;
    const batch = [{ id: 1, cmd: Command.SetTotal, args: { user: 1, total: 5 }, deadline: at }];
    expect(sendFrame(engine, batch, at + 1).replies[0]).toMatchObject({
      ok: false,
      error: { code: ErrorCode.RANKING_DEADLINE_EXCEEDED },
    });
    expect(sendFrame(engine, batch, at).replies[0]).toMatchObject({ ok: true });
    expect(defaultBoardOf(state).size).toBe(1);
  });
});

describe('the state digest', () => {
  it('changes with every kind of state and not with a read or a refused write', () => {
    const { engine } = testService();
    const send = requester(engine);
    const digest = () => (send(Command.Digest, {}) as { ok: true; result: { digest: string } }).result.digest;
    const seen = new Set([digest()]);
    const change = (cmd: string, args: object, key?: string) => {
      expect(send(cmd, args, key)).toMatchObject({ ok: true });
      const d = digest();
      expect(seen.has(d), `${cmd} changed the digest`).toBe(false);
      seen.add(d);
    };
    const same = (cmd: string, args: object, key?: string) => {
      const before = digest();
      send(cmd, args, key);
      expect(digest(), `${cmd} left the digest`).toBe(before);
    };
    change(Command.BoardPut, { board: 'b' });
    change(Command.ScorePut, { board: 'b', user: 1, total: 5 });
    change(Command.ScorePut, { board: 'b', user: 1, total: 6 });
    change(Command.PlayerPut, { user: 1, name: 'Ann' });
    change(Command.ScorePut, { board: 'b', user: 2, total: 7 }, 'key-1');
    change(Command.BoardReset, { board: 'b' });
    same(Command.BoardTop, { board: 'b', n: 10 });
    same(Command.PlayerGet, { user: 1 });
    same(Command.ScorePut, { board: 'nope', user: 1, total: 5 }); // no such board
    same(Command.ScorePut, { board: 'b', user: 2, total: 8 }, 'key-1'); // key reused
    same(Command.BoardDelete, { board: 'default' }); // protected
  });
});

describe('size hints in a snapshot header', () => {
  it('say how big the players and each big board were, and a load reserves that much before the records', () => {
    const limits = { maxBoards: 10, maxPlayers: 100_000 };
    const state = new RankingState(limits);
    const big = putBoard(state.data, 'big', {}, 0).board;
    for (let u = 0; u < 20_000; u++)
      submit(state.data, big, state.data.players.acquire(u), { total: u % 977 });
    submit(state.data, state.defaultBoard, state.data.players.acquire('ann'), { total: 1 }); // too small to hint
    const source = state.snapshotSource();
    const header = source.state!() as {
      sizes: { players: number; ids: number; boards: Record<string, number> };
    };
    expect(header.sizes.players).toBe(20_001);
    expect(header.sizes.ids).toBeGreaterThanOrEqual(20_000);
    expect(header.sizes.boards).toEqual({ big: 20_000 });

    const loaded = new RankingState(limits);
    loaded.snapshotHeader(header);
    expect(loaded.data.players.capacity).toBeGreaterThanOrEqual(20_001);
    expect(loaded.data.players.sizes.ids).toBe(header.sizes.ids);
    const reserved: number[] = [];
    for (let r = source.records.next(); !r.done; r = source.records.next()) {
      const board = loaded.data.find('big');
      if (board && reserved.length === 0) {
        const reserve = board.reserve.bind(board);
        board.reserve = (n) => (reserved.push(n), reserve(n));
      }
      loaded.replay(r.value);
    }
    expect(reserved).toEqual([20_000]);
    // A damaged header asks for no more than the caps allow.
    const capped = new RankingState(limits);
    // (Read from disk, a header is whatever the bytes say: the wrong type too.)
    capped.snapshotHeader({ sizes: { players: 1e15, ids: -5, boards: { big: 'x' as unknown as number } } });
    expect(capped.data.players.capacity).toBeLessThanOrEqual(limits.maxPlayers);
    expect(loaded.digest()).toEqual(state.digest());
    loaded.checkValid();
  });
});

describe('RankingEngine while the log cannot be written', () => {
  it('refuses every write whole with STORAGE_UNAVAILABLE and Retry-After, and answers reads', () => {
    const { engine, state, journal } = recordingEngine();
    const send = requester(engine);
    expect(send(Command.BoardPut, { board: 'b' }).ok).toBe(true);
    expect(send(Command.ScorePut, { board: 'b', user: 'ann', total: 5 }).ok).toBe(true);
    const before = state.digest();
    const logged = journal.records.length;
    journal.stalled = Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
    const writes: Array<[string, object, string?]> = [
      [Command.ScorePut, { board: 'b', user: 'bob', total: 9 }],
      [Command.ScorePut, { board: 'b', user: 'ann', delta: 1 }, 'k1'],
      [Command.BoardPut, { board: 'c' }],
      [Command.PlayerPut, { user: 'ann', name: 'Ann' }],
      [Command.PlayerDelete, { user: 'ann' }],
      [Command.KeyPut, { name: 'k', hash: 'a'.repeat(64), scopes: ['read'] }],
    ];
    for (const [cmd, args, key] of writes) {
      const reply = send(cmd, args, key);
      expect(reply, cmd).toMatchObject({
        ok: false,
        error: { code: ErrorCode.STORAGE_UNAVAILABLE, retryAfter: 1 },
      });
    }
    expect(state.digest()).toEqual(before);
    expect(journal.records).toHaveLength(logged);
    expect(send(Command.BoardTop, { board: 'b', n: 3 })).toMatchObject({
      ok: true,
      result: [{ user: 'ann' }],
    });
    expect(send(Command.Ping, {})).toMatchObject({
      ok: true,
      result: { status: 'degraded', reason: expect.stringContaining('ENOSPC') },
    });
    journal.stalled = undefined;
    expect(send(Command.ScorePut, { board: 'b', user: 'bob', total: 9 }).ok).toBe(true);
    expect(send(Command.Ping, {})).toMatchObject({ ok: true, result: { status: 'ok' } });
  });
});

describe('one state change, one code path', () => {
  it('leaves a live state equal to the replay of the records it logged', () => {
    const state = new RankingState({ ...TEST_LIMITS, random: seededRandom(9) });
    const journal = new RecordingJournal();
    const engine = new RankingEngine({ state, journal, logger: silent });
    let now = Date.UTC(2026, 11, 4, 12);
    const send = requester(engine, () => now);
    const random = seededRandom(31);
    const boards = ['s', 'g', 'h'];
    send(Command.BoardPut, { board: 's', reset: { everySeconds: 30 }, history: 2, keep: 2 });
    send(Command.BoardPut, { board: 'g', order: 'asc', operator: 'best', max: 90 });
    send(Command.BoardPut, { board: 'h', history: 3 });
    for (let i = 0; i < 1500; i++) {
      const user = `u${randomInt(random, 0, 40)}`;
      const board = boards[randomInt(random, 0, 2)]!;
      const r = random();
      if (r < 0.45) send(Command.ScorePut, { board, user, total: randomInt(random, 0, 100) });
      else if (r < 0.6)
        send(Command.ScorePut, { board, user, delta: randomInt(random, -5, 5) }, `k${i % 50}`);
      else if (r < 0.65)
        send(
          Command.ScoreBatch,
          {
            board,
            scores: [
              { user, total: 3 },
              { user: 'x', delta: 1 },
            ],
          },
          `b${i}`,
        );
      else if (r < 0.72)
        send(Command.PlayerPut, { user, name: `N${i}`, country: ['DE', 'FR', null][i % 3]! });
      else if (r < 0.74) send(Command.PlayerDelete, { user });
      else if (r < 0.75) send(Command.BoardReset, { board }, `r${i}`);
      else if (r < 0.76) send(Command.KeyPut, { name: `key${i}`, hash: 'c'.repeat(64), scopes: ['read'] });
      else if (r < 0.765) send(Command.BoardPut, { board, max: randomInt(random, 50, 200) });
      else if (r < 0.77) send(Command.SetTotal, { user, total: i });
      else if (r < 0.775) send(Command.Reset, {});
      now += randomInt(random, 0, 900); // periods of `s` end as the clock moves
    }
    const replayed = new RankingState({ ...TEST_LIMITS, random: seededRandom(9) });
    for (const record of journal.records) replayed.replay(record);
    replayed.checkValid();
    expect(journal.records.length).toBeGreaterThan(500);
    expect(replayed.digest()).toEqual(state.digest());
  });
});

describe('the game', () => {
  it('is given its board at the first tick when it is on and the board is missing, logged once', () => {
    const state = new RankingState({ ...TEST_LIMITS, random: seededRandom(2) });
    const journal = new RecordingJournal();
    const engine = new RankingEngine({ state, journal, logger: silent, game: true });
    engine.tick(1000);
    const runner = state.data.find(GAME_BOARD.id);
    expect(runner?.config).toMatchObject({ operator: 'best', history: 5 });
    expect(
      journal.records.filter((r) => r.type === RecordType.Board && r.board === GAME_BOARD.id),
    ).toHaveLength(1);
    engine.tick(2000);
    expect(
      journal.records.filter((r) => r.type === RecordType.Board && r.board === GAME_BOARD.id),
    ).toHaveLength(1);
    // Off: no board.
    const off = new RankingState({ ...TEST_LIMITS });
    new RankingEngine({ state: off, journal: new RecordingJournal(), logger: silent }).tick(1000);
    expect(off.data.find(GAME_BOARD.id)).toBeUndefined();
  });
});
