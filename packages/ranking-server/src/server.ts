/**
 * The ranking server: one ZeroMQ ROUTER socket in front of one {@link Leaderboard}.
 *
 * Each message from a client DEALER is a batch of requests; the server applies them one at a time
 * in arrival order (Node runs one callback at a time, so there are no races to lock against) and
 * answers the whole batch in one reply message. Results leave as JSON text, so a client can pass
 * them on as HTTP bodies; a top page is serialised once and its bytes reused until an entry within
 * it changes.
 *
 * Rules that make a write happen exactly once:
 * - a request whose deadline has passed is refused, not applied: its client already answered 503;
 * - a write with an idempotency key that was seen before answers the first result, unapplied;
 * - with a store, every applied write is logged, and no reply leaves — not even a read that saw
 *   the write — before the log holds it durably under the fsync policy (group commit: the writes
 *   of many messages share one fsync);
 * - on stop, requests that arrive are refused (RANKING_SHUTTING_DOWN), everything applied is
 *   flushed and answered, then the socket closes.
 */
import {
  Command,
  ErrorCode,
  ScoreboardError,
  decodeRequests,
  encodeReplies,
  errorReply,
  type AnyRequest,
  type Entry,
  type OutgoingReply,
} from '@scoreboard/protocol';
import type { Logger } from 'pino';
import { Router } from 'zeromq';
import { Leaderboard } from './leaderboard.js';
import { IdempotencyStore } from './persistence/idempotency.js';
import type { DurableStore } from './persistence/store.js';
import { SendQueue } from './send-queue.js';

/** What a ranking server needs to start. */
export interface RankingServerOptions {
  /** ZeroMQ endpoint to bind, e.g. tcp://127.0.0.1:5555. */
  endpoint: string;
  logger: Logger;
  /** The board to serve; a new empty one by default. */
  board?: Leaderboard;
  /** Idempotency keys; a new empty store by default. */
  keys?: IdempotencyStore;
  /** Persistence; without it the board lives in memory only. */
  store?: DurableStore;
}

interface HeldReply {
  identity: Buffer;
  frame: Buffer;
  ticket: number;
}

/** Most distinct top-page sizes kept serialised at once (each at most MAX_PAGE entries). */
const TOP_PAGES_KEPT = 32;

/** A ROUTER socket serving one leaderboard, with an explicit start/stop lifecycle. */
export class RankingServer {
  readonly board: Leaderboard;
  readonly keys: IdempotencyStore;
  private store: DurableStore | undefined;
  private readonly log: Logger;
  private router: Router | undefined;
  private sender: SendQueue | undefined;
  private loop: Promise<void> | undefined;
  private boundEndpoint: string | undefined;
  private stopping = false;
  /** Replies waiting for the log to make their writes durable, in ticket order. */
  private held: HeldReply[] = [];
  /** Serialised top pages by size, valid while the board's topVersion is `topPagesVersion`. */
  private readonly topPages = new Map<number, Buffer>();
  private topPagesVersion = -1;

  /** O(1). Nothing is bound until `start()`. */
  constructor(private readonly options: RankingServerOptions) {
    this.board = options.board ?? new Leaderboard();
    this.keys = options.keys ?? new IdempotencyStore();
    this.store = options.store;
    this.log = options.logger.child({ module: 'ranking-server' });
  }

  /** O(1). The endpoint actually bound (a `*` port resolved), once started. */
  get endpoint(): string {
    if (!this.boundEndpoint) throw new Error('not started');
    return this.boundEndpoint;
  }

  /** O(1). Attaches the store (before `start()`), e.g. once it has loaded into `board`. */
  attachStore(store: DurableStore): void {
    this.store = store;
  }

  /** O(held). Sends every held reply whose writes are now durable. Called by the store. */
  releaseDurable(ticket: number): void {
    let i = 0;
    while (i < this.held.length && this.held[i]!.ticket <= ticket) {
      const h = this.held[i++]!;
      this.sender?.push(h.identity, h.frame);
    }
    if (i > 0) this.held = this.held.slice(i);
  }

  /** Binds the ROUTER and starts the receive loop; rejects when the endpoint cannot be bound. */
  async start(): Promise<void> {
    if (this.router) throw new Error('already started');
    const router = new Router({
      // Fail loudly on replies to peers that went away instead of dropping them silently.
      mandatory: true,
      // Never block on one slow peer: a reply that cannot be queued is dropped and logged, and
      // that client times out its request.
      sendTimeout: 0,
      linger: 2000,
      sendHighWaterMark: 10_000,
      receiveHighWaterMark: 10_000,
    });
    await router.bind(this.options.endpoint);
    this.router = router;
    this.sender = new SendQueue(router, this.log);
    this.boundEndpoint = router.lastEndpoint ?? this.options.endpoint;
    this.stopping = false;
    this.loop = this.receiveLoop(router);
    this.log.info({ endpoint: this.boundEndpoint }, 'ranking server listening');
  }

  /**
   * Refuses new requests, makes every applied write durable and answered, then closes the socket
   * and the store. Idempotent.
   */
  async stop(): Promise<void> {
    const router = this.router;
    if (!router) return;
    this.stopping = true;
    if (this.store) {
      await this.store.flush();
      this.releaseDurable(this.store.durable);
    }
    await this.sender?.drained();
    this.router = undefined;
    router.close();
    await this.loop;
    await this.store?.close();
    this.log.info('ranking server stopped');
  }

  /**
   * O(batch · log n). Applies one request frame; answers the reply frame and the log ticket that
   * must be durable before it is sent (0 without a store). Never throws.
   */
  handle(frame: Uint8Array): { reply: Buffer; ticket: number } {
    const now = Date.now();
    const replies: OutgoingReply[] = [];
    for (const decoded of decodeRequests(frame)) {
      if (!decoded.ok) {
        this.log.warn({ error: decoded.reply.error }, 'malformed request');
        replies.push(decoded.reply);
        continue;
      }
      const req = decoded.request;
      if (this.stopping) {
        replies.push(errorReply(req.id, ErrorCode.RANKING_SHUTTING_DOWN));
        continue;
      }
      if (req.deadline !== undefined && req.deadline < now) {
        this.log.debug({ rid: req.rid, cmd: req.cmd }, 'refused an expired request');
        replies.push(errorReply(req.id, ErrorCode.RANKING_DEADLINE_EXCEEDED));
        continue;
      }
      try {
        replies.push({ id: req.id, ok: true, json: this.apply(req, now) });
      } catch (err) {
        if (err instanceof ScoreboardError) {
          replies.push(errorReply(req.id, err.code, err.message));
        } else {
          this.log.error({ err, rid: req.rid, cmd: req.cmd }, 'command failed');
          replies.push(errorReply(req.id, ErrorCode.INTERNAL));
        }
      }
    }
    return { reply: encodeReplies(replies), ticket: this.store?.appendedTicket ?? 0 };
  }

  /** O(log n + page). Applies one valid request to the board; answers its result as JSON. */
  private apply(req: AnyRequest, now: number): string | Buffer {
    const board = this.board;
    switch (req.cmd) {
      case Command.SetTotal:
        return JSON.stringify(this.write(req, now, () => board.setTotal(req.args.user, req.args.total)));
      case Command.AddScore:
        return JSON.stringify(this.write(req, now, () => board.addScore(req.args.user, req.args.delta)));
      case Command.Top:
        return this.topPage(req.args.n);
      case Command.Around:
        return JSON.stringify(board.around(req.args.position, req.args.scope));
      case Command.GetUser: {
        const entry = board.get(req.args.user);
        if (!entry) throw new ScoreboardError(ErrorCode.USER_NOT_FOUND);
        return JSON.stringify(entry);
      }
      case Command.Reset: {
        const removed = board.reset();
        this.store?.recordReset(now);
        return JSON.stringify({ removed });
      }
      case Command.Ping:
        return JSON.stringify({ status: 'ok', users: board.size });
    }
  }

  /**
   * O(1) while no entry within the first n changed since the page was rendered, else
   * O(log n + n) to render it again. Answers the JSON bytes of the top n.
   */
  private topPage(n: number): Buffer {
    const board = this.board;
    if (this.topPagesVersion !== board.topVersion) {
      this.topPages.clear();
      this.topPagesVersion = board.topVersion;
    }
    let page = this.topPages.get(n);
    if (page === undefined) {
      if (this.topPages.size >= TOP_PAGES_KEPT) this.topPages.clear();
      page = Buffer.from(JSON.stringify(board.top(n)));
      board.watchTop(n);
      // watchTop never changes topVersion: the page stays keyed to the version read above.
      this.topPages.set(n, page);
    }
    return page;
  }

  /** O(log n). A write: answered from its idempotency key if seen, else applied and logged. */
  private write(req: AnyRequest, now: number, applyIt: () => Entry): Entry {
    const keyRef =
      req.key === undefined
        ? undefined
        : { key: req.key, fingerprint: `${req.cmd}:${JSON.stringify(req.args)}` };
    if (keyRef) {
      const seen = this.keys.get(keyRef.key, now);
      if (seen) {
        if (seen.fingerprint !== keyRef.fingerprint)
          throw new ScoreboardError(ErrorCode.IDEMPOTENCY_KEY_REUSED);
        return seen.result;
      }
    }
    const result = applyIt();
    if (keyRef) this.keys.remember(keyRef, result, now);
    if (this.store) {
      const state = this.board.stateOf(result.user)!;
      this.store.recordSet(result.user, state.total, state.seq, keyRef, now);
    }
    return result;
  }

  private async receiveLoop(router: Router): Promise<void> {
    try {
      for await (const [identity, frame, ...extra] of router) {
        if (!identity) continue;
        if (frame === undefined || extra.length > 0) {
          this.sender!.push(
            identity,
            encodeReplies([errorReply(null, ErrorCode.PROTOCOL_MALFORMED, 'Expected one frame.')]),
          );
          continue;
        }
        const { reply, ticket } = this.handle(frame);
        const store = this.store;
        if (store?.error) {
          // The log cannot be written: nothing more may be acknowledged. Exit and let the
          // supervisor restart us from what is durable.
          this.log.fatal({ err: store.error }, 'the append-only log failed; exiting');
          process.exit(1);
        }
        if (!store || ticket <= store.durable) this.sender!.push(identity, reply);
        else this.held.push({ identity, frame: reply, ticket });
      }
    } catch (err) {
      if (!router.closed) this.log.error({ err }, 'receive loop failed');
    }
  }
}
