/**
 * The ranking server's socket loop: one ZeroMQ ROUTER socket in front of a {@link RankingEngine}.
 *
 * Each message from a client DEALER is a batch of requests. The loop decodes it, hands it to the
 * engine (which applies it in arrival order — Node runs one callback at a time, so there are no
 * races to lock against) and encodes the replies into one reply frame. Then the durable-reply gate:
 * a reply frame leaves only once the log holds every record appended up to its batch durably under
 * the fsync policy — not even a read that saw a write is answered before the write is durable.
 * Held frames are released in order as the store reports progress (group commit: the writes of
 * many messages share one fsync). While the log is stalled (a full disk), writes are refused by the
 * engine and a batch that wrote nothing is answered at once, so reads go on.
 *
 * On stop, the engine refuses what arrives (RANKING_SHUTTING_DOWN), everything applied is flushed
 * and answered, then the socket closes.
 */
import { ErrorCode, decodeRequests, encodeReplies, errorReply } from '@scoreboard/protocol';
import type { Logger } from 'pino';
import { Router } from 'zeromq';
import type { RankingEngine } from './engine/engine.js';
import type { DurableStore } from './persistence/store.js';
import { SendQueue } from '@scoreboard/lifecycle';

/** What a ranking server needs to start. */
export interface RankingServerOptions {
  /** ZeroMQ endpoint to bind, e.g. tcp://127.0.0.1:5555. */
  endpoint: string;
  engine: RankingEngine;
  /** The durability gate; without one, replies leave at once (memory only). */
  store?: DurableStore;
  logger: Logger;
  /** The clock requests are handled at (epoch ms). */
  clock?: () => number;
}

/** Whether this server may acknowledge writes now (an elected primary: its lease is good). */
export type Fence = () => boolean;

interface HeldReply {
  identity: Buffer;
  frame: Buffer;
  ticket: number;
  /** The batch appended a record (else it only read, and may leave while the log is stalled). */
  wrote: boolean;
}

/** A ROUTER socket serving an engine, with an explicit start/stop lifecycle. */
export class RankingServer {
  private readonly log: Logger;
  private readonly clock: () => number;
  private router: Router | undefined;
  private sender: SendQueue<[Buffer, Buffer]> | undefined;
  private loop: Promise<void> | undefined;
  private boundEndpoint: string | undefined;
  /** Replies waiting for the log to make their writes durable, in ticket order. */
  private held: HeldReply[] = [];
  /** Ends periods once a second when no request does. */
  private ticker: NodeJS.Timeout | undefined;
  private engine: RankingEngine;
  private store: DurableStore | undefined;
  private fence: Fence | undefined;
  /** The last ticket held by enough standbys (REPLICATION=sync); Infinity when none must hold it. */
  private replicated: () => number = () => Infinity;

  /** O(1). Nothing is bound until `start()`. */
  constructor(private readonly options: RankingServerOptions) {
    this.log = options.logger.child({ module: 'ranking-server' });
    this.clock = options.clock ?? Date.now;
    this.engine = options.engine;
    if (options.store) this.useStore(options.store);
  }

  /**
   * O(1). From now on replies wait for `store` to make their writes durable (a standby promoted
   * to primary: its follower wrote the log until now); with `fence`, for the fence to allow
   * acknowledging (a primary whose lease may have lapsed holds every reply of a write); with
   * `replicated`, for their tickets to be held by a standby (REPLICATION=sync).
   */
  useStore(store: DurableStore, fence?: Fence, replicated?: () => number): void {
    this.store = store;
    this.fence = fence;
    this.replicated = replicated ?? (() => Infinity);
    store.onDurable((ticket) => {
      if (this.store === store) this.release(ticket);
    });
    store.onStall((err) => {
      if (err && this.store === store) this.releaseReads();
    });
  }

  /** O(held). The fence allows acknowledging again, or a standby holds more: what may leave, leaves. */
  releaseDurable(): void {
    if (this.store) this.release(this.store.durable);
  }

  /** O(1). The last ticket whose replies may leave: durable here, and on a standby when that is required. */
  private get acknowledgeable(): number {
    return this.store ? Math.min(this.store.durable, this.replicated()) : Infinity;
  }

  /** O(1). Whether writes may be acknowledged now. */
  private get acknowledging(): boolean {
    return this.fence === undefined || this.fence();
  }

  /**
   * O(1). From now on requests go to `engine` (a standby's, rebuilt from a snapshot its primary
   * sent, or a promoted standby's primary engine).
   */
  useEngine(engine: RankingEngine): void {
    this.engine = engine;
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
      // Never block on one slow peer: a reply that cannot be queued is dropped and logged, and
      // that client times out its request.
      sendTimeout: 0,
      linger: 2000,
      sendHighWaterMark: 10_000,
      receiveHighWaterMark: 10_000,
    });
    await router.bind(this.options.endpoint);
    this.router = router;
    this.sender = new SendQueue<[Buffer, Buffer]>({
      send: (message) => router.send(message),
      closed: () => router.closed,
      // The peer is gone (EHOSTUNREACH: a client that stopped, or moved to a new primary) or its
      // queue is full (EAGAIN): its request times out. A peer gone is routine; a full queue is not.
      onError: (err) =>
        (err as { code?: string }).code === 'EHOSTUNREACH'
          ? this.log.debug({ err }, 'could not deliver a reply: the client is gone')
          : this.log.warn({ err }, 'could not deliver a reply'),
    });
    this.boundEndpoint = router.lastEndpoint ?? this.options.endpoint;
    this.loop = this.receiveLoop(router);
    // Periods that ended while the server was down end now, before the first request; then every
    // second, so a board's period ends on time even when nobody writes to it.
    this.engine.tick(this.clock());
    this.ticker = setInterval(() => this.engine.tick(this.clock()), 1000);
    this.ticker.unref();
    this.log.info({ endpoint: this.boundEndpoint }, 'ranking server listening');
  }

  /**
   * Refuses new requests, makes every applied write durable and answered, then closes the socket.
   * Idempotent. The store stays open (its owner closes it).
   */
  async stop(): Promise<void> {
    const router = this.router;
    if (!router) return;
    clearInterval(this.ticker);
    this.engine.close();
    const store = this.store;
    if (store) {
      try {
        await store.flush();
      } catch (err) {
        // The log is stalled: what it holds was never acknowledged, and its replies never leave.
        this.log.error({ err, unanswered: this.held.length }, 'stopping with writes the log could not take');
      }
      this.release(store.durable);
    }
    await this.sender?.drained();
    this.router = undefined;
    router.close();
    await this.loop;
    this.log.info('ranking server stopped');
  }

  /**
   * O(batch · cost of its commands). Decodes one request frame, applies it and answers the reply
   * frame with the log ticket that must be durable before it is sent. Never throws.
   */
  handleFrame(frame: Uint8Array): { reply: Buffer; ticket: number } {
    const { replies, ticket } = this.engine.handle(decodeRequests(frame), this.clock(), Date.now());
    return { reply: encodeReplies(replies), ticket };
  }

  /** O(released). Sends every held reply whose writes are now durable (unless fenced). */
  private release(durable: number): void {
    if (!this.acknowledging) return;
    const ticket = Math.min(durable, this.replicated());
    let i = 0;
    while (i < this.held.length && this.held[i]!.ticket <= ticket) {
      const h = this.held[i++]!;
      this.sender?.push([h.identity, h.frame]);
    }
    if (i > 0) this.held = this.held.slice(i);
  }

  /**
   * O(held). While the log is stalled, the replies of batches that wrote nothing leave at once:
   * reads go on from memory. (They may show the writes of the group the log failed to take; those
   * stay unacknowledged until a retry logs them — see the README's "When the disk is full".)
   */
  private releaseReads(): void {
    const kept: HeldReply[] = [];
    for (const h of this.held) {
      if (h.wrote) kept.push(h);
      else this.sender?.push([h.identity, h.frame]);
    }
    this.held = kept;
  }

  private async receiveLoop(router: Router): Promise<void> {
    try {
      for await (const [identity, frame, ...extra] of router) {
        if (!identity) continue;
        if (frame === undefined || extra.length > 0) {
          this.sender!.push([
            identity,
            encodeReplies([errorReply(null, ErrorCode.PROTOCOL_MALFORMED, 'Expected one frame.')]),
          ]);
          continue;
        }
        const store = this.store;
        const before = store?.appendedTicket ?? 0;
        const { reply, ticket } = this.handleFrame(frame);
        const wrote = ticket > before;
        const acknowledging = this.acknowledging;
        if (
          !store ||
          (ticket <= this.acknowledgeable && acknowledging) ||
          (!wrote && (store.stalled || !acknowledging))
        )
          this.sender!.push([identity, reply]);
        else this.held.push({ identity, frame: reply, ticket, wrote });
      }
    } catch (err) {
      if (!router.closed) this.log.error({ err }, 'receive loop failed');
    }
  }
}
