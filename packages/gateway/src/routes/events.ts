/**
 * `GET /boards/:board/events?n=10&user=ann`: a server-sent event stream of the board's top N
 * (`event: top`, the rows) and, with `user`, that player's standing (`event: player`), sent at once
 * and then whenever they change (see live/live-boards.ts). A comment line every 15 s keeps
 * proxies from closing an idle stream. An unknown board is a JSON 404 before the stream starts.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Command, ErrorCode, ScoreboardError } from '@scoreboard/protocol';
import { Type } from 'typebox';
import type { LiveBoards } from '../live/live-boards.js';
import type { RankingApi } from '../ranking-client.js';
import { BoardParams, UserParam } from '../schemas.js';
import { counter, errorReplies, userOf } from './common.js';

/** Most streams one client holds; past it a new one is a 503 (with Retry-After). */
export const MAX_STREAMS = 20_000;

/** Rows a stream's top may hold. */
const MAX_STREAM_TOP = 100;

/** Registers the events route. */
export const eventRoutes: FastifyPluginAsyncTypebox<{ ranking: RankingApi; live: LiveBoards }> = async (
  app,
  { ranking, live },
) => {
  // Streams never end by themselves: end them when the client stops, or it would wait for them.
  app.addHook('preClose', (done) => {
    live.endAll();
    done();
  });

  app.get(
    '/boards/:board/events',
    {
      config: { scope: 'read', stream: true },
      schema: {
        summary: 'A live stream (server-sent events) of the top N and a watched player',
        operationId: 'getBoardEvents',
        tags: ['reads'],
        params: BoardParams,
        querystring: Type.Object(
          { n: Type.Optional(Type.String({ pattern: '^[0-9]{1,3}$' })), user: Type.Optional(UserParam) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.String({ description: 'text/event-stream: `top` and `player` events' }),
          ...errorReplies,
        },
      },
    },
    async (request, reply) => {
      const n = request.query.n === undefined ? 10 : counter('n', request.query.n, 1, MAX_STREAM_TOP);
      const board = request.params.board;
      if (live.streams >= MAX_STREAMS) throw new ScoreboardError(ErrorCode.RANKING_OVERLOADED);
      await ranking.callRaw(Command.BoardGet, { board }, { rid: request.id }); // a 404 before the stream
      const user = request.query.user === undefined ? undefined : userOf(request.query.user);
      // HEAD says what GET would send, and ends: a stream has no end to wait for.
      if (request.method === 'HEAD') return reply.type('text/event-stream; charset=utf-8').send('');
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        'x-accel-buffering': 'no',
        'x-request-id': request.id,
      });
      res.write(': scoreboard live\n\n');
      let close: (() => void) | undefined;
      let closed = false;
      const heartbeat = setInterval(() => res.write(': ping\n\n'), 15_000);
      const end = () => {
        closed = true;
        clearInterval(heartbeat);
        close?.();
      };
      request.raw.on('close', end);
      res.on('close', end);
      try {
        close = await live.open(board, {
          n,
          user,
          write: (text) => void res.write(text),
          end: () => res.end(),
        });
        if (closed) close();
      } catch (err) {
        request.log.warn({ err }, 'live stream could not start');
        end();
        res.end();
      }
    },
  );
};
