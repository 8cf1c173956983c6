/**
 * The benchmark's peer: the scoreboard's HTTP API on Fastify + ioredis over one Redis sorted set,
 * as a team would build it without our ranking server. One process per port, like our clients.
 * Same routes, same JSON; validation is the same user-id and score rules, done by hand.
 *
 * Named boards the Redis way: a sorted set per board (`board:<id>`) and per board and country
 * (`board:<id>:cc:<CC>`), a hash per player (`player:<id>` with name and country). The product
 * routes the benchmark drives are here: around-me, a country's top page, a friends lookup and a
 * batch of writes, each answering what ours answers (rows with rank, name and country).
 *
 * Differences from ours, stated so the comparison stays honest: Redis orders equal totals by
 * member name, not by who reached the total first; relative updates use ZINCRBY (no range check);
 * a batch is pipelined, not atomic; a player's country sets must be kept by the writer (the batch
 * route writes the board's set only, as the benchmark's batches write players with no country).
 */
import { port, readSettings, setting } from '@scoreboard/config';
import { httpClientSettings } from '@scoreboard/gateway/config';
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
const app = Fastify({ logger: false, bodyLimit: 256 * 1024 });

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

// ---------------------------------------------------------------- named boards

type Row = { user: UserId; total: number; rank: number; name?: string; country?: string };

/** Rows from ZREVRANGE … WITHSCORES starting at 0-based rank `start`, with names and countries. */
async function rows(flat: string[], start: number): Promise<Row[]> {
  const out: Row[] = [];
  const pipe = redis.pipeline();
  for (let i = 0; i < flat.length; i += 2) {
    out.push({ user: member(flat[i]!), total: Number(flat[i + 1]), rank: start + i / 2 + 1 });
    pipe.hmget(`player:${flat[i]!}`, 'name', 'country');
  }
  const profiles = (await pipe.exec()) ?? [];
  profiles.forEach(([, value], i) => {
    const [name, country] = (value as Array<string | null>) ?? [];
    if (name) out[i]!.name = name;
    if (country) out[i]!.country = country;
  });
  return out;
}

app.get('/boards/:board/around/:user', async (request, reply) => {
  const { board, user } = request.params as { board: string; user: string };
  const size = Number((request.query as { size?: string }).size ?? 5);
  const key = `board:${board}`;
  const [rank, count] = await Promise.all([redis.zrevrank(key, user), redis.zcard(key)]);
  if (rank === null)
    return reply
      .code(404)
      .send({ error: { code: 'SCOREBOARD_ERR_USER_NOT_FOUND', message: 'No such user.' } });
  const want = 2 * size + 1;
  const start = Math.max(0, Math.min(rank - size, count - want));
  return rows(await redis.zrevrange(key, start, start + want - 1, 'WITHSCORES'), start);
});

app.get('/boards/:board/countries/:cc/top/:n', async (request) => {
  const { board, cc, n } = request.params as { board: string; cc: string; n: string };
  const flat = await redis.zrevrange(`board:${board}:cc:${cc.toUpperCase()}`, 0, Number(n) - 1, 'WITHSCORES');
  return rows(flat, 0);
});

app.get('/boards/:board/users', async (request) => {
  const { board } = request.params as { board: string };
  const ids = ((request.query as { ids?: string }).ids ?? '').split(',');
  const key = `board:${board}`;
  const pipe = redis.pipeline();
  for (const id of ids) pipe.zscore(key, id).zrevrank(key, id).hmget(`player:${id}`, 'name', 'country');
  const replies = (await pipe.exec()) ?? [];
  const out: Row[] = [];
  ids.forEach((id, i) => {
    const score = replies[3 * i]![1] as string | null;
    const rank = replies[3 * i + 1]![1] as number | null;
    if (score === null || rank === null) return;
    const row: Row = { user: member(id), total: Number(score), rank: rank + 1 };
    const [name, country] = replies[3 * i + 2]![1] as Array<string | null>;
    if (name) row.name = name;
    if (country) row.country = country;
    out.push(row);
  });
  return out.sort((a, b) => a.rank - b.rank);
});

app.post('/boards/:board/scores', async (request, reply) => {
  const { board } = request.params as { board: string };
  const scores = (request.body as { scores?: Array<{ user: unknown; total: unknown }> } | null)?.scores;
  if (!Array.isArray(scores) || scores.length === 0 || scores.length > 1000) return bad(reply, 'bad batch');
  const key = `board:${board}`;
  const pipe = redis.pipeline();
  for (const item of scores) {
    const user = canonicalUserId(item.user);
    if (user === undefined || !isValidTotal(item.total)) return bad(reply, 'bad item');
    pipe.zadd(key, item.total, String(user)).zrevrank(key, String(user));
  }
  const replies = (await pipe.exec()) ?? [];
  return {
    results: scores.map((item, i) => ({
      user: canonicalUserId(item.user)!,
      total: item.total,
      rank: (replies[2 * i + 1]![1] as number) + 1,
    })),
  };
});

app.get('/health-check', async () => ({ status: (await redis.ping()) === 'PONG' ? 'ok' : 'down' }));

await app.listen({ port: config.port, host: '127.0.0.1' });
stopOnSignals({ info: () => undefined, error: () => undefined }, async () => {
  await app.close();
  redis.disconnect();
});
process.send?.({ type: 'ready', port: config.port });
