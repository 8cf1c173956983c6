/**
 * A board's webhook (admin): `PUT /boards/:board/webhook` checks the URL against WEBHOOK_ALLOW
 * before anything is stored (a 400 WEBHOOK_REFUSED names why), then sets it; `GET` answers it with
 * its delivery state. The ranking server delivers, and checks the URL again at every delivery.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { checkWebhookUrl, type Resolver } from '@scoreboard/config';
import {
  Command,
  ErrorCode,
  ScoreboardError,
  WebhookSecretSchema,
  WebhookUrlSchema,
  WebhookViewSchema,
} from '@scoreboard/protocol';
import { Type } from 'typebox';
import type { RankingApi } from '../ranking-client.js';
import { BoardParams } from '../schemas.js';
import { errorReplies } from './common.js';

/** `PUT /boards/:board/webhook` body. */
const WebhookBody = Type.Object(
  { url: WebhookUrlSchema, secret: WebhookSecretSchema },
  { additionalProperties: false },
);

/** What the webhook routes need: the ranking server, and where webhooks may go. */
export interface WebhookRouteOptions {
  ranking: RankingApi;
  allow: readonly string[];
  resolve?: Resolver;
}

/** Registers the webhook routes. */
export const webhookRoutes: FastifyPluginAsyncTypebox<WebhookRouteOptions> = async (
  app,
  { ranking, allow, resolve },
) => {
  app.put(
    '/boards/:board/webhook',
    {
      config: { scope: 'admin', errors: [ErrorCode.WEBHOOK_REFUSED, ErrorCode.BOARD_NOT_FOUND] },
      schema: {
        summary: "Set a board's webhook: its results are POSTed there when each period ends",
        operationId: 'putWebhook',
        tags: ['boards'],
        params: BoardParams,
        body: {
          ...WebhookBody,
          examples: [{ url: 'https://hooks.example.com/scoreboard', secret: 'whsec_0123456789abcdef' }],
        },
        response: { 200: WebhookViewSchema, ...errorReplies },
      },
    },
    async (request) => {
      const target = await checkWebhookUrl(request.body.url, allow, resolve);
      if (!target.ok)
        throw new ScoreboardError(ErrorCode.WEBHOOK_REFUSED, `The webhook URL is refused: ${target.reason}.`);
      return ranking.call(
        Command.WebhookPut,
        { board: request.params.board, url: request.body.url, secret: request.body.secret },
        { rid: request.id },
      );
    },
  );

  app.get(
    '/boards/:board/webhook',
    {
      config: { scope: 'admin', errors: [ErrorCode.BOARD_NOT_FOUND] },
      schema: {
        summary: "A board's webhook and its delivery state (never its secret)",
        operationId: 'getWebhook',
        tags: ['boards'],
        params: BoardParams,
        response: { 200: WebhookViewSchema, ...errorReplies },
      },
    },
    async (request) => ranking.call(Command.WebhookGet, { board: request.params.board }, { rid: request.id }),
  );
};
