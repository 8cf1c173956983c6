/** Reading the board: `GET /top/:n`, `GET /top/:position/:scope`, `GET /users/:id`. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  Command,
  ErrorCode,
  MAX_PAGE,
  ScoreboardError,
  canonicalUserId,
  type UserId,
} from '@scoreboard/protocol';
import type { RankingApi } from '../ranking-client.js';
import { sendJsonBytes } from './json-bytes.js';
import {
  AroundParams,
  EntryListSchema,
  ErrorSchema,
  RankedEntrySchema,
  TopParams,
  UserParams,
} from '../schemas.js';

/** O(1). A path counter within [min, max], or a 400 naming it. */
function counter(name: string, raw: string, min: number, max: number): number {
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new ScoreboardError(ErrorCode.HTTP_VALIDATION, `${name} must be an integer from ${min} to ${max}.`);
  }
  return n;
}

const errors = { '4xx': ErrorSchema, '5xx': ErrorSchema };

/** Registers the read routes. */
export const boardRoutes: FastifyPluginAsyncTypebox<{ ranking: RankingApi }> = async (app, { ranking }) => {
  app.get(
    '/top/:n',
    { schema: { params: TopParams, response: { 200: EntryListSchema, ...errors } } },
    async (request, reply) => {
      const n = counter('N', request.params.n, 0, MAX_PAGE);
      return sendJsonBytes(reply, await ranking.callRaw(Command.Top, { n }, { rid: request.id }));
    },
  );

  app.get(
    '/top/:position/:scope',
    { schema: { params: AroundParams, response: { 200: EntryListSchema, ...errors } } },
    async (request, reply) => {
      const position = counter('P', request.params.position, 1, Number.MAX_SAFE_INTEGER);
      const scope = counter('S', request.params.scope, 0, MAX_PAGE);
      return sendJsonBytes(
        reply,
        await ranking.callRaw(Command.Around, { position, scope }, { rid: request.id }),
      );
    },
  );

  app.get(
    '/users/:id',
    { schema: { params: UserParams, response: { 200: RankedEntrySchema, ...errors } } },
    async (request, reply) => {
      const user = canonicalUserId(request.params.id) as UserId;
      return sendJsonBytes(reply, await ranking.callRaw(Command.GetUser, { user }, { rid: request.id }));
    },
  );
};
