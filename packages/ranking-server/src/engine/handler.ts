/**
 * What a command handler is: a function of its validated arguments and a context, answering the
 * command's result (which the engine serialises) or JSON bytes it already holds (a cached page).
 * A handler checks everything before it changes anything — a refused command changes nothing —
 * and hands the records of what it changed to `ctx.log`; the engine writes one log record per
 * request from them. The handler table is typed by every command name, so a command without a
 * handler does not compile.
 */
import type { ArgsOf, ClusterShard, CommandName, ResultOf } from '@scoreboard/protocol';
import type { DeliveryStatus } from '../commands/webhooks.js';
import type { Leaderboards } from '../board/leaderboards.js';
import type { ChangeRecord, LogRecord } from '../records/index.js';
import type { IdempotencyStore } from './idempotency.js';
import type { KeyRing } from './key-ring.js';
import type { ShardState } from '../shards/shard-state.js';
import type { RankingState } from './state.js';
import type { PageCaches } from './top-pages.js';

/** Where the engine logs: the store, or nothing when memory-only. */
export interface Journal {
  /** O(record). Appends a record; answers its ticket (the log position a reply waits for). */
  append(record: LogRecord): number;
  /** O(1). Ticket of the last appended record. */
  readonly appendedTicket: number;
  /** O(1). Asks for the log to be compacted soon (after an erasure). */
  compactSoon(): void;
  /** O(1). Why the log cannot be written now; undefined while it can. Writes are refused meanwhile. */
  readonly stalled: Error | undefined;
}

/** A journal that keeps nothing: the state lives in memory only. */
export const memoryOnly: Journal = {
  append: () => 0,
  appendedTicket: 0,
  compactSoon: () => undefined,
  stalled: undefined,
};

/** What a handler may use. */
export interface CommandContext {
  /** The clock reading the batch is handled at (epoch ms). */
  readonly now: number;
  /** Every board and player. */
  readonly data: Leaderboards;
  /** Rendered top pages, per board. */
  readonly pages: PageCaches;
  /** The idempotency keys (erasure forgets a player's). */
  readonly idempotency: IdempotencyStore;
  /** The API keys. */
  readonly apiKeys: KeyRing;
  /** This shard's index, shard map and frozen boards. */
  readonly shard: ShardState;
  /** Webhook deliveries' state since this server started, by board (failures, last error, next try). */
  readonly deliveries: Map<string, DeliveryStatus>;
  /** Boards whole, out of this shard (a move). */
  readonly transfer: Pick<RankingState, 'exportBoard'>;
  /**
   * O(what the record changes). Applies a change to the state (RankingState.apply: the one way
   * state changes) and keeps it for the log; the engine logs the request's changes together.
   */
  apply(record: ChangeRecord): void;
  /** O(1). Asks for the log to be compacted soon. */
  compactSoon(): void;
  /** O(1). Why the log cannot be written now (the error's code or message); undefined while it can. */
  storageStalled(): string | undefined;
  /** O(standbys). This shard's replication group: this server and its standbys with their lag. */
  cluster(): ClusterShard[];
  /** O(n). A SHA-256 of everything held (as a snapshot would hold it), and its record count. */
  digest(): { digest: string; records: number };
}

/** The JSON bytes of a result, already serialised (the engine sends them as they are). */
export type JsonBytes = Buffer;

/** Handles command `C`: throws a ScoreboardError for a failure the caller should see. */
export type Handler<C extends CommandName> = (
  args: ArgsOf<C>,
  ctx: CommandContext,
) => ResultOf<C> | JsonBytes;

/** One handler per command. */
export type HandlerTable = { readonly [C in CommandName]: Handler<C> };
