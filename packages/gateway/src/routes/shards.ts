/**
 * Shards (admin): `GET /shards` answers the shard map, `PUT /shards` changes the layout new boards
 * are spread over (no board moves), `POST /boards/:board/move` moves one board to a shard while the
 * system runs. `scoreboard reshard --to N` is these three in a loop; see the README's "Shards".
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  ErrorCode,
  MAX_SHARDS,
  ScoreboardError,
  ShardsAnswerSchema,
  type ShardMap,
} from '@scoreboard/protocol';
import { Type } from 'typebox';
import { BoardParams } from '../schemas.js';
import type { BoardMover } from '../shards/board-mover.js';
import { errorReplies } from './common.js';

/** What the shard routes need: the mover, absent when the ranking API is not sharded (tests). */
export interface ShardRouteOptions {
  mover: BoardMover | undefined;
  /** Shards this client holds a DEALER to. */
  shards: number;
}

const MoveReportSchema = Type.Object({
  board: Type.String(),
  from: Type.Integer(),
  to: Type.Integer(),
  entries: Type.Integer({ description: "entries of the board's live period" }),
  pausedMs: Type.Integer({ description: "how long the board's writes waited, ms" }),
});

/** Registers the shard routes. */
export const shardRoutes: FastifyPluginAsyncTypebox<ShardRouteOptions> = async (app, { mover, shards }) => {
  const need = (): BoardMover => {
    if (!mover) {
      throw new ScoreboardError(ErrorCode.HTTP_NOT_IMPLEMENTED, 'This client does not hold the shards.');
    }
    return mover;
  };
  const view = (map: ShardMap) => ({ shards, ...map });

  app.get(
    '/shards',
    {
      config: { scope: 'admin', errors: [ErrorCode.HTTP_NOT_IMPLEMENTED] },
      schema: {
        summary: 'The shard map: where boards live, and the moves a reshard has left',
        operationId: 'getShards',
        tags: ['shards'],
        response: { 200: ShardsAnswerSchema, ...errorReplies },
      },
    },
    async () => view(await need().map()),
  );

  app.put(
    '/shards',
    {
      config: { scope: 'admin', errors: [ErrorCode.SHARD_MAP_STALE, ErrorCode.HTTP_NOT_IMPLEMENTED] },
      schema: {
        summary: 'Spread new boards over `layout` shards; existing boards stay where they are',
        operationId: 'putShards',
        tags: ['shards'],
        body: Type.Object(
          { layout: Type.Integer({ minimum: 1, maximum: MAX_SHARDS }) },
          { additionalProperties: false, examples: [{ layout: 3 }] },
        ),
        response: { 200: ShardsAnswerSchema, ...errorReplies },
      },
    },
    async (request) => view(await need().setLayout(request.body.layout)),
  );

  app.post(
    '/boards/:board/move',
    {
      config: {
        scope: 'admin',
        errors: [ErrorCode.SHARD_MAP_STALE, ErrorCode.SHARD_OWNS_BOARD, ErrorCode.HTTP_NOT_IMPLEMENTED],
      },
      schema: {
        summary: 'Move a board to another shard while it runs (its writes pause; `pausedMs` says how long)',
        operationId: 'moveBoard',
        tags: ['shards'],
        params: BoardParams,
        body: Type.Object(
          { shard: Type.Integer({ minimum: 0, maximum: MAX_SHARDS - 1 }) },
          { additionalProperties: false, examples: [{ shard: 2 }] },
        ),
        response: { 200: MoveReportSchema, ...errorReplies },
      },
    },
    async (request) => need().move(request.params.board, request.body.shard),
  );
};
