/** What the routes share: counters in paths, score bodies as writes, call options, rank styles. */
import {
  ErrorCode,
  MAX_AROUND,
  MAX_PAGE,
  ScoreboardError,
  canonicalUserId,
  parseRelativeScore,
  type RankStyle,
  type UserId,
} from '@scoreboard/protocol';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CallOptions } from '../ranking-client.js';
import { ErrorSchema } from '../schemas.js';

/** Error replies every route documents. */
export const errorReplies = { '4xx': ErrorSchema, '5xx': ErrorSchema } as const;

/** O(1). A path or query counter within [min, max], or a 400 naming it. */
export function counter(name: string, raw: string, min: number, max: number): number {
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new ScoreboardError(ErrorCode.HTTP_VALIDATION, `${name} must be an integer from ${min} to ${max}.`);
  }
  return n;
}

/** O(length). A user id from a path (the schema checked its characters): "123" becomes 123. */
export function userOf(raw: string): UserId {
  return canonicalUserId(raw)!;
}

/**
 * O(1). The write a `PUT /score`-shaped body asks for: an absolute total, or a relative score
 * parsed from "+10"/"-115"/an integer. A bad score is a 400 (prefixed with `where` in a batch).
 */
export function writeOf(
  body: ({ user: string | number; total: number } | { user: string | number; score: string | number }) & {
    subscore?: number;
    metadata?: Record<string, unknown>;
  },
  where = '',
): ({ user: UserId; total: number } | { user: UserId; delta: number }) & {
  subscore?: number;
  metadata?: Record<string, unknown>;
} {
  // The schema admits only valid ids; canonicalising turns "123" into 123.
  const user = canonicalUserId(body.user)!;
  const metadata = {
    ...(body.subscore === undefined ? {} : { subscore: body.subscore }),
    ...(body.metadata === undefined ? {} : { metadata: body.metadata }),
  };
  if ('total' in body) return { user, total: body.total, ...metadata };
  const delta = parseRelativeScore(body.score);
  if (delta === undefined) {
    throw new ScoreboardError(
      ErrorCode.HTTP_VALIDATION,
      `${where}score must be a signed integer such as "+10" or "-115", within ±(2^53-1).`,
    );
  }
  return { user, delta, ...metadata };
}

/** O(1). The options a call carries: the request id, and the Idempotency-Key when there is one. */
export function callOptions(request: FastifyRequest): CallOptions {
  const opts: CallOptions = { rid: request.id };
  const key = request.headers['idempotency-key'];
  if (typeof key === 'string') opts.key = key;
  return opts;
}

/** O(1). `{rank}` for a call when the query names a style (the server's default is ordinal). */
export function rankArg(query: { rank?: RankStyle }): { rank?: RankStyle } {
  return query.rank ? { rank: query.rank } : {};
}

/** O(1). `{position, scope}` of a `…/top/:position/:scope` path (P ≥ 1, 0 ≤ S ≤ MAX_PAGE), or a 400. */
export function windowOf(params: { position: string; scope: string }): { position: number; scope: number } {
  return {
    position: counter('P', params.position, 1, Number.MAX_SAFE_INTEGER),
    scope: counter('S', params.scope, 0, MAX_PAGE),
  };
}

/** Rows on each side of the player in an around-me window unless `?size` says otherwise. */
export const DEFAULT_AROUND_SIZE = 5;

/** O(1). `{size, rank?}` of an around-me query (size 0–MAX_AROUND, default 5), or a 400. */
export function aroundOf(query: { size?: string; rank?: RankStyle }): { size: number; rank?: RankStyle } {
  const size = query.size === undefined ? DEFAULT_AROUND_SIZE : counter('size', query.size, 0, MAX_AROUND);
  return { size, ...rankArg(query) };
}

/** The content type Fastify's own serialiser gives JSON replies. */
const JSON_TYPE = 'application/json; charset=utf-8';

/**
 * O(1). Sends bytes that already are the JSON body (a ranking server result) as they are: Fastify
 * neither parses nor serialises a Buffer, so the response schema documents the shape but costs
 * nothing here.
 */
export function sendJsonBytes(reply: FastifyReply, bytes: Buffer): FastifyReply {
  return reply.type(JSON_TYPE).send(bytes);
}
