/**
 * The ranking engine: applies a batch of decoded requests, in order, to the ranking state, and
 * answers one reply per request plus the log position (ticket) the replies must wait for. It knows
 * nothing of sockets and is synchronous, so it is tested without ZeroMQ and cannot interleave.
 *
 * What it owns, per request, before and after the command's handler runs:
 * - admission: once closed it refuses (RANKING_SHUTTING_DOWN); a request whose deadline has passed
 *   is refused, not applied — its client already answered 503;
 * - idempotency (the codec admits keys on writes only): a write with a key seen before answers the first result, unapplied; the same key
 *   with another request is refused; a new key is remembered with the write's result, and the
 *   handler logs it with the write;
 * - dispatch: the handler comes from the table (commands/), typed by every command name;
 * - errors: a ScoreboardError becomes its catalogue code; anything else is logged and answered as
 *   an internal error, so one bad command cannot take down a batch.
 * The page cache and the journal are reached through the handlers' context.
 */
import {
  ErrorCode,
  ScoreboardError,
  errorReply,
  type AnyRequest,
  type DecodedRequest,
  type Entry,
  type OutgoingReply,
} from '@scoreboard/protocol';
import type { Logger } from 'pino';
import { handlers } from '../commands/index.js';
import type { KeyRef } from '../persistence/records.js';
import { memoryOnly, type CommandContext, type Journal } from './handler.js';
import type { RankingState } from './state.js';

/** What an engine needs. */
export interface EngineOptions {
  state: RankingState;
  /** Where writes are logged; memory only without one. */
  journal?: Journal;
  logger: Logger;
}

/** The replies to a batch and the log ticket that must be durable before they are sent. */
export interface HandledBatch {
  replies: OutgoingReply[];
  ticket: number;
}

/** Applies request batches to the ranking state. */
export class RankingEngine {
  readonly state: RankingState;
  private readonly journal: Journal;
  private readonly log: Logger;
  private closed = false;

  /** O(1). */
  constructor(options: EngineOptions) {
    this.state = options.state;
    this.journal = options.journal ?? memoryOnly;
    this.log = options.logger.child({ module: 'engine' });
  }

  /** O(1). From now on every request is refused with RANKING_SHUTTING_DOWN. */
  close(): void {
    this.closed = true;
  }

  /**
   * O(Σ cost of the commands). Applies `batch` in order at clock reading `now` (epoch ms); answers
   * a reply per request, in order, and the ticket to wait for (0 when memory-only). Never throws.
   */
  handle(batch: readonly DecodedRequest[], now: number): HandledBatch {
    const ctx: CommandContext = { now, state: this.state, journal: this.journal, key: undefined };
    const replies: OutgoingReply[] = [];
    for (const decoded of batch) {
      if (!decoded.ok) {
        this.log.warn({ error: decoded.reply.error }, 'malformed request');
        replies.push(decoded.reply);
        continue;
      }
      replies.push(this.apply(decoded.request, ctx));
    }
    return { replies, ticket: this.journal.appendedTicket };
  }

  private apply(req: AnyRequest, ctx: CommandContext): OutgoingReply {
    if (this.closed) return errorReply(req.id, ErrorCode.RANKING_SHUTTING_DOWN);
    if (req.deadline !== undefined && req.deadline < ctx.now) {
      this.log.debug({ rid: req.rid, cmd: req.cmd }, 'refused an expired request');
      return errorReply(req.id, ErrorCode.RANKING_DEADLINE_EXCEEDED);
    }
    try {
      let keyRef: KeyRef | undefined;
      if (req.key !== undefined) {
        keyRef = { key: req.key, fingerprint: `${req.cmd}:${JSON.stringify(req.args)}` };
        const seen = this.state.keys.get(keyRef.key, ctx.now);
        if (seen) {
          if (seen.fingerprint !== keyRef.fingerprint)
            throw new ScoreboardError(ErrorCode.IDEMPOTENCY_KEY_REUSED);
          return { id: req.id, ok: true, json: JSON.stringify(seen.result) };
        }
      }
      ctx.key = keyRef;
      // The codec checked `args` against this command's schema: the handler gets what it expects.
      const handler = handlers[req.cmd] as (args: unknown, ctx: CommandContext) => unknown;
      const result = handler(req.args, ctx);
      if (Buffer.isBuffer(result)) return { id: req.id, ok: true, json: result };
      if (keyRef) this.state.keys.remember(keyRef, result as Entry, ctx.now);
      return { id: req.id, ok: true, json: JSON.stringify(result) };
    } catch (err) {
      if (err instanceof ScoreboardError) return errorReply(req.id, err.code, err.message);
      this.log.error({ err, rid: req.rid, cmd: req.cmd }, 'command failed');
      return errorReply(req.id, ErrorCode.INTERNAL);
    }
  }
}
