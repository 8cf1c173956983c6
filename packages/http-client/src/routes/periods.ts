/**
 * Periods and history: `POST /boards/:board/reset` ends the live period now (a manual season end),
 * `GET /boards/:board/periods` lists the periods a board can read, newest first, and
 * `/boards/:board/periods/:period/…` reads one of them — the live one or a finished one — with the
 * board's own reads and rank styles. `GET /boards/:board/users/:user/history` answers a player's
 * best results in the live period (`?period=N`: in period N).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Command, MAX_PAGE } from '@scoreboard/protocol';
import { Type } from 'typebox';
import type { RankingApi } from '../ranking-client.js';
import {
  AroundQuery,
  BoardParam,
  BoardParams,
  BoardRowSchema,
  BoardViewSchema,
  Digits,
  HistoryQuery,
  KeyHeaders,
  PeriodViewSchema,
  RankQuery,
  ResultSchema,
  StandingSchema,
  UserParam,
} from '../schemas.js';
import { aroundOf, callOptions, counter, errorReplies, rankArg, userOf, windowOf } from './common.js';
import { sendJsonBytes } from './json-bytes.js';

const Rows = Type.Array(BoardRowSchema);
const PeriodParams = { board: BoardParam, period: Digits };

/** O(1). The board and period a period route names (the period a positive integer, or a 400). */
function periodArgs(params: { board: string; period: string }): { board: string; period: number } {
  return { board: params.board, period: counter('period', params.period, 1, Number.MAX_SAFE_INTEGER) };
}

/** Registers the period and history routes. */
export const periodRoutes: FastifyPluginAsyncTypebox<{ ranking: RankingApi }> = async (app, { ranking }) => {
  app.post(
    '/boards/:board/reset',
    {
      schema: {
        headers: KeyHeaders,
        params: BoardParams,
        response: { 200: BoardViewSchema, ...errorReplies },
      },
    },
    async (request, reply) =>
      sendJsonBytes(
        reply,
        await ranking.callRaw(Command.BoardReset, { board: request.params.board }, callOptions(request)),
      ),
  );

  app.get(
    '/boards/:board/periods',
    { schema: { params: BoardParams, response: { 200: Type.Array(PeriodViewSchema), ...errorReplies } } },
    async (request, reply) =>
      sendJsonBytes(
        reply,
        await ranking.callRaw(Command.BoardPeriods, { board: request.params.board }, { rid: request.id }),
      ),
  );

  app.get(
    '/boards/:board/periods/:period/top/:n',
    {
      schema: {
        params: Type.Object({ ...PeriodParams, n: Digits }),
        querystring: RankQuery,
        response: { 200: Rows, ...errorReplies },
      },
    },
    async (request, reply) => {
      const { params } = request;
      const args = {
        ...periodArgs(params),
        n: counter('N', params.n, 0, MAX_PAGE),
        ...rankArg(request.query),
      };
      return sendJsonBytes(reply, await ranking.callRaw(Command.PeriodTop, args, { rid: request.id }));
    },
  );

  app.get(
    '/boards/:board/periods/:period/top/:position/:scope',
    {
      schema: {
        params: Type.Object({ ...PeriodParams, position: Digits, scope: Digits }),
        querystring: RankQuery,
        response: { 200: Rows, ...errorReplies },
      },
    },
    async (request, reply) => {
      const { params } = request;
      const args = { ...periodArgs(params), ...windowOf(params), ...rankArg(request.query) };
      return sendJsonBytes(reply, await ranking.callRaw(Command.PeriodWindow, args, { rid: request.id }));
    },
  );

  app.get(
    '/boards/:board/periods/:period/users/:user',
    {
      schema: {
        params: Type.Object({ ...PeriodParams, user: UserParam }),
        querystring: RankQuery,
        response: { 200: StandingSchema, ...errorReplies },
      },
    },
    async (request, reply) => {
      const { params } = request;
      const args = { ...periodArgs(params), user: userOf(params.user), ...rankArg(request.query) };
      return sendJsonBytes(reply, await ranking.callRaw(Command.PeriodUser, args, { rid: request.id }));
    },
  );

  app.get(
    '/boards/:board/periods/:period/around/:user',
    {
      schema: {
        params: Type.Object({ ...PeriodParams, user: UserParam }),
        querystring: AroundQuery,
        response: { 200: Rows, ...errorReplies },
      },
    },
    async (request, reply) => {
      const { params } = request;
      const args = { ...periodArgs(params), user: userOf(params.user), ...aroundOf(request.query) };
      return sendJsonBytes(reply, await ranking.callRaw(Command.PeriodAround, args, { rid: request.id }));
    },
  );

  app.get(
    '/boards/:board/users/:user/history',
    {
      schema: {
        params: Type.Object({ board: BoardParam, user: UserParam }),
        querystring: HistoryQuery,
        response: { 200: Type.Array(ResultSchema), ...errorReplies },
      },
    },
    async (request, reply) => {
      const { params, query } = request;
      const args = {
        board: params.board,
        user: userOf(params.user),
        ...(query.period === undefined
          ? {}
          : { period: counter('period', query.period, 1, Number.MAX_SAFE_INTEGER) }),
      };
      return sendJsonBytes(reply, await ranking.callRaw(Command.History, args, { rid: request.id }));
    },
  );
};
