/**
 * Rankings within a country: `GET /boards/:board/countries` (the countries present, largest first),
 * `…/countries/:cc/top/:n` and `…/countries/:cc/around/:user` (ranks within the country).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Command, CountryCountSchema, MAX_PAGE } from '@scoreboard/protocol';
import { Type } from 'typebox';
import type { RankingApi } from '../ranking-client.js';
import {
  AroundQuery,
  BoardParam,
  BoardParams,
  BoardRowSchema,
  CountryParam,
  Digits,
  RankQuery,
  UserParam,
} from '../schemas.js';
import { aroundOf, counter, errorReplies, rankArg, userOf } from './common.js';
import { sendJsonBytes } from './json-bytes.js';

const Rows = Type.Array(BoardRowSchema);

/** Registers the country routes. */
export const countryRoutes: FastifyPluginAsyncTypebox<{ ranking: RankingApi }> = async (app, { ranking }) => {
  app.get(
    '/boards/:board/countries',
    { schema: { params: BoardParams, response: { 200: Type.Array(CountryCountSchema), ...errorReplies } } },
    async (request, reply) =>
      sendJsonBytes(
        reply,
        await ranking.callRaw(Command.BoardCountries, { board: request.params.board }, { rid: request.id }),
      ),
  );

  app.get(
    '/boards/:board/countries/:country/top/:n',
    {
      schema: {
        params: Type.Object({ board: BoardParam, country: CountryParam, n: Digits }),
        querystring: RankQuery,
        response: { 200: Rows, ...errorReplies },
      },
    },
    async (request, reply) => {
      const { board, country } = request.params;
      const args = {
        board,
        country,
        n: counter('N', request.params.n, 0, MAX_PAGE),
        ...rankArg(request.query),
      };
      return sendJsonBytes(reply, await ranking.callRaw(Command.CountryTop, args, { rid: request.id }));
    },
  );

  app.get(
    '/boards/:board/countries/:country/around/:user',
    {
      schema: {
        params: Type.Object({ board: BoardParam, country: CountryParam, user: UserParam }),
        querystring: AroundQuery,
        response: { 200: Rows, ...errorReplies },
      },
    },
    async (request, reply) => {
      const { board, country } = request.params;
      const args = { board, country, user: userOf(request.params.user), ...aroundOf(request.query) };
      return sendJsonBytes(reply, await ranking.callRaw(Command.CountryAround, args, { rid: request.id }));
    },
  );
};
