/**
 * API keys (admin): `POST /keys` makes a key and answers its secret — once: the service keeps only
 * its hash —, `GET /keys` lists names and scopes, `DELETE /keys/:name` revokes one (204; every
 * client stops taking it within a second). With keys off (no ADMIN_KEY) these answer 403.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  Command,
  ErrorCode,
  KeyFieldsSchema,
  KeyNameSchema,
  KeyViewSchema,
  ScoreboardError,
} from '@scoreboard/protocol';
import { Type } from 'typebox';
import { hashOf, newSecret, type KeyTable } from '../auth/key-table.js';
import type { RankingApi } from '../ranking-client.js';
import { errorReplies, sendJsonBytes } from './common.js';

/** What the key routes need. */
export interface KeyRouteOptions {
  ranking: RankingApi;
  keys: KeyTable;
}

/** Registers the key routes. */
export const keyRoutes: FastifyPluginAsyncTypebox<KeyRouteOptions> = async (app, { ranking, keys }) => {
  // Keys off: nobody holds the admin scope these routes need.
  app.addHook('onRequest', async () => {
    if (!keys.enabled) {
      throw new ScoreboardError(
        ErrorCode.AUTH_FORBIDDEN,
        'API keys are off: start the service with ADMIN_KEY set.',
      );
    }
  });

  app.post(
    '/keys',
    {
      config: { scope: 'admin', errors: [ErrorCode.KEY_EXISTS, ErrorCode.KEY_LIMIT_REACHED] },
      schema: {
        summary: 'Make an API key (the secret is shown once)',
        operationId: 'createKey',
        tags: ['keys'],
        body: Type.Object(KeyFieldsSchema, {
          additionalProperties: false,
          examples: [{ name: 'game-server-eu', scopes: ['write'], boards: ['weekly'], rate: 200 }],
        }),
        response: {
          201: Type.Object({ ...KeyViewSchema.properties, secret: Type.String() }),
          ...errorReplies,
        },
      },
    },
    async (request, reply) => {
      const secret = newSecret();
      const view = await ranking.call(
        Command.KeyPut,
        { ...request.body, hash: hashOf(secret) },
        { rid: request.id },
      );
      await keys.sync();
      return reply.code(201).send({ ...view, secret });
    },
  );

  app.get(
    '/keys',
    {
      config: { scope: 'admin' },
      schema: {
        summary: 'Every key: names, scopes, boards, rates — never secrets',
        operationId: 'listKeys',
        tags: ['keys'],
        response: { 200: Type.Array(KeyViewSchema), ...errorReplies },
      },
    },
    async (request, reply) =>
      sendJsonBytes(reply, await ranking.callRaw(Command.KeyList, {}, { rid: request.id })),
  );

  app.delete(
    '/keys/:name',
    {
      config: { scope: 'admin', errors: [ErrorCode.KEY_NOT_FOUND] },
      schema: {
        summary: 'Revoke a key (every client within a second)',
        operationId: 'deleteKey',
        tags: ['keys'],
        params: Type.Object({ name: KeyNameSchema }),
        response: { 204: Type.Null(), ...errorReplies },
      },
    },
    async (request, reply) => {
      await ranking.call(Command.KeyDelete, { name: request.params.name }, { rid: request.id });
      await keys.sync();
      return reply.code(204).send(null);
    },
  );
};
