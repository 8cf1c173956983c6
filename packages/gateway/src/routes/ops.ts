/** Operations: `GET /health-check` and `GET /cluster` always; `DELETE /reset` and `GET /debug/digest` only in debug (test) mode. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Command, ErrorCode, RETRY_AFTER_SECONDS, ScoreboardError } from '@scoreboard/protocol';
import { Type } from 'typebox';
import type { RankingApi } from '../ranking-client.js';
import { ClusterSchema, ErrorSchema, HealthSchema } from '../schemas.js';

/** Options of the operations routes. */
export interface OpsOptions {
  ranking: RankingApi;
  debug: boolean;
  /** How long the health check waits for the ranking server. */
  healthTimeoutMs: number;
}

/** Registers the operations routes. */
export const opsRoutes: FastifyPluginAsyncTypebox<OpsOptions> = async (
  app,
  { ranking, debug, healthTimeoutMs },
) => {
  app.get(
    '/health-check',
    {
      config: { scope: 'open', unlimited: true },
      schema: {
        summary: 'Whether this client and the ranking servers answer',
        operationId: 'getHealth',
        tags: ['operations'],
        response: {
          200: HealthSchema,
          503: Type.Object({ status: Type.String(), error: ErrorSchema.properties.error }),
        },
      },
    },
    async (request, reply) => {
      try {
        const health = await ranking.call(
          Command.Ping,
          {},
          { rid: request.id, timeoutMs: healthTimeoutMs, probe: true },
        );
        // Degraded (a full disk, a shard down) is still 200: this client serves what it can, and
        // nginx and Kubernetes must keep routing reads to it.
        if (health.status === 'ok') return { status: 'ok' as const };
        return {
          status: health.status,
          ...(health.reason ? { reason: health.reason } : {}),
          ...(health.shards ? { shards: health.shards } : {}),
        };
      } catch (err) {
        const error =
          err instanceof ScoreboardError ? err : new ScoreboardError(ErrorCode.RANKING_UNAVAILABLE);
        return reply
          .code(503)
          .header('retry-after', String(RETRY_AFTER_SECONDS))
          .send({ status: 'unavailable', ...error.toBody() });
      }
    },
  );

  app.get(
    '/cluster',
    {
      config: { scope: 'admin' },
      schema: {
        summary: "Each shard's replication group: its primary and standbys, with their lag",
        operationId: 'getCluster',
        tags: ['operations'],
        response: { 200: ClusterSchema, '5xx': ErrorSchema },
      },
    },
    async (request) => ({ shards: await ranking.call(Command.Cluster, {}, { rid: request.id }) }),
  );

  if (debug) {
    app.delete(
      '/reset',
      {
        config: { scope: 'admin', board: 'default' },
        schema: {
          hide: true,
          response: { 200: Type.Object({ removed: Type.Integer() }), '5xx': ErrorSchema },
        },
      },
      async (request) => ranking.call(Command.Reset, {}, { rid: request.id }),
    );
    // A digest of the whole state, so tests can prove a refused request changed nothing.
    app.get(
      '/debug/digest',
      {
        config: { scope: 'admin' },
        schema: {
          hide: true,
          response: {
            200: Type.Object({ digest: Type.String(), records: Type.Integer() }),
            '5xx': ErrorSchema,
          },
        },
      },
      async (request) => ranking.call(Command.Digest, {}, { rid: request.id }),
    );
  }
};
