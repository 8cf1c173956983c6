/**
 * What is true of a route sits in the route's own options, as fastify routes carry them: its scope
 * and board in `config`, its summary, operation id and tag in `schema`. The guard, the docs and the
 * metrics read them from there; no side table names routes by string.
 *
 * {@link requireRouteFacts} makes a route without its facts a start-up error, not a silent
 * default: every route says who may call it, and every documented route has its words.
 */
import type { ErrorCode, Scope } from '@scoreboard/protocol';
import type { FastifyInstance, RouteOptions } from 'fastify';

/** Who may call a route: a key scope, or anyone (`open`: health, metrics, pages, docs). */
export type RouteScope = Scope | 'open';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call the route (auth/guard.ts). Every route has one. */
    scope?: RouteScope;
    /**
     * The board the route acts on, for a key limited to boards: `param` — its `:board` (set for
     * every route with one); `default` — the default board (the original routes).
     */
    board?: 'param' | 'default';
    /** Catalogue codes only this route answers; the docs add those that follow from its shape. */
    errors?: readonly ErrorCode[];
    /** The body may be left out (the route takes none as `{}`). */
    optionalBody?: boolean;
    /** No rate limit applies (the probes: health check and metrics). */
    unlimited?: boolean;
    /** The route answers a long-lived stream: it is in flight until its socket closes. */
    stream?: boolean;
  }
}

/** The words a documented route has on its schema. */
interface DocumentedSchema {
  summary?: string;
  operationId?: string;
  tags?: string[];
  hide?: boolean;
}

/**
 * O(1) per route. Checks each route's facts as it is added: a `:board` route acts on that board,
 * and once the app is ready every route must have said its scope and, unless hidden from the docs,
 * its summary, operation id and tag — else `ready()` fails naming the routes.
 */
export function requireRouteFacts(app: FastifyInstance): void {
  const routes: RouteOptions[] = [];
  app.addHook('onRoute', (route) => {
    if (route.url.includes('/:board') && route.config?.board === undefined) {
      route.config = { ...route.config, board: 'param' };
    }
    routes.push(route);
  });
  app.addHook('onReady', async () => {
    const missing: string[] = [];
    for (const route of routes) {
      const name = `${[route.method].flat().join(',')} ${route.url}`;
      if (route.config?.scope === undefined) missing.push(`${name}: no scope`);
      const schema = (route.schema ?? {}) as DocumentedSchema;
      if (schema.hide || [route.method].flat().every((m) => m === 'HEAD')) continue;
      if (!schema.summary || !schema.operationId || !schema.tags?.length) {
        missing.push(`${name}: no summary, operationId or tag`);
      }
    }
    if (missing.length > 0) throw new Error(`routes without their facts:\n${missing.join('\n')}`);
  });
}

/**
 * O(1) per route. In the plugin context it is called in, every route that says no scope — those a
 * third-party plugin adds (the docs UI, static assets) — is open and hidden from the API document.
 */
export function openPluginRoutes(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    if (route.config?.scope !== undefined) return;
    route.config = { ...route.config, scope: 'open' };
    route.schema = { ...route.schema, hide: true };
  });
}
