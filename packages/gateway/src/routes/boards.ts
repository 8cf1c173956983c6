/**
 * Boards, the routes that answer more than the command's bytes: `PUT /boards/:board` creates (201)
 * or reconfigures (200) a board, and takes no body as the defaults; `POST /boards/:board/join`
 * joins a player to a tournament board's live period (201 the first time, 200 after). Listing,
 * reading and deleting boards are forwarded routes (forward.ts).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Command, ErrorCode, JoinedSchema } from '@scoreboard/protocol';
import type { RankingApi } from '../ranking-client.js';
import { BoardConfigBody, BoardParams, BoardViewSchema, JoinBody, KeyHeaders } from '../schemas.js';
import { callOptions, errorReplies } from './common.js';

/** The body limit of a board's configuration. */
export const BOARD_BODY_LIMIT = 8 * 1024;

/** Registers the board routes. */
export const boardRoutes: FastifyPluginAsyncTypebox<{ ranking: RankingApi }> = async (app, { ranking }) => {
  app.put(
    '/boards/:board',
    {
      // Room for reward bands: as much as nginx takes (8 KiB).
      bodyLimit: BOARD_BODY_LIMIT,
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

  app.post(
    '/boards/:board/join',
    {
      config: { scope: 'write', errors: [ErrorCode.BOARD_FULL, ErrorCode.BOARD_CONFLICT] },
      schema: {
        summary: "Join a player to a tournament board's live period (201 the first time, 200 after)",
        operationId: 'joinBoard',
        tags: ['boards'],
        params: BoardParams,
        headers: KeyHeaders,
        body: { ...JoinBody, examples: [{ user: 'ann' }] },
        response: { 200: JoinedSchema, 201: JoinedSchema, ...errorReplies },
      },
    },
    async (request, reply) => {
      const joined = await ranking.call(
        Command.BoardJoin,
        { board: request.params.board, user: request.body.user },
        callOptions(request),
      );
      return reply.code(joined.created ? 201 : 200).send(joined);
    },
  );
};
