/**
 * One send queue per socket: zeromq allows a single pending send at a time, so every reply goes
 * through here and one pump sends them in order.
 */
import type { Logger } from 'pino';
import type { Router } from 'zeromq';

/** In-order sender for a ROUTER socket. */
export class SendQueue {
  private queue: Array<[Buffer, Buffer]> = [];
  private pumping: Promise<void> | undefined;

  /** O(1). Nothing is sent until `push()`. */
  constructor(
    private readonly router: Router,
    private readonly log: Logger,
  ) {}

  /** O(1). Queues a reply to the peer `identity`. */
  push(identity: Buffer, frame: Buffer): void {
    this.queue.push([identity, frame]);
    this.pumping ??= this.pump().finally(() => (this.pumping = undefined));
  }

  /** Resolves once everything queued so far was handed to zeromq. */
  async drained(): Promise<void> {
    while (this.pumping) await this.pumping;
  }

  private async pump(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      for (const msg of batch) {
        if (this.router.closed) return;
        try {
          await this.router.send(msg);
        } catch (err) {
          // The peer is gone (EHOSTUNREACH) or its queue is full (EAGAIN): its request times out.
          this.log.warn({ err }, 'could not deliver a reply');
        }
      }
    }
  }
}
