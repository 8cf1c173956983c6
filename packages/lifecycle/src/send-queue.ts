/**
 * One pending send per socket: zeromq allows a single send in flight on a socket at a time, so
 * every message a socket sends goes through one of these, and one pump sends them in order. Used
 * by the ranking server's ROUTER (replies) and PUB (change notices) and by each client's DEALER
 * (request batches). A message that cannot be sent is handed to `onError`; the queue goes on.
 */

/** What a queue needs of its socket. */
export interface SendQueueOptions<M> {
  /** Sends one message; resolves once zeromq took it. */
  send: (message: M) => Promise<unknown>;
  /** True once the socket is closed: what is still queued is dropped. */
  closed: () => boolean;
  /** Hears of a message that could not be sent (a peer gone, a full queue). */
  onError: (err: unknown, message: M) => void;
  /** Hears that every message queued so far was sent (or refused). Optional. */
  onIdle?: () => void;
}

/** An in-order sender for one socket. */
export class SendQueue<M> {
  private queue: M[] = [];
  private pumping: Promise<void> | undefined;

  /** O(1). Nothing is sent until `push()`. */
  constructor(private readonly options: SendQueueOptions<M>) {}

  /** O(1). True when nothing is queued or being sent. */
  get idle(): boolean {
    return this.pumping === undefined;
  }

  /** O(1). Queues a message; the pump sends it after those queued before. */
  push(message: M): void {
    this.queue.push(message);
    this.pumping ??= this.pump().finally(() => {
      this.pumping = undefined;
      this.options.onIdle?.();
    });
  }

  /** Resolves once everything queued so far was handed to zeromq (or refused). */
  async drained(): Promise<void> {
    while (this.pumping) await this.pumping;
  }

  private async pump(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      for (const message of batch) {
        if (this.options.closed()) return;
        try {
          await this.options.send(message);
        } catch (err) {
          this.options.onError(err, message);
        }
      }
    }
  }
}
