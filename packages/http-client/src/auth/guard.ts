/**
 * Who may call which route. Every route needs one of three scopes, each including the ones before
 * it — `read` (GET), `write` (scores and profiles), `admin` (a board's configuration, period ends,
 * deletions, erasure, keys) — and, for a key limited to some boards, a board among them. Checked
 * on each request before its body is read: a refused request costs no parsing and changes nothing.
 */
import { DEFAULT_BOARD, ErrorCode, SCOPES, ScoreboardError, type Scope } from '@scoreboard/protocol';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Caller, KeyTable } from './key-table.js';

/** Routes that need `admin`, as "METHOD /route" with Fastify's parameter names. */
const ADMIN_ROUTES = new Set([
  'PUT /boards/:board',
  'DELETE /boards/:board',
  'POST /boards/:board/reset',
  'DELETE /players/:user',
  'GET /keys',
  'POST /keys',
  'DELETE /keys/:name',
  'GET /shards',
  'PUT /shards',
  'POST /boards/:board/move',
  'DELETE /reset',
  'GET /debug/digest',
]);

/** Routes anyone may call: the health check, and the metrics (on the client's own port only); the docs too. */
const OPEN_ROUTES = new Set(['GET /health-check', 'GET /metrics']);

/** The pages, their assets and the API docs (route patterns). */
const PAGE_ROUTES = /^\/($|docs(\/|$)|assets\/|leaderboard$|players\/:user\/page$)/;

/** The original routes, which act on the default board. */
const DEFAULT_BOARD_ROUTES = new Set(['/score', '/top/:n', '/top/:position/:scope', '/users/:id', '/reset']);

/** O(1). The scope a route needs, or null for an open one. GET needs read, other methods write. */
export function scopeOf(method: string, url: string): Scope | null {
  const route = `${method} ${url}`;
  if (OPEN_ROUTES.has(route)) return null;
  // The API docs, the pages and their assets: what the service is, not what it holds.
  if ((method === 'GET' || method === 'HEAD') && PAGE_ROUTES.test(url)) return null;
  if (ADMIN_ROUTES.has(route)) return 'admin';
  return method === 'GET' || method === 'HEAD' ? 'read' : 'write';
}

/** O(1). The board a route acts on, or null for one that is not about a single board. */
export function boardOf(url: string, params: unknown): string | null {
  if (DEFAULT_BOARD_ROUTES.has(url)) return DEFAULT_BOARD;
  const board = (params as { board?: unknown } | undefined)?.board;
  return url.startsWith('/boards/:board') && typeof board === 'string' ? board : null;
}

/** O(scopes + boards). True when `caller` may call a route needing `scope` on `board`. */
export function allows(caller: Caller, scope: Scope, board: string | null): boolean {
  const level = SCOPES.indexOf(scope);
  if (!caller.scopes.some((s) => SCOPES.indexOf(s) >= level)) return false;
  if (caller.boards === null) return true;
  // A key limited to boards reaches only routes about one of them (and the reads of none).
  return board === null ? scope === 'read' : caller.boards.includes(board);
}

/** O(1). The key of `Authorization: Bearer <key>`, undefined without one; AUTH_INVALID if malformed. */
function bearerOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header === undefined) return undefined;
  const match = /^Bearer ([\x21-\x7e]{1,256})$/i.exec(header);
  if (!match) throw new ScoreboardError(ErrorCode.AUTH_INVALID, 'Authorization must be "Bearer <key>".');
  return match[1];
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The key the request came with, once checked (undefined: none). */
    caller?: Caller;
  }
}

/**
 * Installs the check on every route (nothing when keys are off). Reads need no key while
 * `publicReads`; a key sent anyway must be valid.
 */
export function guardRoutes(app: FastifyInstance, table: KeyTable, publicReads: boolean): void {
  if (!table.enabled) return;
  app.decorateRequest('caller', undefined);
  app.addHook('onRequest', async (request, reply) => {
    const url = request.routeOptions.url;
    if (url === undefined) return; // no such route: a 404 follows
    const scope = scopeOf(request.method, url);
    if (scope === null) return;
    const secret = bearerOf(request);
    if (secret === undefined) {
      if (scope === 'read' && publicReads) return;
      void reply.header('www-authenticate', 'Bearer');
      throw new ScoreboardError(ErrorCode.AUTH_REQUIRED);
    }
    const caller = await table.identify(secret);
    if (!caller) {
      if (!table.loaded)
        throw new ScoreboardError(ErrorCode.RANKING_UNAVAILABLE, 'The key table is not loaded yet.');
      void reply.header('www-authenticate', 'Bearer error="invalid_token"');
      throw new ScoreboardError(ErrorCode.AUTH_INVALID);
    }
    if (!allows(caller, scope, boardOf(url, request.params))) {
      throw new ScoreboardError(
        ErrorCode.AUTH_FORBIDDEN,
        `The key "${caller.name}" may not ${scope === 'read' ? 'read' : scope === 'write' ? 'write' : 'administer'} this.`,
      );
    }
    request.caller = caller;
  });
}
