/**
 * Driving a ranking service in tests: built by the same wiring as production, with a seeded
 * random source, and fed request batches through the real codec both ways (as the socket loop
 * would), so a test sees exactly the replies a client would.
 */
import { settingsDefaults } from '@scoreboard/config';
import {
  decodeReplies,
  decodeRequests,
  encodeReplies,
  encodeRequests,
  type Entry,
  type RankedEntry,
  type Reply,
  type UserId,
} from '@scoreboard/protocol';
import { pino } from 'pino';
import { rankingServerSettings, type RankingServerConfig } from '../config.js';
import { RankingEngine } from '../engine/engine.js';
import { RankingState } from '../engine/state.js';
import { openRankingService, type RankingService, type ServiceOptions } from '../service.js';
import { RecordingJournal } from './recording-journal.js';
import { seededRandom } from '@scoreboard/random';

/** A silent logger for tests. */
export const silent = pino({ level: 'silent' });

/** O(data folder). A service on `overrides` of the defaults (memory only unless a dataDir is given). */
export function testService(
  overrides: Partial<RankingServerConfig> = {},
  options: ServiceOptions & { seed?: number } = {},
): RankingService {
  const config: RankingServerConfig = {
    ...settingsDefaults(rankingServerSettings),
    endpoint: 'tcp://127.0.0.1:*',
    metricsPort: 0,
    eventsEndpoint: 'tcp://127.0.0.1:*',
    persist: overrides.dataDir !== undefined,
    game: false, // no `runner` board unless a test asks for it
    ...overrides,
  };
  return openRankingService(config, silent, { random: seededRandom(options.seed ?? 1), ...options });
}

/**
 * O(batch). Sends one request frame — a batch of envelopes, or raw text — through the codec to the
 * engine and back; answers the decoded replies and the ticket they wait for.
 */
export function sendFrame(
  engine: RankingEngine,
  batch: readonly unknown[] | string,
  now = Date.now(),
): { replies: Reply[]; ticket: number; invalid: number } {
  const frame = typeof batch === 'string' ? Buffer.from(batch) : encodeRequests(batch);
  const handled = engine.handle(decodeRequests(frame), now);
  const { replies, invalid } = decodeReplies(encodeReplies(handled.replies));
  return { replies, ticket: handled.ticket, invalid };
}

/**
 * A request sender with its own correlation ids: `send(cmd, args, key?)` answers the one reply,
 * handled at `clock()`.
 */
export function requester(
  engine: RankingEngine,
  clock: () => number = Date.now,
): (cmd: string, args: object, key?: string) => Reply {
  let id = 0;
  return (cmd, args, key) =>
    sendFrame(engine, [{ id: ++id, cmd, args, ...(key ? { key } : {}) }], clock()).replies[0]!;
}

/** Limits for test states: roomy, so only tests about limits meet them. */
export const TEST_LIMITS = { maxBoards: 1000, maxPlayers: 1_000_000 };

/** O(1). An engine over a fresh state that logs into a {@link RecordingJournal}. */
export function recordingEngine(seed = 1): {
  engine: RankingEngine;
  state: RankingState;
  journal: RecordingJournal;
} {
  const state = new RankingState({ ...TEST_LIMITS, random: seededRandom(seed) });
  const journal = new RecordingJournal();
  const engine = new RankingEngine({ state, journal, logger: silent });
  // An established data folder: the default board's creation is recorded before the test begins.
  engine.tick(Date.now());
  journal.records.length = 0;
  return { engine, state, journal };
}

/**
 * The default board as the original routes see it: `{user, total}` rows, `{user, total, rank}`
 * for one user, its size, and reset — for tests written against the first version.
 */
export function defaultBoardOf(state: RankingState) {
  const board = state.defaultBoard;
  const players = state.data.players;
  return {
    get size(): number {
      return board.size;
    },
    top: (n: number): Entry[] => board.plain(1, n),
    get: (user: UserId): RankedEntry | undefined => {
      const slot = players.slotOf(user);
      const placed = slot === undefined ? undefined : board.placement(slot, 'ordinal');
      return placed && { user, total: placed.total, rank: placed.rank };
    },
    reset: (): number => board.reset(),
    checkValid: (): void => state.checkValid(),
  };
}
