/**
 * The benchmark's ceiling: a Fastify process that answers every request with a constant JSON body,
 * without any work. Behind the same nginx, it bounds what any implementation of the API can reach
 * on this machine with this many processes.
 */
import { readSettings } from '@scoreboard/config';
import { httpClientSettings } from '@scoreboard/gateway/config';
import { loadConfigOrExit, stopOnSignals } from '@scoreboard/lifecycle';
import Fastify from 'fastify';

// It stands where a client stands, so it reads the client's PORT setting.
const config = loadConfigOrExit('ceiling', () => readSettings({ port: httpClientSettings.port }));
const app = Fastify({ logger: false, bodyLimit: 256 * 1024 });
const body = '{"user":1,"total":1}';
const answer = async (_req: unknown, reply: { type: (t: string) => { send: (b: string) => unknown } }) =>
  reply.type('application/json').send(body);
app.put('/score', answer);
app.get('/top/:n', answer);
app.get('/top/:p/:s', answer);
app.get('/users/:id', answer);
app.get('/health-check', answer);
app.get('/boards/:board/around/:user', answer);
app.get('/boards/:board/countries/:cc/top/:n', answer);
app.get('/boards/:board/users', answer);
app.post('/boards/:board/scores', answer);
await app.listen({ port: config.port, host: '127.0.0.1' });
stopOnSignals({ info: () => undefined, error: () => undefined }, () => app.close());
process.send?.({ type: 'ready', port: config.port });
