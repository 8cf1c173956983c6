/**
 * Players, the routes that answer more than the command's bytes: `PUT /players/:user` creates (201)
 * or changes (200) a profile; `GET /players/:user` shows a ban to an admin key only; a ban is set
 * with `PUT /players/:user/ban` and lifted with `DELETE` (204). The batch write, the export and the
 * erasure (204) are forwarded routes (forward.ts).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { BanSchema, Command, ErrorCode } from '@scoreboard/protocol';
import { allows } from '../auth/guard.js';
import { Type } from 'typebox';
import type { RankingApi } from '../ranking-client.js';
import { KeyHeaders, PlayerViewSchema, ProfileBody, ProfileSchema, UserParam } from '../schemas.js';
import { callOptions, errorReplies, userOf } from './common.js';
import { PROFILE_ERRORS } from './forward.js';

/** A profile body (name, country, 1 KiB of metadata) with room to spare. */
export const PROFILE_BODY_LIMIT = 4 * 1024;

const UserParams = Type.Object({ user: UserParam });

const BanBody = Type.Object(
  { reason: Type.String({ minLength: 1, maxLength: 500 }) },
  { additionalProperties: false },
);

/** Registers the player routes; `keysOn` says whether API keys are checked (off: every caller is admin). */
export const playerRoutes: FastifyPluginAsyncTypebox<{ ranking: RankingApi; keysOn: boolean }> = async (
  app,
  { ranking, keysOn },
) => {
  app.get(
    '/players/:user',
    {
      config: { scope: 'read', errors: [ErrorCode.PLAYER_NOT_FOUND] },
      schema: {
        summary: 'A profile and the ranks on every board (and a ban, to an admin key)',
        operationId: 'getPlayer',
        tags: ['players'],
        params: UserParams,
        response: { 200: PlayerViewSchema, ...errorReplies },
      },
    },
    async (request) => {
      const view = await ranking.call(
        Command.PlayerGet,
        { user: userOf(request.params.user) },
        { rid: request.id },
      );
      // A ban is moderation's business: a player (and anyone without an admin key) never sees it.
      const admin = !keysOn || (request.caller !== undefined && allows(request.caller, 'admin', null));
      if (!admin) delete view.ban;
      return view;
    },
  );

  app.put(
    '/players/:user/ban',
    {
      config: { scope: 'admin' },
      schema: {
        summary: 'Ban a player: their entries leave every read and rank, on every board, until it is lifted',
        operationId: 'banPlayer',
        tags: ['players'],
        params: UserParams,
        body: { ...BanBody, examples: [{ reason: 'impossible scores on golf' }] },
        response: { 200: BanSchema, ...errorReplies },
      },
    },
    async (request) =>
      ranking.call(
        Command.PlayerBan,
        { user: userOf(request.params.user), reason: request.body.reason },
        { rid: request.id },
      ),
  );

  app.delete(
    '/players/:user/ban',
    {
      config: { scope: 'admin', errors: [ErrorCode.BAN_NOT_FOUND] },
      schema: {
        summary: 'Lift a ban: the entries show again with the same totals',
        operationId: 'unbanPlayer',
        tags: ['players'],
        params: UserParams,
        response: { 204: Type.Null(), ...errorReplies },
      },
    },
    async (request, reply) => {
      await ranking.call(Command.PlayerUnban, { user: userOf(request.params.user) }, { rid: request.id });
      return reply.code(204).send(null);
    },
  );

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
