/**
 * Webhooks: a board's results delivered by HTTP POST when each period ends. The URL is checked
 * against WEBHOOK_ALLOW by the client before `webhook.put` and by the ranking server before each
 * delivery; the ranking server delivers and acknowledges (`webhook.ack`, its own command).
 */
import { Type, type Static } from 'typebox';
import { BoardIdSchema } from '../schemas.js';
import { argsOf, boardRead, boardWrite, defineCommand } from './spec.js';

/** Results per delivered batch. */
export const WEBHOOK_BATCH = 100;

/** A webhook URL: http(s), at most 2 KiB. */
export const WebhookUrlSchema = Type.String({ minLength: 1, maxLength: 2048, pattern: '^https?://' });
/** A webhook's signing secret: 16–256 printable characters. */
export const WebhookSecretSchema = Type.String({
  minLength: 16,
  maxLength: 256,
  pattern: '^[\\x21-\\x7e]+$',
});

/** A board's webhook and its delivery state (never its secret). */
export const WebhookViewSchema = Type.Object(
  {
    board: Type.String(),
    url: Type.Union([Type.String(), Type.Null()], { description: 'null: no webhook' }),
    from: Type.Union([Type.Integer(), Type.Null()], {
      description: 'the first period whose results are delivered',
    }),
    delivered: Type.Union([Type.Object({ period: Type.Integer(), batch: Type.Integer() }), Type.Null()], {
      description: 'the last batch the receiver acknowledged with a 2xx',
    }),
    pending: Type.Integer({ description: 'batches still to deliver' }),
    failures: Type.Integer({ description: 'failed attempts at the next batch since this server started' }),
    lastError: Type.Union([Type.String(), Type.Null()]),
    nextAttempt: Type.Union([Type.String(), Type.Null()], {
      description: 'ISO 8601 UTC, when a retry is due',
    }),
  },
  { title: 'Webhook' },
);
/** See {@link WebhookViewSchema}. */
export type WebhookView = Static<typeof WebhookViewSchema>;

/** The webhook commands, by readable name. */
export const webhookCommands = {
  /** Sets a board's webhook (its URL checked before); the delivery cursor stays when one was set. */
  WebhookPut: defineCommand<WebhookView>()({
    name: 'webhook.put',
    args: argsOf({ board: BoardIdSchema, url: WebhookUrlSchema, secret: WebhookSecretSchema }),
    ...boardWrite,
  }),
  /** A board's webhook and its delivery state. */
  WebhookGet: defineCommand<WebhookView>()({
    name: 'webhook.get',
    args: argsOf({ board: BoardIdSchema }),
    ...boardRead,
  }),
  /** The receiver acknowledged a batch (the ranking server's own delivery, logged as it goes). */
  WebhookAck: defineCommand<{ acknowledged: boolean }>()({
    name: 'webhook.ack',
    args: argsOf({
      board: BoardIdSchema,
      period: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }),
      batch: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }),
    }),
    ...boardWrite,
  }),
};
