/**
 * An app over the reference model for route tests: `send()` injects a request (JSON body when one
 * is given) and answers status, headers and parsed body; `digest()` is everything the fake ranking
 * server holds, to prove a refused request changed nothing.
 */
import { ModelRanking } from '@scoreboard/model';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { buildApp } from '../app.js';
import { KeyTable } from '../auth/key-table.js';
import type { RateLimitOptions } from '../limits/rate-limits.js';
import type { ClientMetrics } from '../metrics.js';

/** What a test sees of an answer. */
export interface Answer {
  status: number;
  headers: Record<string, unknown>;
  body: any;
}

/** Options of {@link modelApp}. */
export interface ModelAppOptions {
  /** The fake ranking server's clock (default Date.now). */
  clock?: () => number;
  /** Turns keys on with this admin key. */
  adminKey?: string;
  publicReads?: boolean;
  /** Another app's fake ranking server, to share one service between two clients. */
  ranking?: ModelRanking;
  rateLimits?: RateLimitOptions;
  metrics?: ClientMetrics;
}

/** An app, its fake ranking server, its key table and a request helper. */
export function modelApp(options: ModelAppOptions = {}) {
  const ranking = options.ranking ?? new ModelRanking(options.clock);
  const logger = pino({ level: 'silent' });
  const keys = new KeyTable(ranking, options.adminKey ?? '', logger);
  const app: FastifyInstance = buildApp({
    ranking,
    logger,
    debug: true,
    keys,
    ...(options.publicReads === undefined ? {} : { publicReads: options.publicReads }),
    ...(options.rateLimits ? { rateLimits: options.rateLimits } : {}),
    ...(options.metrics ? { metrics: options.metrics } : {}),
  });
  const send = async (
    method: 'GET' | 'PUT' | 'POST' | 'DELETE',
    url: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Answer> => {
    const res = await app.inject({
      method,
      url,
      headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
      ...(body === undefined ? {} : { payload: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    let parsed: unknown;
    try {
      parsed = res.body === '' ? undefined : JSON.parse(res.body);
    } catch {
      parsed = res.body;
    }
    return { status: res.statusCode, headers: res.headers, body: parsed };
  };
  return { app, ranking, keys, send, digest: () => ranking.model.digest() };
}
