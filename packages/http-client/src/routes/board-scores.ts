/**
 * Score writes on a named board: `PUT /boards/:board/scores` (the body of `PUT /score`, answering
 * the total kept and the rank) and `POST /boards/:board/scores` (1–1 000 of them, validated whole
 * and applied in order, nothing interleaved). Both take an Idempotency-Key.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Command, RankedEntrySchema } from '@scoreboard/protocol';
import { Type } from 'typebox';
import type { RankingApi } from '../ranking-client.js';
import { BoardParams, ScoreBatchBody, ScoreBody, KeyHeaders } from '../schemas.js';
import { callOptions, errorReplies, writeOf } from './common.js';
import { sendJsonBytes } from './json-bytes.js';

/** Largest body of a batch: 1 000 writes of up to ~100 bytes each, with room to spare. */
export const SCORE_BATCH_BODY_LIMIT = 256 * 1024;

/** Registers the score routes of named boards. */
export const boardScoreRoutes: FastifyPluginAsyncTypebox<{ ranking: RankingApi }> = async (
  app,
  { ranking },
) => {
  app.put(
    '/boards/:board/scores',
    {
      schema: {
        params: BoardParams,
        headers: KeyHeaders,
        body: ScoreBody,
        response: { 200: RankedEntrySchema, ...errorReplies },
      },
    },
    async (request, reply) => {
      const args = { board: request.params.board, ...writeOf(request.body) };
      return sendJsonBytes(reply, await ranking.callRaw(Command.ScorePut, args, callOptions(request)));
    },
  );

  app.post(
    '/boards/:board/scores',
    {
      bodyLimit: SCORE_BATCH_BODY_LIMIT,
      schema: {
        params: BoardParams,
        headers: KeyHeaders,
        body: ScoreBatchBody,
        response: { 200: Type.Object({ results: Type.Array(RankedEntrySchema) }), ...errorReplies },
      },
    },
    async (request, reply) => {
      const scores = request.body.scores.map((item, i) => writeOf(item, `scores[${i}].`));
      const args = { board: request.params.board, scores };
      return sendJsonBytes(reply, await ranking.callRaw(Command.ScoreBatch, args, callOptions(request)));
    },
  );
};
