/** `PUT /score`: set a user's absolute total or add a relative score, on the default board. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Command } from '@scoreboard/protocol';
import type { RankingApi } from '../ranking-client.js';
import { EntrySchema, ScoreBody, KeyHeaders } from '../schemas.js';
import { callOptions, errorReplies, writeOf } from './common.js';
import { sendJsonBytes } from './json-bytes.js';

/** Registers `PUT /score`. */
export const defaultScoreRoutes: FastifyPluginAsyncTypebox<{ ranking: RankingApi }> = async (
  app,
  { ranking },
) => {
  app.put(
    '/score',
    { schema: { headers: KeyHeaders, body: ScoreBody, response: { 200: EntrySchema, ...errorReplies } } },
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
