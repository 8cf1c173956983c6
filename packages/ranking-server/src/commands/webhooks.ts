/**
 * A board's webhook: set it (`webhook.put`, its URL checked against WEBHOOK_ALLOW by the client
 * first), read it with its delivery state (`webhook.get`), and the delivery's acknowledgement of a
 * batch (`webhook.ack`, sent by this server's own delivery). Which batches are due is
 * {@link pendingBatches}: every batch of every finished period from the webhook's first on, after
 * the last acknowledged one.
 */
import { isoOf } from '@scoreboard/calendar';
import { WEBHOOK_BATCH, type WebhookView } from '@scoreboard/protocol';
import type { Board } from '../board/board.js';
import type { HandlerTable } from '../engine/handler.js';
import { RecordType } from '../records/index.js';

/** What this server knows of a board's deliveries since it started (not persisted). */
export interface DeliveryStatus {
  failures: number;
  lastError: string | null;
  /** Epoch ms when the next attempt is due (0: now). */
  nextAttempt: number;
}

/** A batch of a period's results: results with places in (batch·100, (batch+1)·100]. */
export interface Batch {
  period: number;
  batch: number;
}

/**
 * O(periods kept), whatever the batches. The batches of `board` still to deliver: the first of
 * them, and how many. For each finished period from the webhook's `from` on, batches 0 …
 * ⌈last place / 100⌉ − 1 (one, empty, for a period without results), after the last acknowledged.
 */
export function pendingBatches(board: Board): { next: Batch | undefined; count: number } {
  const hook = board.webhook;
  let next: Batch | undefined;
  let count = 0;
  if (!hook) return { next, count };
  const done = hook.delivered;
  for (const period of board.archives()) {
    if (period.id < hook.from || (done && period.id < done.period)) continue;
    const batches = Math.max(1, Math.ceil((period.outcomes?.lastPlace() ?? 0) / WEBHOOK_BATCH));
    const first = done && period.id === done.period ? done.batch + 1 : 0;
    if (first >= batches) continue;
    next ??= { period: period.id, batch: first };
    count += batches - first;
  }
  return { next, count };
}

/** O(periods kept). A board's webhook as answered (never its secret). */
export function webhookView(board: Board, status: DeliveryStatus | undefined): WebhookView {
  const hook = board.webhook;
  return {
    board: board.id,
    url: hook?.url ?? null,
    from: hook?.from ?? null,
    delivered: hook?.delivered ? { ...hook.delivered } : null,
    pending: pendingBatches(board).count,
    failures: status?.failures ?? 0,
    lastError: status?.lastError ?? null,
    nextAttempt: status && status.nextAttempt > 0 ? isoOf(status.nextAttempt) : null,
  };
}

/** Handlers of the webhook commands: O(periods kept) each. */
export const webhookHandlers = {
  'webhook.put': (args, ctx) => {
    const board = ctx.data.board(args.board);
    // A new URL or secret keeps the cursor: nothing due is skipped. A first webhook starts with
    // the live period: its end is the first delivered.
    const from = board.webhook?.from ?? board.period.id;
    const delivered = board.webhook?.delivered ?? null;
    ctx.apply({
      type: RecordType.Webhook,
      at: ctx.now,
      board: board.id,
      hook: { url: args.url, secret: args.secret, from, delivered },
    });
    return webhookView(board, ctx.deliveries.get(board.id));
  },
  'webhook.get': (args, ctx) => {
    const board = ctx.data.board(args.board);
    return webhookView(board, ctx.deliveries.get(board.id));
  },
  'webhook.ack': (args, ctx) => {
    const board = ctx.data.board(args.board);
    const { next } = pendingBatches(board);
    const acknowledged = next !== undefined && next.period === args.period && next.batch === args.batch;
    if (acknowledged)
      ctx.apply({
        type: RecordType.WebhookAck,
        at: ctx.now,
        board: board.id,
        period: args.period,
        batch: args.batch,
      });
    return { acknowledged };
  },
} satisfies Partial<HandlerTable>;
