/**
 * An app over the reference model for route tests: `send()` injects a request (JSON body when one
 * is given) and answers status, headers and parsed body; `digest()` is everything the fake ranking
 * server holds, to prove a refused request changed nothing.
 */
import { ModelRanking } from '@scoreboard/model';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { buildApp } from '../app.js';

/** What a test sees of an answer. */
export interface Answer {
  status: number;
  headers: Record<string, unknown>;
  body: any;
}

/** An app, its fake ranking server (at the readings of `clock`), and a request helper. */
export function modelApp(clock: () => number = Date.now) {
  const ranking = new ModelRanking(clock);
  const app: FastifyInstance = buildApp({ ranking, logger: pino({ level: 'silent' }), debug: true });
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
  return { app, ranking, send, digest: () => ranking.model.digest() };
}
