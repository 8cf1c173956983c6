/**
 * Change notices for live pages: the engine marks each board a request changed; a few times a
 * second every marked board is published on a ZeroMQ PUB socket as one message — the topic
 * `<board>\n` and `{"board", "top"}`, `top` being the board's top-page version (it moves only when
 * an entry within a watched top page changed). Clients subscribe to the boards their browsers
 * watch and read what changed through the ordinary (durable) request path, so a notice carries no
 * scores and nothing is shown before it is durable. Marking is one Set insertion on the write
 * path; the rest runs on a timer, coalescing any number of writes into one notice per board per
 * interval. PUB drops messages for a subscriber past its high-water mark instead of blocking.
 */
import { SendQueue } from '@scoreboard/lifecycle';
import type { Logger } from 'pino';
import { Publisher } from 'zeromq';

/** Where the notices get the top version of a board (undefined once it is gone). */
export type TopVersionOf = (board: string) => number | undefined;

/** The ranking server's change-notice publisher. */
export class ChangeNotices {
  private readonly dirty = new Set<string>();
  private socket: Publisher | undefined;
  private timer: NodeJS.Timeout | undefined;
  private sender: SendQueue<[string, string]> | undefined;
  private bound: string | undefined;

  /** O(1). Publishes every `intervalMs` (default 200: at most five notices a second per board). */
  constructor(
    private readonly endpoint: string,
    private readonly topVersion: TopVersionOf,
    private readonly log: Logger,
    private readonly intervalMs = 200,
  ) {}

  /** O(1). The endpoint bound (a `*` port resolved), once started. */
  get boundEndpoint(): string | undefined {
    return this.bound;
  }

  /** O(1). Marks `board` changed; its notice leaves with the next publication. */
  changed(board: string): void {
    if (this.socket) this.dirty.add(board);
  }

  /** Binds the PUB socket and starts publishing. */
  async start(): Promise<void> {
    const socket = new Publisher({ linger: 0, sendHighWaterMark: 10_000 });
    await socket.bind(this.endpoint);
    this.socket = socket;
    this.sender = new SendQueue<[string, string]>({
      send: (message) => socket.send(message),
      closed: () => socket.closed,
      onError: (err) => this.log.warn({ err }, 'could not publish a change notice'),
    });
    this.bound = socket.lastEndpoint ?? this.endpoint;
    this.timer = setInterval(() => this.publish(), this.intervalMs);
    this.timer.unref();
  }

  /** Stops publishing and closes the socket. Idempotent. */
  stop(): void {
    clearInterval(this.timer);
    this.socket?.close();
    this.socket = undefined;
  }

  /**
   * O(marked boards). Queues one notice per marked board — unless the last publication is still
   * being sent, in which case the marks wait for the next one (they coalesce).
   */
  private publish(): void {
    const sender = this.sender;
    if (!sender?.idle || this.dirty.size === 0) return;
    for (const board of this.dirty) {
      const top = this.topVersion(board);
      if (top !== undefined) sender.push([`${board}\n`, JSON.stringify({ board, top })]);
    }
    this.dirty.clear();
  }
}
