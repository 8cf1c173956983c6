/**
 * Boards, the route that answers more than the command's bytes: `PUT /boards/:board` creates (201)
 * or reconfigures (200) a board, and takes no body as the defaults. Listing, reading and deleting
 * boards are forwarded routes (forward.ts).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Command, ErrorCode } from '@scoreboard/protocol';
import type { RankingApi } from '../ranking-client.js';
import { BoardConfigBody, BoardParams, BoardViewSchema } from '../schemas.js';
import { errorReplies } from './common.js';

/** Registers the board routes. */
export const boardRoutes: FastifyPluginAsyncTypebox<{ ranking: RankingApi }> = async (app, { ranking }) => {
  app.put(
    '/boards/:board',
    {
      config: {
        scope: 'admin',
        optionalBody: true,
        errors: [ErrorCode.BOARD_INVALID_CONFIG, ErrorCode.BOARD_CONFLICT, ErrorCode.BOARD_LIMIT_REACHED],
      },
      // `curl -X PUT …/boards/weekly` with no body creates a board with the defaults.
      preValidation: async (request) => {
        request.body ??= {};
      },
      schema: {
        summary: 'Create a board, or change its configuration',
        operationId: 'putBoard',
        tags: ['boards'],
        params: BoardParams,
        body: { ...BoardConfigBody, examples: [{ order: 'asc', operator: 'best', min: 18 }] },
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
};
