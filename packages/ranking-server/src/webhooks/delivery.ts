/**
 * Webhook delivery: the primary POSTs each board's period results, batch by batch, to the board's
 * webhook, signed as Stripe signs its webhooks, and logs each batch the receiver acknowledged with
 * a 2xx (`webhook.ack`), so a restart resumes after the last one: every batch arrives at least
 * once, each with an id (`<board>:<period>:<batch>`) a receiver can dedupe on. One delivery is in
 * flight at a time; a failure (an answer other than 2xx, a timeout, a refused or unresolvable
 * address) retries the same batch after WEBHOOK_RETRY_MS, doubling up to 10 minutes. Before every
 * attempt the URL is checked against WEBHOOK_ALLOW again, and the connection goes to the address
 * that check allowed, so a name re-pointed since it was set reaches nothing it should not.
 */
import { createHmac } from 'node:crypto';
import { request as httpRequest, type ClientRequest, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { checkWebhookUrl, type Resolver } from '@scoreboard/config';
import { Command, WEBHOOK_BATCH, type PeriodResult } from '@scoreboard/protocol';
import type { Logger } from 'pino';
import { pendingBatches, type Batch, type DeliveryStatus } from '../commands/webhooks.js';
import type { RankingEngine } from '../engine/engine.js';

/** The longest wait between two attempts at a batch. */
const MAX_BACKOFF_MS = 10 * 60_000;

/** O(body). The `Scoreboard-Signature` header of `body` sent at `t` (unix seconds). */
export function signature(secret: string, t: number, body: string): string {
  const v1 = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
  return `t=${t},v1=${v1}`;
}

/** What a delivery needs. */
export interface DeliveryOptions {
  /** The engine of now (a promoted standby's is a new one). */
  engine: () => RankingEngine;
  clock: () => number;
  allow: readonly string[];
  timeoutMs: number;
  retryMs: number;
  logger: Logger;
  /** Name resolution (the system's unless a test gives one). */
  resolve?: Resolver;
}

/** The delivery loop of one ranking server. */
export class WebhookDelivery {
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;
  private current: ClientRequest | undefined;
  private stopped = false;

  constructor(private readonly o: DeliveryOptions) {}

  /** O(1). Looks for due batches every 200 ms (and at once). */
  start(): void {
    this.timer = setInterval(() => this.kick(), 200);
    this.timer.unref();
    this.kick();
  }

  /** Stops looking and cuts a delivery in flight short (its batch is sent again after a restart). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    this.current?.destroy(new Error('the ranking server is stopping'));
    await this.inFlight;
  }

  /** O(boards with webhooks · periods kept). Starts the next due delivery unless one is in flight. */
  kick(): void {
    if (this.inFlight || this.stopped) return;
    const engine = this.o.engine();
    // Only the primary delivers: a standby's deliveries would never be acknowledged.
    if (!engine.writable) return;
    const now = this.o.clock();
    const { data, deliveries } = engine.state;
    // Unsorted and without a copy: this runs five times a second whatever the board count.
    for (const board of data.all()) {
      if (!board.webhook) continue;
      const { next } = pendingBatches(board);
      if (!next) continue;
      const status = deliveries.get(board.id);
      if (status && status.nextAttempt > now) continue;
      this.inFlight = this.deliver(board.id, next).finally(() => {
        this.inFlight = undefined;
        if (!this.stopped) setImmediate(() => this.kick());
      });
      return;
    }
  }

  /** One attempt at one batch; acknowledged on a 2xx, else the board's status says when to retry. */
  private async deliver(boardId: string, { period, batch }: Batch): Promise<void> {
    const engine = this.o.engine();
    const board = engine.state.data.find(boardId);
    const hook = board?.webhook;
    const outcomes = board?.archivedPeriod(period)?.outcomes;
    if (!board || !hook) return;
    const id = `${boardId}:${period}:${batch}`;
    const results: PeriodResult[] =
      outcomes?.between(batch * WEBHOOK_BATCH, (batch + 1) * WEBHOOK_BATCH) ?? [];
    const body = JSON.stringify({ id, board: boardId, period, results });
    let error: string | null = null;
    try {
      const target = await checkWebhookUrl(hook.url, this.o.allow, this.o.resolve);
      if (!target.ok) throw new Error(`refused: ${target.reason}`);
      const status = await this.post(target.url, target.address, target.family, body, hook.secret, id);
      if (status < 200 || status > 299) error = `HTTP ${status}`;
    } catch (err) {
      error = err instanceof Error ? err.message : String(err);
    }
    const statuses = this.o.engine().state.deliveries;
    if (error === null) {
      statuses.delete(boardId);
      const now = this.o.clock();
      const ack = { id: 0, cmd: Command.WebhookAck, args: { board: boardId, period, batch } };
      this.o.engine().handle([{ ok: true, request: ack } as never], now);
      this.o.logger.info(
        { board: boardId, period, batch, results: results.length },
        'webhook batch delivered',
      );
      return;
    }
    const was = statuses.get(boardId);
    const failures = (was?.failures ?? 0) + 1;
    const wait = Math.min(MAX_BACKOFF_MS, this.o.retryMs * 2 ** Math.min(failures - 1, 30));
    const next: DeliveryStatus = { failures, lastError: error, nextAttempt: this.o.clock() + wait };
    statuses.set(boardId, next);
    this.o.logger.warn(
      { board: boardId, period, batch, failures, error, retryInMs: wait },
      'webhook delivery failed',
    );
  }

  /** POSTs `body` to `url` at `address`; answers the status, or throws on a network error or timeout. */
  private post(
    url: URL,
    address: string,
    family: 4 | 6,
    body: string,
    secret: string,
    id: string,
  ): Promise<number> {
    const t = Math.floor(this.o.clock() / 1000);
    const lookup: LookupFunction = (_host, options, cb) => {
      if ((options as { all?: boolean }).all)
        (cb as unknown as (e: null, a: unknown[]) => void)(null, [{ address, family }]);
      else cb(null, address, family);
    };
    const options: RequestOptions = {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
        'user-agent': 'scoreboard-webhooks',
        'scoreboard-signature': signature(secret, t, body),
        'idempotency-key': id,
      },
      lookup,
      timeout: this.o.timeoutMs,
    };
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const req = (this.current = send(url, options, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      }));
      req.on('close', () => {
        if (this.current === req) this.current = undefined;
      });
      req.on('timeout', () => req.destroy(new Error(`no answer within ${this.o.timeoutMs} ms`)));
      req.on('error', reject);
      req.end(body);
    });
  }
}
