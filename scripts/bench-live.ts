/**
 * `pnpm bench:live`: does a client holding thousands of live streams slow the write path? One
 * client (no nginx, so the client is what is measured) on a board of 100 000 players; rounds
 * alternate 0 and N open streams of `GET /events?n=10` on the board the writes go to (every
 * other stream also watching a player), while wrk sends `PUT /score` with random totals for a
 * few seconds. Prints writes/s per round and side by side, and how many events the streams got.
 * Bounded: every wrk run is killed 30 s past its duration.
 */
import { startCluster, waitFor } from '@scoreboard/tests/harness';
import { request, type ClientRequest } from 'node:http';
import { parseArgs } from 'node:util';
import { runWrk } from './bench/wrk.js';
import { putAbsolute } from './bench/workloads/put-absolute.js';

const { values } = parseArgs({
  options: {
    streams: { type: 'string', default: '2000' },
    seconds: { type: 'string', default: '4' },
    rounds: { type: 'string', default: '2' },
    users: { type: 'string', default: '100000' },
  },
});
const STREAMS = Number(values.streams);
const SECONDS = Number(values.seconds);
const ROUNDS = Number(values.rounds);
const USERS = Number(values.users);

const cluster = await startCluster({ clients: 1, nginx: false });
const url = cluster.endpoints.clients[0]!;
try {
  for (let first = 0; first < USERS; first += 1000) {
    const scores = Array.from({ length: Math.min(1000, USERS - first) }, (_, i) => ({
      user: first + i,
      total: Math.floor(Math.random() * 1_000_000),
    }));
    const res = await fetch(`${url}/boards/default/scores`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ scores }),
    });
    if (!res.ok) throw new Error(`preload: ${res.status} ${await res.text()}`);
  }

  /** Opens `count` streams; answers them and a counter of the events they received. */
  async function openStreams(count: number): Promise<{ requests: ClientRequest[]; events: () => number }> {
    let events = 0;
    let started = 0;
    const requests: ClientRequest[] = [];
    for (let i = 0; i < count; i++) {
      const watch = i % 2 === 0 ? `&user=${(i * 48271) % USERS}` : '';
      const req = request(`${url}/boards/default/events?n=10${watch}`, { agent: false }, (res) => {
        started++;
        res.setEncoding('utf8');
        res.on(
          'data',
          (chunk: string) =>
            (events += chunk.split('\nevent: ').length - 1 + (chunk.startsWith('event: ') ? 1 : 0)),
        );
        res.on('error', () => undefined);
      });
      req.on('error', () => undefined);
      req.end();
      requests.push(req);
    }
    await waitFor(async () => started === count, 60_000, `${count} streams to open`);
    return { requests, events: () => events };
  }

  const rows: Array<{ streams: number; rps: number; p99: number; events: number }> = [];
  for (let round = 0; round < ROUNDS; round++) {
    for (const count of [0, STREAMS]) {
      const open = await openStreams(count);
      const before = open.events();
      const result = runWrk(url, putAbsolute, USERS, {}, { seconds: SECONDS, connections: 64 });
      // runWrk blocks this process: what was pushed meanwhile waits in the sockets; read it now.
      await new Promise((r) => setTimeout(r, 1500));
      rows.push({ streams: count, rps: result.rps, p99: result.p99ms, events: open.events() - before });
      for (const req of open.requests) req.destroy();
      process.stderr.write(`round ${round + 1}, ${count} streams: ${Math.round(result.rps)} writes/s\n`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  const mean = (count: number) => {
    const rs = rows.filter((r) => r.streams === count).map((r) => r.rps);
    return rs.reduce((a, b) => a + b, 0) / rs.length;
  };
  const lines = [
    `| open streams | writes/s by round | mean writes/s | p99 ms by round | events pushed during the run |`,
    `| -----------: | ----------------- | ------------: | --------------- | ---------------------------- |`,
    ...[0, STREAMS].map((count) => {
      const rs = rows.filter((r) => r.streams === count);
      return `| ${count} | ${rs.map((r) => Math.round(r.rps)).join(', ')} | ${Math.round(mean(count))} | ${rs.map((r) => r.p99.toFixed(1)).join(', ')} | ${rs.map((r) => r.events).join(', ')} |`;
    }),
    '',
    `writes/s with ${STREAMS} streams / with none: ${(mean(STREAMS) / mean(0)).toFixed(2)} (rounds alternate, ${SECONDS} s each, one client, PUT /score on a board of ${USERS} players)`,
  ];
  process.stdout.write(lines.join('\n') + '\n');
} finally {
  await cluster.stop();
}
