/**
 * Players: `PUT /players/:user` writes a profile (201 created, 200 updated), `POST /players` writes
 * 1–1 000 (validated whole), `GET /players/:user` answers the profile with a placement on every
 * board, `DELETE /players/:user` erases the player everywhere (204).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Command } from '@scoreboard/protocol';
import { Type } from 'typebox';
import type { RankingApi } from '../ranking-client.js';
import {
  PlayerBatchBody,
  PlayerViewSchema,
  ProfileBody,
  ProfileSchema,
  KeyHeaders,
  UserParam,
} from '../schemas.js';
import { callOptions, errorReplies, userOf } from './common.js';
import { sendJsonBytes } from './json-bytes.js';

/** Largest body of one profile: 1 KiB of metadata and a name, with room to spare. */
export const PROFILE_BODY_LIMIT = 4 * 1024;
/** Largest body of a profile batch: 1 000 profiles. */
export const PLAYER_BATCH_BODY_LIMIT = 2 * 1024 * 1024;

const UserParams = Type.Object({ user: UserParam });

/** Registers the player routes. */
export const playerRoutes: FastifyPluginAsyncTypebox<{ ranking: RankingApi }> = async (app, { ranking }) => {
  app.put(
    '/players/:user',
    {
      bodyLimit: PROFILE_BODY_LIMIT,
      schema: {
        params: UserParams,
        headers: KeyHeaders,
        body: ProfileBody,
        response: { 200: ProfileSchema, 201: ProfileSchema, ...errorReplies },
      },
    },
    async (request, reply) => {
      const args = { user: userOf(request.params.user), ...request.body };
      const { created, player } = await ranking.call(Command.PlayerPut, args, callOptions(request));
      return reply.code(created ? 201 : 200).send(player);
    },
  );

  app.post(
    '/players',
    {
      bodyLimit: PLAYER_BATCH_BODY_LIMIT,
      schema: {
        headers: KeyHeaders,
        body: PlayerBatchBody,
        response: { 200: Type.Object({ created: Type.Integer(), updated: Type.Integer() }), ...errorReplies },
      },
    },
    async (request, reply) =>
      sendJsonBytes(reply, await ranking.callRaw(Command.PlayerBatch, request.body, callOptions(request))),
  );

  app.get(
    '/players/:user',
    { schema: { params: UserParams, response: { 200: PlayerViewSchema, ...errorReplies } } },
    async (request, reply) =>
      sendJsonBytes(
        reply,
        await ranking.callRaw(Command.PlayerGet, { user: userOf(request.params.user) }, { rid: request.id }),
      ),
  );

  app.delete(
    '/players/:user',
    { schema: { params: UserParams, response: { 204: Type.Null(), ...errorReplies } } },
    async (request, reply) => {
      await ranking.call(Command.PlayerDelete, { user: userOf(request.params.user) }, { rid: request.id });
      return reply.code(204).send(null);
    },
  );
};
