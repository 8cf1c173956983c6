/**
 * Players, the route that answers more than the command's bytes: `PUT /players/:user` creates (201)
 * or changes (200) a profile. The batch write, the read and the erasure (204) are forwarded routes
 * (forward.ts).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Command } from '@scoreboard/protocol';
import { Type } from 'typebox';
import type { RankingApi } from '../ranking-client.js';
import { KeyHeaders, ProfileBody, ProfileSchema, UserParam } from '../schemas.js';
import { callOptions, errorReplies, userOf } from './common.js';
import { PROFILE_ERRORS } from './forward.js';

/** A profile body (name, country, 1 KiB of metadata) with room to spare. */
export const PROFILE_BODY_LIMIT = 4 * 1024;

const UserParams = Type.Object({ user: UserParam });

/** Registers the player routes. */
export const playerRoutes: FastifyPluginAsyncTypebox<{ ranking: RankingApi }> = async (app, { ranking }) => {
  app.put(
    '/players/:user',
    {
      bodyLimit: PROFILE_BODY_LIMIT,
      config: { scope: 'write', errors: PROFILE_ERRORS },
      schema: {
        summary: "Create or change a player's profile",
        operationId: 'putPlayer',
        tags: ['players'],
        params: UserParams,
        headers: KeyHeaders,
        body: { ...ProfileBody, examples: [{ name: 'Ann', country: 'IE', metadata: { avatar: 3 } }] },
        response: { 200: ProfileSchema, 201: ProfileSchema, ...errorReplies },
      },
    },
    async (request, reply) => {
      const args = { user: userOf(request.params.user), ...request.body };
      const { created, player } = await ranking.call(Command.PlayerPut, args, callOptions(request));
      return reply.code(created ? 201 : 200).send(player);
    },
  );
};
