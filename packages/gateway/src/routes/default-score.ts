/** `PUT /score`: the original write, an absolute total or a relative score on the default board. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Command, EntrySchema } from '@scoreboard/protocol';
import type { RankingApi } from '../ranking-client.js';
import { KeyHeaders, ScoreBody } from '../schemas.js';
import { callOptions, errorReplies, sendJsonBytes, writeOf } from './common.js';
import { SCORE_BODY_LIMIT, SCORE_ERRORS } from './forward.js';

/** Registers `PUT /score`: `set` for a total, `add` for a relative score (two commands: not a forwarded row). */
export const defaultScoreRoutes: FastifyPluginAsyncTypebox<{ ranking: RankingApi }> = async (
  app,
  { ranking },
) => {
  app.put(
    '/score',
    {
      bodyLimit: SCORE_BODY_LIMIT,
      config: { scope: 'write', board: 'default', errors: SCORE_ERRORS },
      schema: {
        summary: 'Set or add to a score on the default board',
        operationId: 'putScore',
        tags: ['default board'],
        headers: KeyHeaders,
        body: { ...ScoreBody, examples: [{ user: 123, score: '+10' }] },
        response: { 200: EntrySchema, ...errorReplies },
      },
    },
    async (request, reply) => {
      const write = writeOf(request.body);
      const opts = callOptions(request);
      const raw =
        'total' in write
          ? await ranking.callRaw(Command.SetTotal, write, opts)
          : await ranking.callRaw(Command.AddScore, write, opts);
      return sendJsonBytes(reply, raw);
    },
  );
};
