/**
 * The benchmark's peer: the scoreboard's HTTP API on Fastify + ioredis over one Redis sorted set,
 * as a team would build it without our ranking server. One process per port, like our clients.
 * Same routes, same JSON; validation is the same user-id and score rules, done by hand.
 *
 * Differences from ours, stated so the comparison stays honest: Redis orders equal totals by
 * member name, not by who reached the total first; relative updates use ZINCRBY (no range check).
 */
import { port, readSettings, setting } from '@scoreboard/config';
import { httpClientSettings } from '@scoreboard/http-client/config';
import { loadConfigOrExit, stopOnSignals } from '@scoreboard/lifecycle';
import {
  MAX_PAGE,
  canonicalUserId,
  isValidTotal,
  parseRelativeScore,
  type UserId,
} from '@scoreboard/protocol';
import Fastify from 'fastify';
import { Redis } from 'ioredis';

const config = loadConfigOrExit('redis-peer', () =>
  readSettings({
    // It stands where a client stands, so it reads the client's PORT setting.
    port: httpClientSettings.port,
    redisPort: setting({
      env: 'REDIS_PORT',
      flag: 'redis-port',
      parse: port,
      default: 6379,
      doc: 'Redis port',
    }),
  }),
);

const KEY = 'scoreboard';
const redis = new Redis({
  port: config.redisPort,
  host: '127.0.0.1',
  enableAutoPipelining: true,
  lazyConnect: false,
});
const app = Fastify({ logger: false, bodyLimit: 1024 });

const bad = (reply: { code: (n: number) => { send: (b: unknown) => unknown } }, message: string) =>
  reply.code(400).send({ error: { code: 'SCOREBOARD_ERR_HTTP_VALIDATION', message } });

/** Redis members are strings; numeric ids come back as numbers, as in our API. */
const member = (raw: string): UserId => canonicalUserId(raw) ?? raw;

function pairs(flat: string[]): Array<{ user: UserId; total: number }> {
  const out: Array<{ user: UserId; total: number }> = [];
  for (let i = 0; i < flat.length; i += 2) out.push({ user: member(flat[i]!), total: Number(flat[i + 1]) });
  return out;
}

app.put('/score', async (request, reply) => {
  const body = request.body as Record<string, unknown> | null;
  const user = canonicalUserId(body?.['user']);
  if (!body || user === undefined) return bad(reply, 'bad user');
  if ('total' in body) {
    if (!isValidTotal(body['total']) || 'score' in body) return bad(reply, 'bad total');
    await redis.zadd(KEY, body['total'], String(user));
    return { user, total: body['total'] };
  }
  const delta = parseRelativeScore(body['score']);
  if (delta === undefined) return bad(reply, 'bad score');
  const total = Number(await redis.zincrby(KEY, delta, String(user)));
  return { user, total };
});

app.get('/top/:n', async (request, reply) => {
  const n = Number((request.params as { n: string }).n);
  if (!Number.isInteger(n) || n < 0 || n > MAX_PAGE) return bad(reply, 'bad N');
  if (n === 0) return [];
  return pairs(await redis.zrevrange(KEY, 0, n - 1, 'WITHSCORES'));
});

app.get('/top/:p/:s', async (request, reply) => {
  const { p, s } = request.params as { p: string; s: string };
  const position = Number(p);
  const scope = Number(s);
  if (
    !Number.isInteger(position) ||
    position < 1 ||
    !Number.isInteger(scope) ||
    scope < 0 ||
    scope > MAX_PAGE
  ) {
    return bad(reply, 'bad P or S');
  }
  return pairs(
    await redis.zrevrange(KEY, Math.max(0, position - scope - 1), position + scope - 1, 'WITHSCORES'),
  );
});

app.get('/users/:id', async (request, reply) => {
  const user = canonicalUserId((request.params as { id: string }).id);
  if (user === undefined) return bad(reply, 'bad id');
  const [rank, score] = await Promise.all([
    redis.zrevrank(KEY, String(user)),
    redis.zscore(KEY, String(user)),
  ]);
  if (rank === null || score === null) {
    return reply
      .code(404)
      .send({ error: { code: 'SCOREBOARD_ERR_USER_NOT_FOUND', message: 'No such user.' } });
  }
  return { user, total: Number(score), rank: rank + 1 };
});

app.get('/health-check', async () => ({ status: (await redis.ping()) === 'PONG' ? 'ok' : 'down' }));

await app.listen({ port: config.port, host: '127.0.0.1' });
stopOnSignals({ info: () => undefined, error: () => undefined }, async () => {
  await app.close();
  redis.disconnect();
});
process.send?.({ type: 'ready', port: config.port });
