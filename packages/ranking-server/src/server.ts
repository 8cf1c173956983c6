/**
 * The ranking server: one ZeroMQ ROUTER socket in front of one {@link Leaderboard}.
 *
 * Each message from a client DEALER is a batch of requests; the server applies them one at a time
 * in arrival order (Node runs one callback at a time, so there are no races to lock against) and
 * answers the whole batch in one reply message. A request whose deadline has passed is refused,
 * not applied: its client has already answered 503, so applying it would surprise the user.
 */
import {
  Command,
  ErrorCode,
  ScoreboardError,
  decodeRequests,
  encodeBatch,
  errorReply,
  type AnyRequest,
  type CommandName,
  type ResultOf,
  type Reply,
} from '@scoreboard/protocol';
import type { Logger } from 'pino';
import { Router } from 'zeromq';
import { Leaderboard } from './leaderboard.js';

/** What a ranking server needs to start. */
export interface RankingServerOptions {
  /** ZeroMQ endpoint to bind, e.g. tcp://127.0.0.1:5555. */
  endpoint: string;
  logger: Logger;
  /** The board to serve; a new empty one by default. */
  board?: Leaderboard;
}

/** A ROUTER socket serving one leaderboard, with an explicit start/stop lifecycle. */
export class RankingServer {
  readonly board: Leaderboard;
  private readonly log: Logger;
  private router: Router | undefined;
  private loop: Promise<void> | undefined;
  private boundEndpoint: string | undefined;

  /** O(1). Nothing is bound until `start()`. */
  constructor(private readonly options: RankingServerOptions) {
    this.board = options.board ?? new Leaderboard();
    this.log = options.logger.child({ module: 'ranking-server' });
  }

  /** O(1). The endpoint actually bound (a `*` port resolved), once started. */
  get endpoint(): string {
    if (!this.boundEndpoint) throw new Error('not started');
    return this.boundEndpoint;
  }

  /** Binds the ROUTER and starts the receive loop; rejects when the endpoint cannot be bound. */
  async start(): Promise<void> {
    if (this.router) throw new Error('already started');
    const router = new Router({
      // Fail loudly on replies to peers that went away instead of dropping them silently.
      mandatory: true,
      // Never block the single loop on one slow peer: a reply that cannot be queued is dropped
      // and logged, and that client times out its requests.
      sendTimeout: 0,
      linger: 1000,
      sendHighWaterMark: 10_000,
      receiveHighWaterMark: 10_000,
    });
    await router.bind(this.options.endpoint);
    this.router = router;
    this.boundEndpoint = router.lastEndpoint ?? this.options.endpoint;
    this.loop = this.receiveLoop(router);
    this.log.info({ endpoint: this.boundEndpoint }, 'ranking server listening');
  }

  /** Stops receiving, lets queued replies flush (linger) and closes the socket. Idempotent. */
  async stop(): Promise<void> {
    const router = this.router;
    if (!router) return;
    this.router = undefined;
    router.close();
    await this.loop;
    this.log.info('ranking server stopped');
  }

  /**
   * O(batch · log n). Applies one request frame and answers the reply frame. Never throws: bad
   * envelopes and failing commands become error replies.
   */
  handle(frame: Uint8Array): Buffer {
    const now = Date.now();
    const replies: Reply[] = [];
    for (const decoded of decodeRequests(frame)) {
      if (!decoded.ok) {
        this.log.warn({ error: decoded.reply.error }, 'malformed request');
        replies.push(decoded.reply);
        continue;
      }
      const req = decoded.request;
      if (req.deadline !== undefined && req.deadline < now) {
        this.log.debug({ rid: req.rid, cmd: req.cmd }, 'refused an expired request');
        replies.push(errorReply(req.id, ErrorCode.RANKING_DEADLINE_EXCEEDED));
        continue;
      }
      try {
        replies.push({ id: req.id, ok: true, result: this.apply(req) });
      } catch (err) {
        if (err instanceof ScoreboardError) {
          replies.push(errorReply(req.id, err.code, err.message));
        } else {
          this.log.error({ err, rid: req.rid, cmd: req.cmd }, 'command failed');
          replies.push(errorReply(req.id, ErrorCode.INTERNAL));
        }
      }
    }
    return encodeBatch(replies);
  }

  /** O(log n + page). Applies one valid request to the board. */
  private apply(req: AnyRequest): ResultOf<CommandName> {
    const board = this.board;
    switch (req.cmd) {
      case Command.SetTotal:
        return board.setTotal(req.args.user, req.args.total);
      case Command.AddScore:
        return board.addScore(req.args.user, req.args.delta);
      case Command.Top:
        return board.top(req.args.n);
      case Command.Around:
        return board.around(req.args.position, req.args.scope);
      case Command.GetUser: {
        const entry = board.get(req.args.user);
        if (!entry) throw new ScoreboardError(ErrorCode.USER_NOT_FOUND);
        return entry;
      }
      case Command.Reset:
        return { removed: board.reset() };
      case Command.Ping:
        return { status: 'ok', users: board.size };
    }
  }

  private async receiveLoop(router: Router): Promise<void> {
    try {
      for await (const [identity, frame, ...extra] of router) {
        if (!identity) continue;
        const reply =
          frame === undefined || extra.length > 0
            ? encodeBatch([errorReply(null, ErrorCode.PROTOCOL_MALFORMED, 'Expected one frame.')])
            : this.handle(frame);
        try {
          await router.send([identity, reply]);
        } catch (err) {
          // The peer is gone (EHOSTUNREACH) or its queue is full (EAGAIN); it will time out.
          this.log.warn({ err }, 'could not deliver a reply');
        }
      }
    } catch (err) {
      if (!router.closed) this.log.error({ err }, 'receive loop failed');
    }
  }
}
