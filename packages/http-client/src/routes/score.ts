/** `PUT /score`: set a user's absolute total or add a relative score. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  Command,
  ErrorCode,
  ScoreboardError,
  canonicalUserId,
  parseRelativeScore,
  type UserId,
} from '@scoreboard/protocol';
import type { CallOptions, RankingApi } from '../ranking-client.js';
import { sendJsonBytes } from './json-bytes.js';
import { EntrySchema, ErrorSchema, ScoreBody, ScoreHeaders } from '../schemas.js';

/** Registers `PUT /score`. */
export const scoreRoutes: FastifyPluginAsyncTypebox<{ ranking: RankingApi }> = async (app, { ranking }) => {
  app.put(
    '/score',
    {
      schema: {
        headers: ScoreHeaders,
        body: ScoreBody,
        response: { 200: EntrySchema, '4xx': ErrorSchema, '5xx': ErrorSchema },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const opts: CallOptions = { rid: request.id };
      const key = request.headers['idempotency-key'];
      if (key !== undefined) opts.key = key;
      // The schema admits only valid ids; canonicalising turns "123" into 123.
      const user = canonicalUserId(body.user) as UserId;
      if ('total' in body) {
        return sendJsonBytes(
          reply,
          await ranking.callRaw(Command.SetTotal, { user, total: body.total }, opts),
        );
      }
      const delta = parseRelativeScore(body.score);
      if (delta === undefined) {
        throw new ScoreboardError(
          ErrorCode.HTTP_VALIDATION,
          'score must be a signed integer such as "+10" or "-115", within ±(2^53-1).',
        );
      }
      return sendJsonBytes(reply, await ranking.callRaw(Command.AddScore, { user, delta }, opts));
    },
  );
};
