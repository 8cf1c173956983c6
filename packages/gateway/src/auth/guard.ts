/**
 * Who may call which route. Every route says in its own options (routes/facts.ts) whether it is
 * open or needs one of three scopes, each including the ones before it — `read`, `write` (scores
 * and profiles), `admin` (a board's configuration, period ends, deletions, erasure, keys) — and,
 * for a key limited to some boards, which board it acts on. Checked on each request before its
 * body is read: a refused request costs no parsing and changes nothing.
 */
import { DEFAULT_BOARD, ErrorCode, SCOPES, ScoreboardError, type Scope } from '@scoreboard/protocol';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import type { KeyLimit } from '../limits/rate-limits.js';
import type { Caller, KeyTable } from './key-table.js';

/**
 * O(1). The board a request acts on, from its route's board fact `which`: its `:board` parameter,
 * the default board (the original routes), or null for a route not about a single board.
 */
function boardIn(which: 'param' | 'default' | undefined, request: FastifyRequest): string | null {
  if (which === 'default') return DEFAULT_BOARD;
  const board = (request.params as { board?: unknown } | undefined)?.board;
  return which === 'param' && typeof board === 'string' ? board : null;
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
 * Installs the check on each route that needs a key, as the route's own `onRequest` (nothing when
 * keys are off, nothing on an open route); then the key's own rate (`keyLimit`). Reads need no
 * key while `publicReads`; a key sent anyway must be valid.
 */
export function guardRoutes(
  app: FastifyInstance,
  table: KeyTable,
  publicReads: boolean,
  keyLimit: KeyLimit,
): void {
  if (!table.enabled) return;
  app.decorateRequest('caller', undefined);
  app.addHook('onRoute', (route: RouteOptions) => {
    // Every route says its scope (routes/facts.ts); a route without one is the docs' own.
    const scope = route.config?.scope;
    if (scope === undefined || scope === 'open') return;
    const which = route.config?.board;
    const check = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
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
      if (!allows(caller, scope, boardIn(which, request))) {
        throw new ScoreboardError(
          ErrorCode.AUTH_FORBIDDEN,
          `The key "${caller.name}" may not ${scope === 'read' ? 'read' : scope === 'write' ? 'write' : 'administer'} this.`,
        );
      }
      keyLimit(caller);
      request.caller = caller;
    };
    route.onRequest = [...[route.onRequest ?? []].flat(), check];
  });
}
