/**
 * Reads of a named board, each with `?rank=ordinal|standard|dense`: the top N, a window of
 * positions, one user's standing, the window around a user, a friends lookup, a range of totals.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  Command,
  ErrorCode,
  MAX_LOOKUP,
  MAX_PAGE,
  MAX_RANGE_LIMIT,
  MAX_TOTAL,
  ScoreboardError,
  canonicalUserId,
  type UserId,
} from '@scoreboard/protocol';
import { Type } from 'typebox';
import type { RankingApi } from '../ranking-client.js';
import {
  AroundQuery,
  BoardParam,
  BoardRowSchema,
  Digits,
  RangeQuery,
  RankQuery,
  StandingSchema,
  UserParam,
  UsersQuery,
} from '../schemas.js';
import { aroundOf, counter, errorReplies, rankArg, userOf, windowOf } from './common.js';
import { sendJsonBytes } from './json-bytes.js';

const Rows = Type.Array(BoardRowSchema);

/** Rows a range answers unless `?limit` says otherwise. */
export const DEFAULT_RANGE_LIMIT = 100;

/** O(ids). The user ids of `?ids=a,b,c`: 1–100 valid ids, or a 400. */
function idsOf(raw: string): UserId[] {
  const parts = raw.split(',');
  if (parts.length > MAX_LOOKUP) {
    throw new ScoreboardError(ErrorCode.HTTP_VALIDATION, `ids names at most ${MAX_LOOKUP} users.`);
  }
  return parts.map((part, i) => {
    const id = canonicalUserId(part);
    if (id === undefined)
      throw new ScoreboardError(ErrorCode.HTTP_VALIDATION, `ids[${i}] is not a valid user id.`);
    return id;
  });
}

/** Registers the read routes of named boards. */
export const boardReadRoutes: FastifyPluginAsyncTypebox<{ ranking: RankingApi }> = async (
  app,
  { ranking },
) => {
  app.get(
    '/boards/:board/top/:n',
    {
      schema: {
        params: Type.Object({ board: BoardParam, n: Digits }),
        querystring: RankQuery,
        response: { 200: Rows, ...errorReplies },
      },
    },
    async (request, reply) => {
      const args = {
        board: request.params.board,
        n: counter('N', request.params.n, 0, MAX_PAGE),
        ...rankArg(request.query),
      };
      return sendJsonBytes(reply, await ranking.callRaw(Command.BoardTop, args, { rid: request.id }));
    },
  );

  app.get(
    '/boards/:board/top/:position/:scope',
    {
      schema: {
        params: Type.Object({ board: BoardParam, position: Digits, scope: Digits }),
        querystring: RankQuery,
        response: { 200: Rows, ...errorReplies },
      },
    },
    async (request, reply) => {
      const args = { board: request.params.board, ...windowOf(request.params), ...rankArg(request.query) };
      return sendJsonBytes(reply, await ranking.callRaw(Command.BoardWindow, args, { rid: request.id }));
    },
  );

  app.get(
    '/boards/:board/users/:user',
    {
      schema: {
        params: Type.Object({ board: BoardParam, user: UserParam }),
        querystring: RankQuery,
        response: { 200: StandingSchema, ...errorReplies },
      },
    },
    async (request, reply) => {
      const args = {
        board: request.params.board,
        user: userOf(request.params.user),
        ...rankArg(request.query),
      };
      return sendJsonBytes(reply, await ranking.callRaw(Command.BoardUser, args, { rid: request.id }));
    },
  );

  app.get(
    '/boards/:board/around/:user',
    {
      schema: {
        params: Type.Object({ board: BoardParam, user: UserParam }),
        querystring: AroundQuery,
        response: { 200: Rows, ...errorReplies },
      },
    },
    async (request, reply) => {
      const args = {
        board: request.params.board,
        user: userOf(request.params.user),
        ...aroundOf(request.query),
      };
      return sendJsonBytes(reply, await ranking.callRaw(Command.BoardAround, args, { rid: request.id }));
    },
  );

  app.get(
    '/boards/:board/users',
    {
      schema: {
        params: Type.Object({ board: BoardParam }),
        querystring: UsersQuery,
        response: { 200: Rows, ...errorReplies },
      },
    },
    async (request, reply) => {
      const args = { board: request.params.board, ids: idsOf(request.query.ids), ...rankArg(request.query) };
      return sendJsonBytes(reply, await ranking.callRaw(Command.BoardUsers, args, { rid: request.id }));
    },
  );

  app.get(
    '/boards/:board/range',
    {
      schema: {
        params: Type.Object({ board: BoardParam }),
        querystring: RangeQuery,
        response: { 200: Type.Object({ count: Type.Integer(), entries: Rows }), ...errorReplies },
      },
    },
    async (request, reply) => {
      const q = request.query;
      const args = {
        board: request.params.board,
        min: q.min === undefined ? -MAX_TOTAL : counter('min', q.min, -MAX_TOTAL, MAX_TOTAL),
        max: q.max === undefined ? MAX_TOTAL : counter('max', q.max, -MAX_TOTAL, MAX_TOTAL),
        limit: q.limit === undefined ? DEFAULT_RANGE_LIMIT : counter('limit', q.limit, 0, MAX_RANGE_LIMIT),
        ...rankArg(q),
      };
      return sendJsonBytes(reply, await ranking.callRaw(Command.BoardRange, args, { rid: request.id }));
    },
  );
};
