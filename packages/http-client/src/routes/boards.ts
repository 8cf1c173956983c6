/**
 * Boards: `PUT /boards/:board` creates (201) or reconfigures (200) a board, `GET /boards` lists
 * them by id, `GET /boards/:board` answers one, `DELETE /boards/:board` deletes one (204).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Command } from '@scoreboard/protocol';
import { Type } from 'typebox';
import type { RankingApi } from '../ranking-client.js';
import { BoardConfigBody, BoardParams, BoardViewSchema } from '../schemas.js';
import { errorReplies } from './common.js';
import { sendJsonBytes } from './json-bytes.js';

/** Registers the board routes. */
export const boardRoutes: FastifyPluginAsyncTypebox<{ ranking: RankingApi }> = async (app, { ranking }) => {
  app.put(
    '/boards/:board',
    {
      // `curl -X PUT …/boards/weekly` with no body creates a board with the defaults.
      preValidation: async (request) => {
        request.body ??= {};
      },
      schema: {
        params: BoardParams,
        body: BoardConfigBody,
        response: { 200: BoardViewSchema, 201: BoardViewSchema, ...errorReplies },
      },
    },
    async (request, reply) => {
      const { created, board } = await ranking.call(
        Command.BoardPut,
        { board: request.params.board, ...request.body },
        { rid: request.id },
      );
      return reply.code(created ? 201 : 200).send(board);
    },
  );

  app.get(
    '/boards',
    { schema: { response: { 200: Type.Array(BoardViewSchema), ...errorReplies } } },
    async (request, reply) =>
      sendJsonBytes(reply, await ranking.callRaw(Command.BoardList, {}, { rid: request.id })),
  );

  app.get(
    '/boards/:board',
    { schema: { params: BoardParams, response: { 200: BoardViewSchema, ...errorReplies } } },
    async (request, reply) =>
      sendJsonBytes(
        reply,
        await ranking.callRaw(Command.BoardGet, { board: request.params.board }, { rid: request.id }),
      ),
  );

  app.delete(
    '/boards/:board',
    { schema: { params: BoardParams, response: { 204: Type.Null(), ...errorReplies } } },
    async (request, reply) => {
      await ranking.call(Command.BoardDelete, { board: request.params.board }, { rid: request.id });
      return reply.code(204).send(null);
    },
  );
};
