/**
 * The ranking API over several ranking servers (shards): one {@link RankingClient} (one DEALER)
 * per shard, each command routed as the protocol says ({@link shardRoute}): by board to the shard
 * that holds it, to shard 0 for the key table, or to every shard with the answers merged.
 *
 * A command for every shard is acknowledged only when every shard answered it: a profile write or
 * an erasure that one shard could not apply answers that shard's error (a 503 when it is down),
 * and the caller retries — every such command is idempotent (whole profiles; erasing twice erases
 * once). With one shard this is a thin pass-through.
 *
 * Boards are found through a cached shard map (see `ShardMap` in the protocol), read from shard 0
 * before the first command that needs it: a client never guesses (a shard that has just joined
 * holds no board yet, and must not be sent any). The servers check every board command against
 * their own copy of the map, so a stale cache is never trusted:
 * - SHARD_MISROUTED means the board is elsewhere. The client reads the map again and retries, at
 *   most {@link MAX_REROUTES} times.
 * - BOARD_MOVING means a move holds the board's writes. The client retries every
 *   {@link MOVE_POLL_MS} for up to {@link MOVE_WAIT_MS}, then answers that error (503,
 *   Retry-After).
 *
 * Both refusals come before anything is applied, so a retry is never a repeat.
 */
import {
  ErrorCode,
  ScoreboardError,
  initialShardMap,
  parseResult,
  placeBoard,
  shardRoute,
  type ArgsOf,
  type BoardView,
  type CommandName,
  type PlayerExport,
  type PlayerView,
  type RawResult,
  type ResultOf,
  type ShardMap,
} from '@scoreboard/protocol';
import { setTimeout as sleep } from 'node:timers/promises';
import { createHash } from 'node:crypto';
import type { CallOptions, RankingApi } from '../ranking-client.js';

/** What a shard's client must offer: the API plus its hop figures (metrics). */
export interface ShardClient extends RankingApi {
  readonly inFlight: number;
  readonly queued: number;
  /** True while etcd names no primary for the shard (with standbys: an election is under way). */
  readonly electing?: boolean;
}

/** What the health check says of a shard that does not answer while it has no primary. */
export const ELECTING = 'no primary: an election is under way';

/**
 * How long a write waits, at most, for its board to finish moving before it answers BOARD_MOVING:
 * with the last try's own timeout (REQUEST_TIMEOUT_MS, 2 s) it stays inside nginx's 5 s.
 */
export const MOVE_WAIT_MS = 2500;
/** How often a write retries while its board moves. */
export const MOVE_POLL_MS = 25;
/** How many times a command follows SHARD_MISROUTED (rereading the map each time). */
export const MAX_REROUTES = 3;

/** How the answers of every shard (in shard order) become one, given the shard map. */
type Merge = (answers: RawResult[], map: ShardMap) => unknown;

const json = (raw: RawResult): unknown => parseResult(raw);

/** Merges by command; commands not listed answer what shard 0 answered (they agree). */
const MERGES: Partial<Record<CommandName, Merge>> = {
  // Each shard lists its own boards; every shard also has a `default` board of its own (it makes
  // one at start), and a board being moved is held twice for a moment: only the copy the map
  // places is listed.
  'board.list': (answers, map) =>
    answers
      .flatMap((a, i) => (json(a) as BoardView[]).filter((b) => placeBoard(map, b.board) === i))
      .sort((x, y) => (x.board < y.board ? -1 : x.board > y.board ? 1 : 0)),
  'player.delete': (answers) => ({
    erased: answers.some((a) => (json(a) as { erased: boolean }).erased),
  }),
  cluster: (answers) => answers.flatMap((a) => json(a) as unknown[]),
  digest: (answers) => {
    const parts = answers.map((a) => json(a) as { digest: string; records: number });
    const hash = createHash('sha256');
    for (const p of parts) hash.update(p.digest);
    return { digest: hash.digest('hex'), records: parts.reduce((n, p) => n + p.records, 0) };
  },
};

/** A {@link RankingApi} over shards. */
export class ShardedRanking implements RankingApi {
  /** The shard map as last read (epoch -1: not read yet). */
  private cached: ShardMap;
  /** The read of the map under way, shared by every command that needs it. */
  private reading: Promise<ShardMap> | undefined;

  /** O(1). `shards[i]` is shard i's client. */
  constructor(private readonly shards: readonly ShardClient[]) {
    if (shards.length === 0) throw new RangeError('at least one shard');
    this.cached = { ...initialShardMap(shards.length), epoch: -1 };
  }

  /** O(1). Shard count (endpoints this client holds). */
  get count(): number {
    return this.shards.length;
  }

  /** O(1). The shard map as last read. */
  get map(): ShardMap {
    return this.cached;
  }

  /**
   * O(moved). Reads the map again from shard 0; concurrent callers share one read. Keeps the
   * newer of what it had and what it read.
   */
  async refreshMap(): Promise<ShardMap> {
    this.reading ??= (async () => {
      try {
        const view = await this.shards[0]!.call('shardmap.get', {});
        const { epoch, layout, moved, sealed } = view;
        if (epoch >= this.cached.epoch) this.cached = { epoch, layout, moved, sealed };
        return this.cached;
      } finally {
        this.reading = undefined;
      }
    })();
    return this.reading;
  }

  /** O(1). Shard i's client. */
  shard(i: number): ShardClient {
    const shard = this.shards[i];
    if (!shard) throw new RangeError(`no shard ${i} (this client has ${this.shards.length})`);
    return shard;
  }

  /** O(shards). Commands waiting for a reply, over every shard. */
  get inFlight(): number {
    return this.shards.reduce((n, s) => n + s.inFlight, 0);
  }

  /** O(shards). Commands waiting in the outboxes, over every shard. */
  get queued(): number {
    return this.shards.reduce((n, s) => n + s.queued, 0);
  }

  /** See {@link RankingApi.call}. */
  async call<C extends CommandName>(cmd: C, args: ArgsOf<C>, options?: CallOptions): Promise<ResultOf<C>> {
    return parseResult(await this.callRaw(cmd, args, options));
  }

  /** O(shards) for commands of every shard, else O(1), plus the command. See {@link RankingApi.callRaw}. */
  async callRaw<C extends CommandName>(
    cmd: C,
    args: ArgsOf<C>,
    options?: CallOptions,
  ): Promise<RawResult<C>> {
    const shards = this.shards;
    const route = shardRoute(cmd, args);
    if (route.to === 'named') return this.shard(options?.shard ?? 0).callRaw(cmd, args, options);
    // The health check goes across even to one shard: it names an election under way.
    if (cmd === 'ping') return this.pingAcross(options) as Promise<RawResult<C>>;
    if (shards.length === 1) return shards[0]!.callRaw(cmd, args, options);
    if (route.to === 'board') return this.onBoard(route.board, cmd, args, options);
    if (this.cached.epoch < 0 && MERGES[cmd]) await this.refreshMap();
    if (route.to === 'first') return shards[0]!.callRaw(cmd, args, options);
    if (cmd === 'player.get') return this.playerAcross(args, options) as Promise<RawResult<C>>;
    if (cmd === 'player.export') return this.exportAcross(args, options) as Promise<RawResult<C>>;
    // Every shard applies it (or answers it); the first failure is the answer.
    const settled = await Promise.allSettled(shards.map((s) => s.callRaw(cmd, args, options)));
    const failed = settled.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
    const answers = settled.map((r) => (r as PromiseFulfilledResult<RawResult<C>>).value);
    const merge = MERGES[cmd];
    return merge ? Buffer.from(JSON.stringify(merge(answers, this.cached))) : answers[0]!;
  }

  /**
   * A board's command, sent where the map places the board, following SHARD_MISROUTED and waiting
   * out BOARD_MOVING as the module comment says. RANKING_UNAVAILABLE when the map places the board
   * on a shard this client has no endpoint for (its RANKING_ENDPOINT list is too short).
   */
  private async onBoard<C extends CommandName>(
    board: string,
    cmd: C,
    args: ArgsOf<C>,
    options?: CallOptions,
  ): Promise<RawResult<C>> {
    let reroutes = 0;
    const waitUntil = Date.now() + MOVE_WAIT_MS;
    if (this.cached.epoch < 0) await this.refreshMap();
    for (;;) {
      const at = placeBoard(this.cached, board);
      const shard = this.shards[at];
      if (!shard) {
        throw new ScoreboardError(
          ErrorCode.RANKING_UNAVAILABLE,
          `Board "${board}" is on shard ${at}; this client knows ${this.shards.length} shards.`,
        );
      }
      try {
        return await shard.callRaw(cmd, args, options);
      } catch (err) {
        if (!(err instanceof ScoreboardError)) throw err;
        if (err.code === ErrorCode.SHARD_MISROUTED && reroutes++ < MAX_REROUTES) {
          await this.refreshMap();
        } else if (err.code === ErrorCode.BOARD_MOVING && Date.now() + MOVE_POLL_MS < waitUntil) {
          await sleep(MOVE_POLL_MS);
          // The move may have switched the board meanwhile: the old shard then says so.
        } else {
          throw err;
        }
      }
    }
  }

  /**
   * The health of every shard in one answer: `ok` when each answered ok; `degraded`, with the
   * reason and each shard's status, when some did not answer or cannot write (this client still
   * serves the others' boards); the first shard's error when none answered.
   */
  private async pingAcross(options?: CallOptions): Promise<RawResult> {
    const settled = await Promise.allSettled(this.shards.map((s) => s.call('ping', {}, options)));
    const electing = (shard: number): boolean => this.shards[shard]!.electing === true;
    if (settled.every((r) => r.status === 'rejected')) {
      const which = this.shards.map((_, i) => i).filter(electing);
      if (which.length === 0) throw (settled[0] as PromiseRejectedResult).reason;
      throw new ScoreboardError(
        ErrorCode.RANKING_UNAVAILABLE,
        `No ranking server answers: ${which.map((i) => `shard ${i}`).join(', ')} ${ELECTING}.`,
      );
    }
    let users = 0;
    const shards = settled.map((r, shard) => {
      if (r.status === 'rejected') {
        // A shard between primaries says so: it answers again once the election is over.
        if (electing(shard)) return { shard, status: 'unavailable', reason: ELECTING };
        const why = r.reason instanceof ScoreboardError ? r.reason.code : String(r.reason);
        return { shard, status: 'unavailable', reason: why };
      }
      users += r.value.users;
      return { shard, status: r.value.status, ...(r.value.reason ? { reason: r.value.reason } : {}) };
    });
    // One shard: its own answer, as it gave it.
    if (settled.length === 1)
      return Buffer.from(JSON.stringify((settled[0] as PromiseFulfilledResult<unknown>).value));
    const bad = shards.filter((s) => s.status !== 'ok');
    if (bad.length === 0) return Buffer.from(JSON.stringify({ status: 'ok', users }));
    const reason = bad.map((s) => `shard ${s.shard} ${s.status}: ${s.reason ?? ''}`).join('; ');
    return Buffer.from(JSON.stringify({ status: 'degraded', users, reason, shards }));
  }

  /**
   * The answers of every shard to a player's command (`player.get`, `player.export`), merged by
   * `merge`. A shard that does not know the player adds nothing; when none does, the answer is
   * theirs (not found).
   */
  private async playerFromEvery<T>(
    cmd: 'player.get' | 'player.export',
    args: unknown,
    options: CallOptions | undefined,
    merge: (answers: T[]) => unknown,
  ): Promise<RawResult> {
    const settled = await Promise.allSettled(
      this.shards.map((s) => s.callRaw(cmd, args as ArgsOf<typeof cmd>, options)),
    );
    const answers: T[] = [];
    let notFound: unknown;
    for (const r of settled) {
      if (r.status === 'fulfilled') {
        answers.push(parseResult(r.value) as T);
        continue;
      }
      const err = r.reason as unknown;
      if (!(err instanceof ScoreboardError && err.code === ErrorCode.PLAYER_NOT_FOUND)) throw err;
      notFound ??= err;
    }
    if (answers.length === 0) throw notFound;
    return Buffer.from(JSON.stringify(merge(answers)));
  }

  /** A player's profile (kept on every shard) with the placements of every shard's boards. */
  private playerAcross(args: unknown, options?: CallOptions): Promise<RawResult> {
    return this.playerFromEvery<PlayerView>('player.get', args, options, (answers) => {
      // The profile is the same on every shard; a shard that only holds entries shows none.
      const view =
        answers.find((a) => a.name !== null || a.country !== null || a.metadata !== null) ?? answers[0]!;
      const merged = Object.assign({}, ...answers.map((a) => a.boards)) as PlayerView['boards'];
      const boards = Object.fromEntries(Object.entries(merged).sort(([a], [b]) => (a < b ? -1 : 1)));
      // Bans are applied on every shard: any shard that answered says it.
      const ban = answers.find((a) => a.ban)?.ban;
      const { ban: _ban, ...rest } = view;
      return ban ? { ...rest, boards, ban } : { ...rest, boards };
    });
  }

  /** Everything held about a player: the profile (on every shard), every shard's boards by id. */
  private exportAcross(args: unknown, options?: CallOptions): Promise<RawResult> {
    return this.playerFromEvery<PlayerExport>('player.export', args, options, (answers) => ({
      user: answers[0]!.user,
      profile: answers.find((a) => a.profile !== null)?.profile ?? null,
      boards: answers.flatMap((a) => a.boards).sort((x, y) => (x.board < y.board ? -1 : 1)),
      ban: answers.find((a) => a.ban !== null)?.ban ?? null,
    }));
  }
}
