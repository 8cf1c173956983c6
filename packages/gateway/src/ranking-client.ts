/**
 * The client side of the ZeroMQ hop: one DEALER socket per ranking server (per shard) and process,
 * shared by every HTTP request (shards/sharded-ranking.ts routes each command to one of them).
 *
 * `call()` puts a request in an outbox and schedules a flush; everything queued in the same turn of
 * the event loop (and while a send is in flight) goes out as one batch message, so the hop costs
 * one message per batch, not per request. Replies are matched to pending requests by correlation
 * id. A request not answered within its timeout is failed with RANKING_UNAVAILABLE (503) and its
 * deadline travels with it, so the server refuses it if it arrives late: a 503 is never applied.
 */
import {
  Command,
  ErrorCode,
  ScoreboardError,
  decodeRawReplies,
  encodeRequests,
  parseResult,
  type ArgsOf,
  type CommandName,
  type RawResult,
  type Request,
  type ResultOf,
} from '@scoreboard/protocol';
import type { Logger } from 'pino';
import { SendQueue } from '@scoreboard/lifecycle';
import { Dealer } from 'zeromq';

/** O(1). The error a failed reply carries, with its Retry-After when it has one. */
function errorOf(e: { code: ErrorCode; message: string; retryAfter?: number }): ScoreboardError {
  return new ScoreboardError(
    e.code,
    e.message,
    e.retryAfter === undefined ? {} : { retryAfter: e.retryAfter },
  );
}

/** What the HTTP routes need of the ranking server; tests substitute a fake. */
export interface RankingApi {
  /** Sends one command and resolves with its result, or rejects with a ScoreboardError. */
  call<C extends CommandName>(cmd: C, args: ArgsOf<C>, options?: CallOptions): Promise<ResultOf<C>>;
  /**
   * Like `call`, but resolves with the result's JSON bytes as the server wrote them: what an HTTP
   * route answers as its body, with no parse and no serialisation in this process.
   */
  callRaw<C extends CommandName>(cmd: C, args: ArgsOf<C>, options?: CallOptions): Promise<RawResult<C>>;
}

/** Per-call options. */
export interface CallOptions {
  /** The HTTP request id, carried across the hop for the logs. */
  rid?: string;
  /** A timeout other than the client's default (e.g. a short one for health checks). */
  timeoutMs?: number;
  /** Idempotency key of a write. */
  key?: string;
  /** Send even while the server is considered down (health checks probe with this). */
  probe?: boolean;
  /** The shard a move's step is for (commands the protocol routes to a named shard). */
  shard?: number;
}

/** Settings of a {@link RankingClient}. */
export interface RankingClientOptions {
  endpoint: string;
  logger: Logger;
  /** Default request timeout in ms. */
  timeoutMs: number;
  /** Most requests waiting for a reply; past it calls fail fast with RANKING_OVERLOADED. */
  maxPending?: number;
  /** Most requests in one message. */
  maxBatch?: number;
  /**
   * Most messages awaiting their reply message (default 2). While that many are out, new requests
   * wait in the outbox and leave together with the next reply: under load, batches grow instead of
   * messages multiplying; when idle, a request leaves at once.
   */
  maxMessagesInFlight?: number;
  /**
   * A message unanswered for this long (default 100 ms) stops counting against
   * `maxMessagesInFlight`: the server holds its reply (its writes wait for a log that is stalled,
   * or a slow fsync), and the requests behind it — reads above all — must not wait with it.
   */
  heldAfterMs?: number;
}

interface Pending {
  resolve: (result: RawResult) => void;
  reject: (err: ScoreboardError) => void;
  deadline: number;
  /** Reply frames received when the call was made. */
  framesIn: number;
  timer?: NodeJS.Timeout;
}

/** A DEALER-socket client of the ranking server with batching, timeouts and back-pressure. */
export class RankingClient implements RankingApi {
  private readonly log: Logger;
  private readonly dealer: Dealer;
  private readonly pending = new Map<number, Pending>();
  private outbox: Request[] = [];
  private nextId = 1;
  /** Request batches leaving on the DEALER, one send in flight at a time. */
  private readonly sender: SendQueue<Request[]>;
  private flushScheduled = false;
  private sweeper: NodeJS.Timeout | undefined;
  private loop: Promise<void> | undefined;
  private readonly maxPending: number;
  private readonly maxBatch: number;
  private readonly maxMessages: number;
  /**
   * Send times of messages whose reply message has not come, by the id of their first request (the
   * id of their reply frame's first reply), in send order. The server may answer a later message
   * first: it holds the replies of writes until they are durable, not those of reads.
   */
  private readonly messagesOut = new Map<number, number>();
  /** Where the ranking server is (see {@link retarget}). */
  private endpoint: string;
  /** True while etcd names no primary for this shard (set by whoever watches the election). */
  electing = false;
  private readonly heldAfterMs: number;
  /** Reply frames received so far: a server that answered something since a call was made is up. */
  private framesIn = 0;
  /** Set when a request timed out; cleared by the next reply. While set, calls fail fast. */
  private downSince: number | undefined;
  private lastProbe = 0;

  /** O(1). Creates the socket; nothing connects until `start()`. */
  constructor(private readonly options: RankingClientOptions) {
    this.log = options.logger.child({ module: 'ranking-client' });
    this.maxPending = options.maxPending ?? 20_000;
    this.maxBatch = options.maxBatch ?? 1024;
    this.maxMessages = options.maxMessagesInFlight ?? 2;
    this.heldAfterMs = options.heldAfterMs ?? 100;
    this.endpoint = options.endpoint;
    this.dealer = new Dealer({
      // Queue only on a live connection: with the server down a send fails at once instead of
      // waiting in a queue to be applied after the client already answered 503.
      immediate: true,
      sendTimeout: 0,
      linger: 0,
      sendHighWaterMark: 10_000,
      receiveHighWaterMark: 10_000,
      // A server that is not up yet (still loading its data folder) is tried every 50 ms, without
      // backing off: it is reached within 50 ms of binding (start-up, restarts, failovers).
      reconnectInterval: 50,
      reconnectMaxInterval: 0,
      heartbeatInterval: 1000,
      heartbeatTimeout: 3000,
    });
    this.sender = new SendQueue<Request[]>({
      send: (batch) => this.dealer.send(encodeRequests(batch)),
      closed: () => this.dealer.closed,
      onError: (err, batch) => {
        this.messagesOut.delete(batch[0]!.id);
        // EAGAIN: no live connection or the queue is full. Nothing was sent, so fail fast.
        this.log.debug({ err, count: batch.length }, 'could not send to the ranking server');
        for (const r of batch) this.fail(r.id, ErrorCode.RANKING_UNAVAILABLE);
      },
      // Requests that arrived while a batch was being sent leave together in the next one.
      onIdle: () => this.scheduleFlush(),
    });
  }

  /**
   * O(1). The ranking server moved to `endpoint` (a failover: its shard's new primary). Requests
   * sent to the old one are not waited for as messages any more (their callers still time out:
   * they may or may not have been applied); new ones go to the new endpoint.
   */
  retarget(endpoint: string): void {
    if (endpoint === this.endpoint || this.dealer.closed) return;
    this.log.warn({ from: this.endpoint, to: endpoint }, 'the ranking server moved (a failover)');
    try {
      this.dealer.disconnect(this.endpoint);
    } catch {
      // not connected: nothing to undo
    }
    this.endpoint = endpoint;
    this.dealer.connect(endpoint);
    this.messagesOut.clear();
    this.downSince = undefined;
  }

  /** O(1). True while the ranking server is considered down (a request timed out, no reply since). */
  get isDown(): boolean {
    return this.downSince !== undefined;
  }

  /** O(1). Requests waiting for a reply (sent, or still in the outbox). */
  get inFlight(): number {
    return this.pending.size;
  }

  /** O(1). Requests in the outbox: not sent yet, waiting for a message to leave in. */
  get queued(): number {
    return this.outbox.length;
  }

  /** Connects and starts the receive loop and the timeout sweeper. */
  start(): void {
    this.dealer.connect(this.endpoint);
    this.loop = this.receiveLoop();
    const tick = Math.max(5, Math.min(50, Math.floor(this.options.timeoutMs / 20)));
    this.sweeper = setInterval(() => this.sweep(), tick);
    this.sweeper.unref();
  }

  /** Fails whatever is pending, closes the socket and waits for the receive loop. Idempotent. */
  async stop(): Promise<void> {
    if (this.dealer.closed) return;
    clearInterval(this.sweeper);
    for (const id of [...this.pending.keys()]) this.fail(id, ErrorCode.RANKING_UNAVAILABLE);
    this.outbox = [];
    this.dealer.close();
    await this.loop;
  }

  /** O(1) amortised plus O(size) to parse the result. See {@link RankingApi.call}. */
  async call<C extends CommandName>(
    cmd: C,
    args: ArgsOf<C>,
    options: CallOptions = {},
  ): Promise<ResultOf<C>> {
    return parseResult(await this.callRaw(cmd, args, options));
  }

  /** O(1) amortised. See {@link RankingApi.callRaw}. */
  callRaw<C extends CommandName>(cmd: C, args: ArgsOf<C>, options: CallOptions = {}): Promise<RawResult<C>> {
    if (this.dealer.closed) {
      return Promise.reject(new ScoreboardError(ErrorCode.RANKING_UNAVAILABLE));
    }
    if (this.pending.size >= this.maxPending) {
      return Promise.reject(new ScoreboardError(ErrorCode.RANKING_OVERLOADED));
    }
    if (this.downSince !== undefined && !options.probe) {
      // Fail fast instead of making every caller wait out the timeout; one probe at a time finds
      // out when the server is back.
      this.probeIfDue();
      return Promise.reject(new ScoreboardError(ErrorCode.RANKING_UNAVAILABLE));
    }
    const id = this.nextId++;
    const timeoutMs = options.timeoutMs ?? this.options.timeoutMs;
    const deadline = Date.now() + timeoutMs;
    const req: Request = { id, cmd, args, deadline };
    if (options.rid !== undefined) req.rid = options.rid;
    if (options.key !== undefined) req.key = options.key;
    return new Promise<RawResult<C>>((resolve, reject) => {
      // Replies are matched by id, so the bytes that resolve this entry are command C's result.
      const entry: Pending = {
        resolve: resolve as (result: RawResult) => void,
        reject,
        deadline,
        framesIn: this.framesIn,
      };
      // The sweeper relies on default-timeout entries being in deadline order; others get a timer.
      if (options.timeoutMs !== undefined) {
        entry.timer = setTimeout(() => this.fail(id, ErrorCode.RANKING_UNAVAILABLE), timeoutMs);
      }
      this.pending.set(id, entry);
      this.outbox.push(req);
      this.scheduleFlush();
    });
  }

  private scheduleFlush(): void {
    if (this.flushScheduled || !this.sender.idle || this.outbox.length === 0) return;
    this.flushScheduled = true;
    setImmediate(() => this.flush());
  }

  /** O(messages out). Messages awaiting their reply that were sent less than `heldAfterMs` ago. */
  private messagesInFlight(now: number): number {
    let n = 0;
    for (const sentAt of this.messagesOut.values()) if (now - sentAt < this.heldAfterMs) n++;
    return n;
  }

  /**
   * O(outbox). Hands the outbox to the send queue as batches of at most `maxBatch`, while fewer
   * than `maxMessagesInFlight` messages await their reply (held ones apart); the rest wait, and
   * grow, until a reply, the end of this send, or the sweeper's next look.
   */
  private flush(): void {
    this.flushScheduled = false;
    if (!this.sender.idle) return; // its end schedules the next flush
    const now = Date.now();
    while (this.outbox.length > 0 && this.messagesInFlight(now) < this.maxMessages) {
      const taken = this.outbox.length <= this.maxBatch ? this.outbox : this.outbox.slice(0, this.maxBatch);
      this.outbox = taken === this.outbox ? [] : this.outbox.slice(this.maxBatch);
      // Requests that timed out while queued were answered already; do not send them.
      const batch = taken.filter((r) => this.pending.has(r.id));
      if (batch.length === 0) continue;
      this.messagesOut.set(batch[0]!.id, now);
      this.sender.push(batch);
    }
  }

  private async receiveLoop(): Promise<void> {
    try {
      for await (const [frame] of this.dealer) {
        if (!frame) continue;
        if (this.downSince !== undefined) {
          this.log.info({ downForMs: Date.now() - this.downSince }, 'the ranking server answers again');
          this.downSince = undefined;
        }
        this.framesIn++;
        const { replies, invalid } = decodeRawReplies(frame);
        this.answered(replies[0]?.id ?? null);
        if (this.outbox.length > 0) this.scheduleFlush();
        if (invalid > 0) this.log.error({ invalid }, 'malformed replies from the ranking server');
        for (const reply of replies) {
          if (reply.id === null) {
            this.log.error({ reply }, 'the ranking server could not read a message');
            continue;
          }
          const entry = this.pending.get(reply.id);
          if (!entry) continue; // answered already (timed out)
          this.pending.delete(reply.id);
          if (entry.timer) clearTimeout(entry.timer);
          if (reply.ok) entry.resolve(reply.raw);
          else entry.reject(errorOf(reply.error));
        }
      }
    } catch (err) {
      if (!this.dealer.closed) this.log.error({ err }, 'receive loop failed');
    }
  }

  /** O(1), or O(messages out) for a frame without a first id. The message a reply frame answers. */
  private answered(firstId: number | null): void {
    if (firstId !== null && this.messagesOut.delete(firstId)) return;
    const oldest = this.messagesOut.keys().next();
    if (!oldest.done) this.messagesOut.delete(oldest.value);
  }

  /**
   * Fails default-timeout requests past their deadline (they are in deadline order), and looks at
   * the outbox again as messages become held. The server counts as down — calls fail fast — only
   * when it answered nothing at all since such a request was made: one that holds some replies
   * (writes waiting for a stalled log) while answering others is up.
   */
  private sweep(): void {
    const now = Date.now();
    // A message whose reply is overdue is lost (the server crashed or restarted): stop waiting.
    for (const [firstId, sentAt] of this.messagesOut) {
      if (now - sentAt <= this.options.timeoutMs) break;
      this.messagesOut.delete(firstId);
    }
    if (this.outbox.length > 0) this.scheduleFlush();
    for (const [id, entry] of this.pending) {
      if (entry.timer) continue;
      if (entry.deadline > now) break;
      this.fail(id, ErrorCode.RANKING_UNAVAILABLE);
      if (this.downSince === undefined && this.framesIn === entry.framesIn) {
        this.downSince = now;
        this.log.warn(
          { timeoutMs: this.options.timeoutMs },
          'the ranking server did not answer in time; failing fast until it does',
        );
      }
    }
  }

  private probeIfDue(): void {
    const now = Date.now();
    const every = Math.min(250, this.options.timeoutMs);
    if (now - this.lastProbe < every) return;
    this.lastProbe = now;
    this.call(Command.Ping, {}, { probe: true, timeoutMs: every }).catch(() => undefined);
  }

  private fail(id: number, code: ErrorCode): void {
    const entry = this.pending.get(id);
    if (!entry) return;
    this.pending.delete(id);
    if (entry.timer) clearTimeout(entry.timer);
    entry.reject(new ScoreboardError(code));
  }
}
