/**
 * The ranking API over several ranking servers (shards): one {@link RankingClient} (one DEALER)
 * per shard, each command routed as the protocol says ({@link shardRoute}): by board to the shard
 * that holds it, to shard 0 for the key table, or to every shard with the answers merged.
 *
 * A command for every shard is acknowledged only when every shard answered it: a profile write or
 * an erasure that one shard could not apply answers that shard's error (a 503 when it is down),
 * and the caller retries — every such command is idempotent (whole profiles; erasing twice erases
 * once). With one shard this is a thin pass-through.
 */
import {
  ErrorCode,
  ScoreboardError,
  parseResult,
  shardOf,
  shardRoute,
  type ArgsOf,
  type BoardView,
  type CommandName,
  type PlayerView,
  type RawResult,
  type ResultOf,
} from '@scoreboard/protocol';
import { createHash } from 'node:crypto';
import type { CallOptions, RankingApi } from '../ranking-client.js';

/** What a shard's client must offer: the API plus its hop figures (metrics). */
export interface ShardClient extends RankingApi {
  readonly inFlight: number;
  readonly queued: number;
}

/** How the answers of every shard (in shard order) become one. */
type Merge = (answers: RawResult[]) => unknown;

const json = (raw: RawResult): unknown => parseResult(raw);

/** Merges by command; commands not listed answer what shard 0 answered (they agree). */
const MERGES: Partial<Record<CommandName, Merge>> = {
  // Each shard lists its own boards; every shard also has a `default` board of its own (it makes
  // one at start), which only the shard the hash picks is asked about.
  'board.list': (answers) =>
    answers
      .flatMap((a, i) => (json(a) as BoardView[]).filter((b) => shardOf(b.board, answers.length) === i))
      .sort((x, y) => (x.board < y.board ? -1 : x.board > y.board ? 1 : 0)),
  'player.delete': (answers) => ({
    erased: answers.some((a) => (json(a) as { erased: boolean }).erased),
  }),
  digest: (answers) => {
    const parts = answers.map((a) => json(a) as { digest: string; records: number });
    const hash = createHash('sha256');
    for (const p of parts) hash.update(p.digest);
    return { digest: hash.digest('hex'), records: parts.reduce((n, p) => n + p.records, 0) };
  },
};

/** A {@link RankingApi} over shards. */
export class ShardedRanking implements RankingApi {
  /** O(1). `shards[i]` is shard i's client. */
  constructor(private readonly shards: readonly ShardClient[]) {
    if (shards.length === 0) throw new RangeError('at least one shard');
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
    if (shards.length === 1) return shards[0]!.callRaw(cmd, args, options);
    const route = shardRoute(cmd, args);
    if (route.to === 'board') return shards[shardOf(route.board, shards.length)]!.callRaw(cmd, args, options);
    if (route.to === 'first') return shards[0]!.callRaw(cmd, args, options);
    if (cmd === 'player.get') return this.playerAcross(args, options) as Promise<RawResult<C>>;
    // Every shard applies it (or answers it); the first failure is the answer.
    const settled = await Promise.allSettled(shards.map((s) => s.callRaw(cmd, args, options)));
    const failed = settled.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
    const answers = settled.map((r) => (r as PromiseFulfilledResult<RawResult<C>>).value);
    const merge = MERGES[cmd];
    return merge ? Buffer.from(JSON.stringify(merge(answers))) : answers[0]!;
  }

  /**
   * A player's profile (kept on every shard) with the placements of every shard's boards. A shard
   * that does not know the player adds nothing; when none does, the answer is theirs (not found).
   */
  private async playerAcross(args: unknown, options?: CallOptions): Promise<RawResult> {
    const settled = await Promise.allSettled(
      this.shards.map((s) => s.callRaw('player.get', args as ArgsOf<'player.get'>, options)),
    );
    let view: PlayerView | undefined;
    let notFound: unknown;
    for (const r of settled) {
      if (r.status === 'rejected') {
        const err = r.reason as unknown;
        if (err instanceof ScoreboardError && err.code === ErrorCode.PLAYER_NOT_FOUND) {
          notFound ??= err;
          continue;
        }
        throw err;
      }
      const one = parseResult(r.value) as PlayerView;
      if (!view) view = { ...one, boards: { ...one.boards } };
      else {
        Object.assign(view.boards, one.boards);
        // The profile is the same on every shard; a shard that only holds entries shows none.
        if (view.name === null && view.country === null && view.metadata === null) {
          view = { ...one, boards: view.boards };
        }
      }
    }
    if (!view) throw notFound;
    const boards = Object.fromEntries(Object.entries(view.boards).sort(([a], [b]) => (a < b ? -1 : 1)));
    return Buffer.from(JSON.stringify({ ...view, boards }));
  }
}
