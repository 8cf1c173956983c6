/** Reading the default board as the original routes do: `GET /top/:n`, `/top/:position/:scope`, `/users/:id`. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Command, MAX_PAGE } from '@scoreboard/protocol';
import { Type } from 'typebox';
import type { RankingApi } from '../ranking-client.js';
import { AroundParams, EntrySchema, RankedEntrySchema, TopParams, UserParams } from '../schemas.js';
import { counter, errorReplies, userOf } from './common.js';
import { sendJsonBytes } from './json-bytes.js';

const EntryList = Type.Array(EntrySchema);

/** Registers the original read routes. */
export const defaultReadRoutes: FastifyPluginAsyncTypebox<{ ranking: RankingApi }> = async (
  app,
  { ranking },
) => {
  app.get(
    '/top/:n',
    { schema: { params: TopParams, response: { 200: EntryList, ...errorReplies } } },
    async (request, reply) => {
      const n = counter('N', request.params.n, 0, MAX_PAGE);
      return sendJsonBytes(reply, await ranking.callRaw(Command.Top, { n }, { rid: request.id }));
    },
  );

  app.get(
    '/top/:position/:scope',
    { schema: { params: AroundParams, response: { 200: EntryList, ...errorReplies } } },
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
    { schema: { params: UserParams, response: { 200: RankedEntrySchema, ...errorReplies } } },
    async (request, reply) => {
      const user = userOf(request.params.id);
      return sendJsonBytes(reply, await ranking.callRaw(Command.GetUser, { user }, { rid: request.id }));
    },
  );
};
