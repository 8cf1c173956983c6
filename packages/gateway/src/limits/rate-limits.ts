/**
 * Rate limits, checked before any work reaches the ranking server: per client address
 * (`RATE_LIMIT` per second, bursts of `RATE_BURST`) and per API key (its `rate`, bursts of one
 * second's worth). nginx spreads requests over the clients evenly, so each client enforces its
 * share — the limit divided by `CLIENTS`. Past a limit: 429 SCOREBOARD_ERR_RATE_LIMITED with
 * `Retry-After`.
 */
import { ErrorCode, ScoreboardError } from '@scoreboard/protocol';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import type { Caller } from '../auth/key-table.js';
import { TokenBuckets } from './token-buckets.js';

/** The limits of one client process. */
export interface RateLimitOptions {
  /** Requests per second per client address; 0: no limit. */
  perAddress: number;
  /** Requests an address may send at once (default: a second's worth). */
  burst: number;
  /** How many client processes share the load (each enforces 1/clients of every limit). */
  clients: number;
}

/** O(1). The error a request past a limit gets. */
function limited(retryAfter: number, what: string): ScoreboardError {
  return new ScoreboardError(ErrorCode.RATE_LIMITED, `Too many requests from this ${what}.`, { retryAfter });
}

/** O(1). Throws RATE_LIMITED when `caller` is past its key's rate (the guard asks, once it knows the key). */
export type KeyLimit = (caller: Caller) => void;

/**
 * Installs the address limit, on each limited route's own `onRequest` (before keys are checked;
 * the probes — health check, metrics — are `unlimited`), and answers the key limit the guard
 * applies once it knows the key (before the body is read). Nothing per request when neither can
 * apply: no address limit, and a caller only when keys are on.
 */
export function limitRates(app: FastifyInstance, options: RateLimitOptions): KeyLimit {
  const share = 1 / Math.max(1, options.clients);
  if (options.perAddress > 0) {
    const addresses = new TokenBuckets();
    const rate = options.perAddress * share;
    const burst = Math.max(1, (options.burst > 0 ? options.burst : options.perAddress) * share);
    const limit = (request: FastifyRequest, _reply: FastifyReply, done: (err?: Error) => void): void => {
      const wait = addresses.take(request.ip, rate, burst, Date.now());
      done(wait > 0 ? limited(wait, 'address') : undefined);
    };
    app.addHook('onRoute', (route: RouteOptions) => {
      if (route.config?.unlimited) return;
      route.onRequest = [...[route.onRequest ?? []].flat(), limit];
    });
  }
  const keys = new TokenBuckets(20_000);
  return (caller) => {
    if (!caller.rate) return;
    const rate = caller.rate * share;
    const wait = keys.take(caller.name, rate, Math.max(1, rate), Date.now());
    if (wait > 0) throw limited(wait, 'key');
  };
}
