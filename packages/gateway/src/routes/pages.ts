/**
 * The browser pages: `GET /leaderboard?board=<id>` (the live leaderboard), and their files under
 * `/assets/` (CSS and JavaScript, cached for an hour and revalidated by ETag). The pages need no
 * key: they read through the public routes, which say 401 themselves when reads need a key.
 */
import fastifyStatic from '@fastify/static';
import { PAGES, PUBLIC_DIR } from '@scoreboard/web';
import type { FastifyPluginAsync } from 'fastify';
import { openPluginRoutes } from './facts.js';

/** Registers the pages and their assets. */
export const pageRoutes: FastifyPluginAsync = async (app) => {
  // The asset routes @fastify/static adds are open and undocumented; the pages say their own facts.
  openPluginRoutes(app);
  await app.register(fastifyStatic, {
    root: PUBLIC_DIR,
    prefix: '/assets/',
    maxAge: 3_600_000,
    etag: true,
    index: false,
  });
  for (const [route, page] of Object.entries(PAGES)) {
    app.get(
      route,
      {
        config: { scope: 'open' },
        schema: { summary: page.summary, operationId: page.operationId, tags: ['pages'] },
      },
      async (_request, reply) => reply.header('cache-control', 'no-cache').sendFile(page.file, PUBLIC_DIR),
    );
  }
};
