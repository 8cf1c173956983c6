/**
 * The engine against the reference model: seeded random commands — boards of both orders and both
 * operators with bounds, reset schedules, open windows and best-results history; absolute and
 * relative writes and batches (with and without idempotency keys), profiles with names and
 * countries, erasures, manual period ends, every read of every period in every rank style, bad
 * arguments — go to both at the same clock readings, and every answer must be the same. The clock
 * moves on between commands, now and then by hours, so periods end while the server runs and while
 * it is down. The engine runs with a real store on a temporary folder and is restarted from it
 * mid-run — after snapshots taken while writes go on, and from the log alone — and must come back
 * answering as if nothing had happened; after each restart every period of every board is read
 * whole and compared. MODEL_SEEDS=1,2,3 runs other seeds (the mix-coverage check at the end is
 * tuned to the default ones).
 */
import { ReferenceModel } from '@scoreboard/model';
import { Command, RANK_STYLES, validateRequest, type CommandName, type UserId } from '@scoreboard/protocol';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RankingService } from '../service.js';
import { TEST_LIMITS, sendFrame, testService } from '../test-support/engine-harness.js';
import { randomInt, seededRandom } from '@scoreboard/random';

type Op = { cmd: CommandName; args: Record<string, unknown>; key?: string };

const BOARDS = ['default', 'b1', 'b2', 'golf', 'best'];
const COUNTRIES = ['DE', 'fr', 'JP', 'us'];

/** The clock both sides read: it moves on between commands, now and then by hours. */
const clock = { now: 0 };

/** The random stream of writes' metadata (see randomOp), seeded by each test. */
let metaRandom = seededRandom(0);
/** The random stream of subscores — boards' and writes' — seeded by each test (as metaRandom). */
let subRandom = seededRandom(0);

/** The ids of a board's readable periods, as the model knows them. */
let periods: (board: string) => number[] = () => [];
let resultUsers: (board: string, period: number) => UserId[] = () => [];
let entryUsers: (board: string) => UserId[] = () => [];
let hasSubscore: (board: string) => boolean = () => false;

function randomOp(random: () => number): Op {
  const pick = <T>(xs: readonly T[]): T => xs[randomInt(random, 0, xs.length - 1)]!;
  const user = random() < 0.5 ? randomInt(random, 0, 30) : `u${randomInt(random, 0, 30)}`;
  const board = pick(BOARDS);
  const rank = random() < 0.4 ? pick(RANK_STYLES) : undefined;
  const styled = (args: Record<string, unknown>) => (rank ? { ...args, rank } : args);
  // A quarter of the writes carry metadata, now and then too large to take (drawn from a stream
  // of their own, so the mix of commands stays the one each seed always made).
  const meta = () =>
    metaRandom() < 0.25
      ? {
          metadata:
            metaRandom() < 0.04 ? { replay: 'x'.repeat(1100) } : { run: randomInt(metaRandom, 1, 99) },
        }
      : {};
  // Most writes to a board with a subscore carry one, now and then one at the edge of the range (so
  // a relative write may go past it); a few to a board without one (refused).
  const sub = (to = board) => {
    const s = subRandom();
    if (s < (hasSubscore(to) ? 0.3 : 0.96)) return {};
    if (s < 0.52) return { subscore: (subRandom() < 0.5 ? -1 : 1) * 9007199254740991 };
    return { subscore: randomInt(subRandom, -2, 2) };
  };
  const write = () =>
    random() < 0.6
      ? { user, total: randomInt(random, -15, 15), ...meta(), ...sub() }
      : { user, delta: randomInt(random, -4, 4), ...meta(), ...sub() };
  const r = random();
  if (r < 0.04) {
    const config: Record<string, unknown> = {};
    if (random() < 0.3) config['order'] = pick(['desc', 'asc']);
    if (random() < 0.3) config['operator'] = pick(['set', 'best']);
    if (random() < 0.3) config['min'] = random() < 0.3 ? null : randomInt(random, -20, 0);
    if (random() < 0.3) config['max'] = random() < 0.3 ? null : randomInt(random, -5, 20);
    if (random() < 0.35) {
      config['reset'] = pick([
        null,
        { everySeconds: randomInt(random, 5, 40) },
        {
          every: 'day',
          at: pick(['00:00', '02:30', '23:45']),
          timezone: pick(['UTC', 'Europe/Berlin', 'America/New_York']),
        },
        { every: 'week', weekday: randomInt(random, 1, 7) },
        { every: 'month', day: randomInt(random, 1, 28), at: '06:00' },
      ]);
    }
    if (random() < 0.2) config['keep'] = randomInt(random, 0, 3);
    if (random() < 0.25) config['history'] = randomInt(random, 0, 3);
    if (random() < 0.1) {
      config['start'] =
        random() < 0.5 ? null : new Date(clock.now + randomInt(random, -60, 60) * 1000).toISOString();
      config['end'] =
        random() < 0.5 ? null : new Date(clock.now + randomInt(random, 61, 600) * 1000).toISOString();
    }
    // Tournaments: joins, a cap on players (refused without join), a cap on attempts.
    if (random() < 0.12) {
      config['join'] = random() < 0.5;
      if (config['join'] && random() < 0.6) config['maxPlayers'] = randomInt(random, 1, 3);
    }
    if (random() < 0.2) config['bucket'] = random() < 0.25 ? null : { size: randomInt(random, 2, 4) };
    // Leagues: tiers (they need buckets), and how many move up and down.
    if (random() < 0.2) {
      config['tiers'] = pick([
        null,
        [{ name: 'bronze' }, { name: 'silver', relegate: 1 }, { name: 'gold', relegate: '50%' }],
        [{ name: 'low', promote: '50%' }, { name: 'mid' }, { name: 'high', relegate: 2 }, { name: 'top' }],
        [{ name: 'a' }, { name: 'b', promote: 0 }],
        [{ name: 'x' }, { name: 'x' }], // named twice: refused
      ]);
      if (config['tiers'] && random() < 0.8) config['bucket'] = { size: randomInt(random, 2, 4) };
    }
    if (random() < 0.1) config['promote'] = pick([0, 1, 2, '20%', '50%', '100%']);
    if (random() < 0.1) config['relegate'] = pick([0, 1, '34%', '100%']);
    if (random() < 0.1) {
      config['rewards'] = pick([
        null,
        [{ ranks: [1, 1], reward: { gems: 5 } }],
        [
          { ranks: [2, 3], reward: 'badge' },
          { ranks: [1, 1], reward: [1, 2] },
        ],
        [
          { ranks: [1, 2], reward: 1 },
          { ranks: [2, 4], reward: 2 },
        ], // overlapping: refused
      ]);
    }
    if (random() < 0.04) config['maxPlayers'] = random() < 0.3 ? null : randomInt(random, 1, 3);
    if (random() < 0.15) config['maxAttempts'] = random() < 0.3 ? null : randomInt(random, 1, 4);
    if (random() < 0.08) {
      config['hours'] =
        random() < 0.4
          ? null
          : { from: '08:00', to: pick(['20:00', '02:00']), days: [1, 2, 3, 4, 5], timezone: 'Europe/Berlin' };
    }
    if (subRandom() < 0.12)
      config['subscore'] = [null, { order: 'desc' }, { order: 'asc' }][randomInt(subRandom, 0, 2)];
    return { cmd: Command.BoardPut, args: { board, ...config } };
  }
  if (r < 0.045) return { cmd: Command.BoardReset, args: { board } };
  if (r < 0.05) return { cmd: Command.BoardDelete, args: { board } };
  if (r < 0.06) return { cmd: Command.BoardList, args: {} };
  if (r < 0.07) return { cmd: Command.BoardGet, args: { board } };
  if (r < 0.222) return { cmd: Command.ScorePut, args: { board, ...write() } };
  if (r < 0.23) {
    const on = entryUsers(board);
    return {
      cmd: Command.BucketOfUser,
      args: { board, user: on.length > 0 && random() < 0.5 ? pick(on) : user },
    };
  }
  if (r < 0.235) {
    return {
      cmd: Command.BucketTop,
      args: { board, bucket: randomInt(random, 1, 5), n: randomInt(random, 0, 5) },
    };
  }
  if (r < 0.262) {
    return {
      cmd: Command.BoardJoin,
      args: { board, user },
      ...(random() < 0.2 ? { key: `j${randomInt(random, 0, 9)}` } : {}),
    };
  }
  if (r < 0.27) return { cmd: Command.BoardAttempts, args: { board, user } };
  if (r < 0.31) {
    return { cmd: Command.ScorePut, args: { board, ...write() }, key: `k${randomInt(random, 0, 20)}` };
  }
  if (r < 0.35) {
    const scores = Array.from({ length: randomInt(random, 1, 6) }, write);
    return {
      cmd: Command.ScoreBatch,
      args: { board, scores },
      ...(random() < 0.3 ? { key: `b${randomInt(random, 0, 9)}` } : {}),
    };
  }
  if (r < 0.4)
    return {
      cmd: Command.SetTotal,
      args: { user, total: randomInt(random, -15, 15), ...meta(), ...sub('default') },
    };
  if (r < 0.43)
    return {
      cmd: Command.AddScore,
      args: { user, delta: randomInt(random, -3, 3), ...meta(), ...sub('default') },
    };
  if (r < 0.5) {
    const fields: Record<string, unknown> = {};
    if (random() < 0.6) fields['country'] = random() < 0.2 ? null : pick(COUNTRIES);
    if (random() < 0.5) fields['name'] = random() < 0.2 ? null : pick(['  Ann ', 'Bø', 'Ωmega', 'x']);
    if (random() < 0.2) fields['metadata'] = random() < 0.3 ? null : { level: randomInt(random, 1, 9) };
    if (Object.keys(fields).length === 0) fields['name'] = 'N';
    return { cmd: Command.PlayerPut, args: { user, ...fields } };
  }
  if (r < 0.52) {
    const players = Array.from({ length: randomInt(random, 1, 4) }, () => ({
      user: random() < 0.5 ? randomInt(random, 0, 30) : `u${randomInt(random, 0, 30)}`,
      country: pick(COUNTRIES),
    }));
    return { cmd: Command.PlayerBatch, args: { players } };
  }
  if (r < 0.527) return { cmd: Command.PlayerDelete, args: { user } };
  if (r < 0.535) return { cmd: Command.EntryDelete, args: { board, user } };
  if (r < 0.55) return { cmd: Command.PlayerGet, args: { user } };
  if (r < 0.56) return { cmd: Command.PlayerExport, args: { user } };
  if (r < 0.62) return { cmd: Command.BoardTop, args: styled({ board, n: randomInt(random, 0, 12) }) };
  if (r < 0.65) {
    return {
      cmd: Command.BoardWindow,
      args: styled({ board, position: randomInt(random, 1, 25), scope: randomInt(random, 0, 3) }),
    };
  }
  if (r < 0.7) return { cmd: Command.BoardUser, args: styled({ board, user }) };
  if (r < 0.74)
    return { cmd: Command.BoardAround, args: styled({ board, user, size: randomInt(random, 0, 4) }) };
  if (r < 0.77) {
    const ids = Array.from({ length: randomInt(random, 1, 5) }, () => randomInt(random, 0, 30));
    return { cmd: Command.BoardUsers, args: styled({ board, ids }) };
  }
  if (r < 0.8) {
    return {
      cmd: Command.BoardRange,
      args: styled({
        board,
        min: randomInt(random, -20, 10),
        max: randomInt(random, -10, 20),
        limit: randomInt(random, 0, 6),
      }),
    };
  }
  if (r < 0.82) return { cmd: Command.BoardCountries, args: { board } };
  if (r < 0.86)
    return {
      cmd: Command.CountryTop,
      args: styled({ board, country: pick(COUNTRIES), n: randomInt(random, 0, 8) }),
    };
  if (r < 0.89) {
    return {
      cmd: Command.CountryAround,
      args: styled({ board, country: pick(COUNTRIES), user, size: randomInt(random, 0, 3) }),
    };
  }
  if (r < 0.91) return { cmd: Command.Top, args: { n: randomInt(random, 0, 10) } };
  if (r < 0.93) return { cmd: Command.GetUser, args: { user } };
  if (r < 0.94)
    return {
      cmd: Command.Around,
      args: { position: randomInt(random, 1, 20), scope: randomInt(random, 0, 3) },
    };
  if (r < 0.945) return { cmd: Command.Reset, args: {} };
  if (r < 0.95) return { cmd: Command.Ping, args: {} };
  if (r < 0.955) return { cmd: Command.BoardPeriods, args: { board } };
  if (r < 0.975) {
    // Mostly a period the board can read, now and then one it cannot.
    const known = periods(board);
    let period = known.length > 0 && random() < 0.85 ? pick(known) : randomInt(random, 1, 50);
    const which = randomInt(random, 0, 7);
    if (which === 0)
      return { cmd: Command.PeriodTop, args: styled({ board, period, n: randomInt(random, 0, 6) }) };
    if (which === 1)
      return {
        cmd: Command.PeriodWindow,
        args: styled({ board, period, position: randomInt(random, 1, 8), scope: 1 }),
      };
    if (which === 2) return { cmd: Command.PeriodUser, args: styled({ board, period, user }) };
    if (which === 3) return { cmd: Command.PeriodAround, args: styled({ board, period, user, size: 1 }) };
    // Results are written when a period ends: mostly ask a finished one.
    const ended = known.slice(1);
    if (which >= 5 && ended.length > 0 && random() < 0.85) period = pick(ended);
    if (which === 5) {
      const after = random() < 0.5 ? {} : { after: String(randomInt(random, 0, 6)) };
      return {
        cmd: Command.PeriodResults,
        args: { board, period, limit: randomInt(random, 1, 4), ...after },
      };
    }
    if (which === 6) {
      const placed = resultUsers(board, period);
      const who = placed.length > 0 && random() < 0.7 ? pick(placed) : user;
      return { cmd: Command.PeriodResult, args: { board, period, user: who } };
    }
    return { cmd: Command.History, args: random() < 0.5 ? { board, user } : { board, user, period } };
  }
  if (r < 0.98) {
    // API keys: made, revoked, listed, synced; a few names so puts meet existing ones.
    const name = `key${randomInt(random, 0, 4)}`;
    const k = random();
    if (k < 0.4) {
      const hash = randomInt(random, 0, 2 ** 30)
        .toString(16)
        .padStart(64, '0');
      const scopes = pick([['read'], ['write'], ['admin'], ['read', 'write']]);
      const extra = random() < 0.5 ? { boards: [board], rate: randomInt(random, 1, 100) } : {};
      return { cmd: Command.KeyPut, args: { name, hash, scopes, ...extra } };
    }
    if (k < 0.7) return { cmd: Command.KeyDelete, args: { name } };
    if (k < 0.85) return { cmd: Command.KeyList, args: {} };
    return { cmd: Command.KeySync, args: { since: randomInt(random, -1, 3) } };
  }
  if (r < 0.985) return { cmd: Command.PlayerPut, args: { user, country: pick(['XX', 'zz', 'UK']) } }; // unknown
  if (r < 0.99) {
    // Moderation: bans and lifts on a few players, so their writes meet the ban.
    const who = random() < 0.5 ? randomInt(random, 0, 4) : `u${randomInt(random, 0, 4)}`;
    return random() < 0.55
      ? { cmd: Command.PlayerBan, args: { user: who, reason: pick(['cheating', 'abuse']) } }
      : { cmd: Command.PlayerUnban, args: { user: who } };
  }
  return { cmd: Command.ScorePut, args: { board: 'no-such-board', user, total: 1 } };
}

/**
 * Counts answers holding results that moved a player up or down a tier, rows that say their tier,
 * and pages where a subscore decided between equal totals (or two rows tied on both).
 */
function countTiers(answers: Map<string, number>, result: unknown): void {
  const rows = Array.isArray(result)
    ? (result as { total?: number; subscore?: number; rank?: number }[])
    : [];
  for (let i = 1; i < rows.length; i++) {
    const [a, b] = [rows[i - 1]!, rows[i]!];
    if (a.subscore === undefined || b.subscore === undefined || a.total !== b.total) continue;
    // Two rows of equal totals: ordered by their subscores, or tied on both and sharing a rank.
    const kind = a.subscore !== b.subscore ? 'subscore decided' : a.rank === b.rank ? 'subscore tie' : '';
    if (kind) answers.set(kind, (answers.get(kind) ?? 0) + 1);
  }
  const text = JSON.stringify(result);
  for (const [name, re] of [
    ['promoted', /"tier":"(bronze|low|mid|a)","nextTier":"(silver|mid|high|b)"/],
    ['relegated', /"tier":"(silver|gold|mid|high|top)","nextTier":"(bronze|low|mid|high)"/],
    ['tiered row', /"bucket":\d+,"tier":"/],
  ] as const) {
    if (re.test(text)) answers.set(name, (answers.get(name) ?? 0) + 1);
  }
}

describe('the engine agrees with the reference model', () => {
  for (const seed of (process.env['MODEL_SEEDS'] ?? '1,77,4242').split(',').map(Number)) {
    it(`over seeded random commands with restarts from snapshot and log (seed ${seed})`, async () => {
      const random = seededRandom(seed);
      metaRandom = seededRandom(seed + 1);
      subRandom = seededRandom(seed + 2);
      const dir = mkdtempSync(join(tmpdir(), 'scoreboard-model-'));
      // Even seeds refuse a banned player's writes, odd ones accept them (hidden).
      const banWrites = seed % 2 === 0 ? ('refuse' as const) : ('accept' as const);
      const open = (): RankingService =>
        testService(
          { dataDir: dir, fsync: 'no', snapshotBytes: 8192, ...TEST_LIMITS, banWrites },
          { seed, snapshotChunk: 7, snapshotRun: 3 },
        );
      clock.now = Date.UTC(2026, 2, 28, 20); // a weekend with Europe's change to summer time
      let service = open();
      const model = new ReferenceModel({ ...TEST_LIMITS, banWrites });
      periods = (board) => model.periodIds(board);
      resultUsers = (board, period) => model.resultUsers(board, period);
      entryUsers = (board) => model.entryUsers(board);
      hasSubscore = (board) => model.hasSubscore(board);
      let snapshot: Promise<void> | undefined;
      let restarts = 0;
      const answers = new Map<string, number>();
      for (let step = 0; step < 20000; step++) {
        clock.now += random() < 0.01 ? randomInt(random, 1, 30) * 3600_000 : randomInt(random, 0, 2500);
        const op = randomOp(random);
        const envelope = { id: step, cmd: op.cmd, args: op.args, ...(op.key ? { key: op.key } : {}) };
        const decoded = validateRequest(structuredClone(envelope));
        const want = decoded.ok
          ? model.apply(decoded.request.cmd, decoded.request.args, decoded.request.key, clock.now)
          : (model.tick(clock.now), { ok: false as const, code: decoded.reply.error.code });
        const got = sendFrame(service.engine, [envelope], clock.now).replies[0]!;
        const gotView = got.ok
          ? { ok: true, result: got.result }
          : {
              ok: false,
              code: got.error.code,
              ...(got.error.retryAfter === undefined ? {} : { retryAfter: got.error.retryAfter }),
            };
        expect(gotView, `step ${step}: ${JSON.stringify(envelope)}`).toEqual(want);
        const kind = `${op.cmd} ${want.ok ? 'ok' : want.code}`;
        answers.set(kind, (answers.get(kind) ?? 0) + 1);
        if (want.ok) countTiers(answers, want.result);

        if (step % 300 === 150) snapshot = service.store!.snapshot(); // walks while writes go on
        if (step % 800 === 799) {
          await snapshot;
          await service.stop();
          service = open();
          restarts++;
          service.state.checkValid();
          for (const board of model.boardIds()) {
            expect(service.state.data.find(board)?.top(1000, 'ordinal'), board).toEqual(model.rowsOf(board));
            for (const period of model.periodIds(board)) {
              for (const read of [
                { cmd: Command.PeriodTop, args: { board, period, n: 1000 } },
                // Shared ranks: equal totals, and equal subscores where the board has them.
                { cmd: Command.PeriodTop, args: { board, period, n: 1000, rank: 'standard' as const } },
                { cmd: Command.PeriodTop, args: { board, period, n: 1000, rank: 'dense' as const } },
                { cmd: Command.PeriodResults, args: { board, period, limit: 1000 } },
              ]) {
                const got = sendFrame(service.engine, [{ id: 0, ...read }], clock.now).replies[0]!;
                const want = model.apply(read.cmd, read.args, undefined, clock.now);
                if (want.ok) countTiers(answers, want.result);
                expect(
                  got.ok && got.result,
                  `${read.cmd} ${board} ${period} after restart ${restarts}`,
                ).toEqual(want.ok && want.result);
              }
            }
          }
        }
      }
      await snapshot;
      await service.stop();
      expect(restarts).toBeGreaterThanOrEqual(5);
      if (process.env['MODEL_KINDS'])
        console.log(
          seed,
          JSON.stringify(
            [...answers].filter(([k]) =>
              /join|attempts|JOINED|ATTEMPTS|sync|country.around|bucket|period.result|history|moted|gated|tiered|subscore|SUBSCORE|RANGE/.test(
                k,
              ),
            ),
          ),
        );
      // The mix reached the interesting answers, not only the easy ones.
      for (const kind of [
        'score.put ok',
        'score.put SCOREBOARD_ERR_SCORE_RELATIVE_NOT_ALLOWED',
        'score.batch ok',
        'board.put SCOREBOARD_ERR_BOARD_CONFLICT',
        'country.around ok',
        'player.delete ok',
        'entry.delete ok',
        'score.put SCOREBOARD_ERR_METADATA_TOO_LARGE',
        'set ok',
        'entry.delete SCOREBOARD_ERR_USER_NOT_FOUND',
        'player.put SCOREBOARD_ERR_PLAYER_UNKNOWN_COUNTRY',
        'score.put SCOREBOARD_ERR_BOARD_NOT_FOUND',
        'board.reset ok',
        'period.top ok',
        'period.user SCOREBOARD_ERR_PERIOD_NOT_FOUND',
        'period.results ok',
        'promoted',
        'relegated',
        'tiered row',
        'period.results SCOREBOARD_ERR_PERIOD_NOT_FOUND',
        'period.result ok',
        'period.result SCOREBOARD_ERR_USER_NOT_FOUND',
        'board.history ok',
        'score.put SCOREBOARD_ERR_BOARD_CLOSED',
        'key.put ok',
        'key.put SCOREBOARD_ERR_KEY_EXISTS',
        'key.delete SCOREBOARD_ERR_KEY_NOT_FOUND',
        'key.sync ok',
        'bucket.user ok',
        'bucket.user SCOREBOARD_ERR_USER_NOT_FOUND',
        'bucket.user SCOREBOARD_ERR_BUCKET_NOT_FOUND',
        'bucket.top ok',
        'bucket.top SCOREBOARD_ERR_BUCKET_NOT_FOUND',
        'player.export ok',
        'player.export SCOREBOARD_ERR_PLAYER_NOT_FOUND',
        'board.join ok',
        'board.join SCOREBOARD_ERR_BOARD_FULL',
        'board.join SCOREBOARD_ERR_BOARD_CONFLICT',
        'board.attempts ok',
        'score.put SCOREBOARD_ERR_NOT_JOINED',
        'score.batch SCOREBOARD_ERR_ATTEMPTS_USED',
        'board.put SCOREBOARD_ERR_BOARD_INVALID_CONFIG',
        'player.ban ok',
        'player.unban ok',
        'player.unban SCOREBOARD_ERR_BAN_NOT_FOUND',
        'score.put SCOREBOARD_ERR_SUBSCORE_NOT_ALLOWED',
        'score.batch SCOREBOARD_ERR_SUBSCORE_NOT_ALLOWED',
        'score.put SCOREBOARD_ERR_SCORE_OUT_OF_RANGE',
        'subscore decided',
        'subscore tie',
        banWrites === 'refuse' ? 'score.put SCOREBOARD_ERR_PLAYER_BANNED' : 'score.put ok',
      ]) {
        expect(answers.get(kind) ?? 0, kind).toBeGreaterThan(0);
      }
    });
  }
});
