/**
 * Rate limits, checked before any work reaches the ranking server: per client address
 * (`RATE_LIMIT` per second, bursts of `RATE_BURST`) and per API key (its `rate`, bursts of one
 * second's worth). nginx spreads requests over the clients evenly, so each client enforces its
 * share — the limit divided by `CLIENTS`. Past a limit: 429 SCOREBOARD_ERR_RATE_LIMITED with
 * `Retry-After`.
 */
import { ErrorCode, ScoreboardError } from '@scoreboard/protocol';
import type { FastifyInstance } from 'fastify';
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

/**
 * Installs the limits: the address limit on `onRequest` (before keys are checked), the key limit
 * on `preParsing` (after them, before the body is read). Nothing when neither can apply.
 */
export function limitRates(app: FastifyInstance, options: RateLimitOptions): void {
  const share = 1 / Math.max(1, options.clients);
  if (options.perAddress > 0) {
    const addresses = new TokenBuckets();
    const rate = options.perAddress * share;
    const burst = Math.max(1, (options.burst > 0 ? options.burst : options.perAddress) * share);
    app.addHook('onRequest', async (request) => {
      if (request.routeOptions.config.unlimited) return; // probes: the health check, the metrics
      const wait = addresses.take(request.ip, rate, burst, Date.now());
      if (wait > 0) throw limited(wait, 'address');
    });
  }
  const keys = new TokenBuckets(20_000);
  app.addHook('preParsing', async (request) => {
    const key = request.caller;
    if (!key?.rate) return;
    const rate = key.rate * share;
    const wait = keys.take(key.name, rate, Math.max(1, rate), Date.now());
    if (wait > 0) throw limited(wait, 'key');
  });
}
