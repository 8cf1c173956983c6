/**
 * The ranking engine: applies a batch of decoded requests, in order, to the ranking state, and
 * answers one reply per request plus the log position (ticket) the replies must wait for. It knows
 * nothing of sockets and is synchronous, so it is tested without ZeroMQ and cannot interleave.
 *
 * What it owns, per request, before and after the command's handler runs:
 * - admission: once closed it refuses (RANKING_SHUTTING_DOWN); a request whose deadline has passed
 *   is refused, not applied — its client already answered 503; while the log cannot be written, a
 *   command that is not a read is refused (STORAGE_UNAVAILABLE), not applied;
 * - idempotency (the codec admits keys on keyed commands only): a key seen before answers the
 *   first answer, unapplied; the same key with another request is refused; a new key is
 *   remembered with the answer;
 * - logging: a handler hands over the records of what it changed, and the engine appends one log
 *   record per request — the record itself, or a batch holding all of them and, for a keyed
 *   request, the key and its answer — so a request is durable whole or not at all;
 * - dispatch: the handler comes from the table (commands/), typed by every command name;
 * - errors: a ScoreboardError becomes its catalogue code; anything else is logged and answered as
 *   an internal error, so one bad command cannot take down a batch.
 */
import {
  DEFAULT_BOARD,
  ErrorCode,
  GAME_BOARD,
  RETRY_AFTER_SECONDS,
  ScoreboardError,
  commandTable,
  errorReply,
  shardRoute,
  type AnyRequest,
  type ClusterShard,
  type DecodedRequest,
  type OutgoingReply,
} from '@scoreboard/protocol';
import type { Logger } from 'pino';
import { handlers } from '../commands/index.js';
import { RecordType, type ChangeRecord, type KeyAnswer } from '../records/index.js';
import { boardRecordOf } from './board-records.js';
import { memoryOnly, type CommandContext, type Journal } from './handler.js';
import { fingerprintOf } from './idempotency.js';
import type { RankingState } from './state.js';

/** What an engine needs. */
export interface EngineOptions {
  state: RankingState;
  /** Where changes are logged; memory only without one. */
  journal?: Journal;
  logger: Logger;
  /** Hears of each board a request changed (the live pages' notices). O(1) expected. */
  onBoardChange?: (board: string) => void;
  /** The game is on: its board is made at the first tick when it is missing and placed here. */
  game?: boolean;
  /**
   * A standby's engine: it answers reads from the state its primary's records build, refuses every
   * other command (NOT_PRIMARY) and logs nothing of its own — its primary ends periods.
   */
  standby?: boolean;
  /**
   * An elected primary's fence: while it answers false (the lease may have lapsed), every command
   * that is not a read is refused (NOT_PRIMARY), not applied.
   */
  mayWrite?: () => boolean;
  /** This shard's replication group (see the `cluster` command); by default this server alone. */
  cluster?: () => ClusterShard[];
}

/** The replies to a batch and the log ticket that must be durable before they are sent. */
export interface HandledBatch {
  replies: OutgoingReply[];
  ticket: number;
}

/** Counts of what an engine handled, read by the metrics at each scrape. */
export interface EngineCounts {
  /** Requests applied or refused, by command name. */
  readonly commands: Map<string, number>;
  /** Error replies, by catalogue code (malformed requests included). */
  readonly errors: Map<string, number>;
  /** Request messages (batches) handled: commands per message is what the hop's batching buys. */
  messages: number;
}

/** O(1). Adds one to `key`'s count. */
function bump(counts: Map<string, number>, key: string): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

/** Players freed per tick after a board emptied at once (about 6 ms of map deletions). */
const DRAIN_PER_TICK = 10_000;

/** Applies request batches to the ranking state. */
export class RankingEngine {
  readonly state: RankingState;
  private readonly journal: Journal;
  private readonly log: Logger;
  private readonly onBoardChange: ((board: string) => void) | undefined;
  private readonly standby: boolean;
  private readonly mayWrite: () => boolean;
  private closed = false;
  /** The game's board is still to be looked at (the first tick makes it if it is missing). */
  private gamePending: boolean;
  /** The wall clock (epoch ms) of the batch being handled: what deadlines are checked against. */
  private wall = 0;
  /** The records of the request being handled. */
  private changes: ChangeRecord[] = [];
  private readonly ctx: CommandContext & { now: number };
  /** What this engine has handled since it started. */
  readonly counts: EngineCounts = { commands: new Map(), errors: new Map(), messages: 0 };

  /** O(1). */
  constructor(options: EngineOptions) {
    this.state = options.state;
    this.journal = options.journal ?? memoryOnly;
    this.log = options.logger.child({ module: 'engine' });
    this.onBoardChange = options.onBoardChange;
    this.gamePending = options.game ?? false;
    this.standby = options.standby ?? false;
    this.mayWrite = options.mayWrite ?? (() => true);
    const journal = this.journal;
    this.ctx = {
      now: 0,
      data: this.state.data,
      pages: this.state.pages,
      idempotency: this.state.idempotency,
      apiKeys: this.state.apiKeys,
      shard: this.state.shard,
      transfer: this.state,
      deliveries: this.state.deliveries,
      apply: (record) => {
        this.state.apply(record);
        this.changes.push(record);
      },
      compactSoon: () => journal.compactSoon(),
      storageStalled: () => {
        const err = journal.stalled as NodeJS.ErrnoException | undefined;
        return err && (err.code ?? err.message);
      },
      digest: () => this.state.digest(),
      cluster: options.cluster ?? (() => [{ shard: this.state.shard.shard, epoch: 0, members: [] }]),
    };
  }

  /**
   * O(1) while nothing is due. Sets the engine's clock to `now` and ends every period whose end has
   * come, logging each end — before any request of a batch, and once a second by the server so
   * periods end without traffic too. On a fresh data folder it also records the default board's
   * creation. A clock that steps back is held at its latest reading until it catches up, so no
   * period reopens and results never go back in time.
   */
  tick(now: number): void {
    const at = Math.max(this.ctx.now, now);
    this.ctx.now = at;
    const { data, shard } = this.state;
    // A standby's periods end by its primary's records; a fenced primary's wait for its lease.
    if (this.standby || !this.mayWrite()) {
      data.players.drain(DRAIN_PER_TICK);
      return;
    }
    if (!data.established) {
      const created = {
        config: data.defaultBoard.config,
        created: at,
        period: { id: 1, start: at, end: null },
      };
      this.applyAndLog(boardRecordOf(DEFAULT_BOARD, created, at));
    }
    if (!shard.placed) {
      // A fresh data folder (or one from before shard maps): the map it starts with is kept, so a
      // later change of SHARDS moves no board until a reshard does.
      this.applyAndLog({ type: RecordType.ShardMap, at, map: shard.map });
    }
    if (this.gamePending) {
      this.gamePending = false;
      const { id, config } = GAME_BOARD;
      if (shard.owner(id) === shard.shard && !data.find(id)) {
        this.applyAndLog(boardRecordOf(id, data.planPut(id, config, at), at));
      }
    }
    for (const close of data.dueCloses(at)) {
      this.applyAndLog({ type: RecordType.Period, at: close.at, board: close.board, ...close.next });
    }
    data.players.drain(DRAIN_PER_TICK);
  }

  /** O(what the record changes). A change of the engine's own (not a request's): applied, logged alone. */
  private applyAndLog(record: ChangeRecord): void {
    this.state.apply(record);
    this.journal.append(record);
  }

  /** O(1). Whether this engine applies writes now: a primary, within its lease, with a log that takes them. */
  get writable(): boolean {
    return !this.closed && !this.standby && this.mayWrite() && !this.journal.stalled;
  }

  /** O(1). From now on every request is refused with RANKING_SHUTTING_DOWN. */
  close(): void {
    this.closed = true;
  }

  /**
   * O(Σ cost of the commands). Applies `batch` in order at clock reading `now` (epoch ms); answers
   * a reply per request, in order, and the ticket to wait for (0 when memory-only). Requests'
   * deadlines are the callers' wall-clock instants, compared with `wall` (`now` unless a test's
   * clock stands apart from the wall). Never throws.
   */
  handle(batch: readonly DecodedRequest[], now: number, wall = now): HandledBatch {
    this.tick(now);
    this.wall = wall;
    this.counts.messages++;
    const replies: OutgoingReply[] = [];
    for (const decoded of batch) {
      if (!decoded.ok) {
        bump(this.counts.errors, decoded.reply.error.code);
        if (decoded.reply.error.code === ErrorCode.PROTOCOL_MALFORMED) {
          this.log.warn({ error: decoded.reply.error }, 'malformed request');
        }
        replies.push(decoded.reply);
        continue;
      }
      const reply = this.apply(decoded.request);
      bump(this.counts.commands, decoded.request.cmd);
      if (!reply.ok) bump(this.counts.errors, reply.error.code);
      replies.push(reply);
    }
    return { replies, ticket: this.journal.appendedTicket };
  }

  private apply(req: AnyRequest): OutgoingReply {
    const now = this.ctx.now;
    if (this.closed) return errorReply(req.id, ErrorCode.RANKING_SHUTTING_DOWN);
    if (req.deadline !== undefined && req.deadline < this.wall) {
      this.log.debug({ rid: req.rid, cmd: req.cmd }, 'refused an expired request');
      return errorReply(req.id, ErrorCode.RANKING_DEADLINE_EXCEEDED);
    }
    if ((this.standby || !this.mayWrite()) && !commandTable[req.cmd].reads)
      return errorReply(req.id, ErrorCode.NOT_PRIMARY);
    if (this.journal.stalled && !commandTable[req.cmd].reads) {
      // Nothing is applied that could not be logged: the write is refused whole, reads go on.
      return errorReply(req.id, ErrorCode.STORAGE_UNAVAILABLE, undefined, RETRY_AFTER_SECONDS);
    }
    this.changes = [];
    try {
      const route = shardRoute(req.cmd, req.args);
      if (route.to === 'board') {
        this.state.shard.admit(req.cmd, route.board, this.state.data.find(route.board) !== undefined);
      }
      let fingerprint: string | undefined;
      if (req.key !== undefined) {
        fingerprint = fingerprintOf(req.cmd, req.args);
        const seen = this.state.idempotency.get(req.key, now);
        if (seen) {
          if (seen.fingerprint !== fingerprint) throw new ScoreboardError(ErrorCode.IDEMPOTENCY_KEY_REUSED);
          return { id: req.id, ok: true, json: seen.answer };
        }
      }
      // The codec checked `args` against this command's schema: the handler gets what it expects.
      const handler = handlers[req.cmd] as (args: unknown, ctx: CommandContext) => unknown;
      const result = handler(req.args, this.ctx);
      const json = Buffer.isBuffer(result) ? result : JSON.stringify(result);
      if (req.key !== undefined) {
        const key: KeyAnswer = { key: req.key, fingerprint: fingerprint!, answer: json.toString() };
        // What the log's BATCH record does with its key on replay.
        this.state.apply({ type: RecordType.Answer, at: now, key });
        this.record(now, key);
      } else {
        this.record(now, undefined);
      }
      return { id: req.id, ok: true, json };
    } catch (err) {
      if (err instanceof ScoreboardError) return errorReply(req.id, err.code, err.message, err.retryAfter);
      this.log.error({ err, rid: req.rid, cmd: req.cmd }, 'command failed');
      return errorReply(req.id, ErrorCode.INTERNAL);
    } finally {
      this.changes = [];
    }
  }

  /** O(records). Logs the request's changes as one record (a key is logged even with no change). */
  private record(at: number, key: KeyAnswer | undefined): void {
    const changes = this.changes;
    if (this.onBoardChange) {
      for (const change of changes) {
        if ('board' in change) this.onBoardChange(change.board);
        else if ('boards' in change) for (const board of change.boards) this.onBoardChange(board);
      }
    }
    if (key) {
      this.journal.append({ type: RecordType.Batch, at, key, records: changes });
    } else if (changes.length === 1) {
      this.journal.append(changes[0]!);
    } else if (changes.length > 1) {
      this.journal.append({ type: RecordType.Batch, at, records: changes });
    }
  }
}
