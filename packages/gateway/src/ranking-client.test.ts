import { Command, ErrorCode, decodeRequests, encodeReplies, okReply } from '@scoreboard/protocol';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { Router } from 'zeromq';
import { RankingClient } from './ranking-client.js';

const logger = pino({ level: 'silent' });

/**
 * A ROUTER that records every message and answers while `state.answer` is set — except messages
 * holding a SetTotal, which it never answers when `state.holdWrites` is set (a stalled log's writes).
 */
async function fakeServer(state: { answer: boolean; holdWrites?: boolean }) {
  const router = new Router({ linger: 0 });
  await router.bind('tcp://127.0.0.1:*');
  const messages: number[] = [];
  void (async () => {
    try {
      for await (const [identity, frame] of router) {
        const reqs = decodeRequests(frame!);
        messages.push(reqs.length);
        if (state.holdWrites && reqs.some((r) => r.ok && r.request.cmd === Command.SetTotal)) continue;
        if (state.answer) {
          const replies = reqs.map((r) =>
            r.ok ? okReply(r.request.id, { status: 'ok', users: 0 }) : r.reply,
          );
          await router.send([identity!, encodeReplies(replies)]);
        }
      }
    } catch {
      // closed
    }
  })();
  return { router, endpoint: router.lastEndpoint!, messages };
}

describe('RankingClient', () => {
  const closers: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const c of closers.splice(0).reverse()) await c();
  });

  async function connected(
    answer: boolean,
    opts: { timeoutMs?: number; maxPending?: number; holdWrites?: boolean } = {},
  ) {
    const state = { answer: true, holdWrites: opts.holdWrites ?? false };
    const server = await fakeServer(state);
    closers.push(() => server.router.close());
    const client = new RankingClient({
      endpoint: server.endpoint,
      logger,
      timeoutMs: opts.timeoutMs ?? 2000,
      ...(opts.maxPending ? { maxPending: opts.maxPending } : {}),
    });
    client.start();
    closers.push(() => client.stop());
    // Wait for the connection: with `immediate`, nothing is queued before it exists.
    for (let i = 0; i < 100; i++) {
      try {
        await client.call(Command.Ping, {}, { timeoutMs: 200, probe: true });
        break;
      } catch {
        await new Promise((r) => setTimeout(r, 20));
      }
    }
    state.answer = answer;
    return { server, client };
  }

  it('sends the requests of one event-loop turn as one message', async () => {
    const { server, client } = await connected(true);
    server.messages.length = 0;
    const results = await Promise.all(Array.from({ length: 300 }, () => client.call(Command.Ping, {})));
    expect(results).toHaveLength(300);
    expect(server.messages).toEqual([300]);
  });

  it('refuses past its in-flight bound with RANKING_OVERLOADED, at once', async () => {
    const { client } = await connected(false, { maxPending: 5, timeoutMs: 500 });
    const pending = Array.from({ length: 5 }, () => client.call(Command.Ping, {}).catch((e: unknown) => e));
    await expect(client.call(Command.Ping, {})).rejects.toMatchObject({ code: ErrorCode.RANKING_OVERLOADED });
    const settled = await Promise.all(pending);
    expect(settled.every((e) => (e as { code?: string }).code === ErrorCode.RANKING_UNAVAILABLE)).toBe(true);
  });

  it('times out unanswered requests, then fails fast until the server answers', async () => {
    const { client } = await connected(false, { timeoutMs: 200 });
    const started = Date.now();
    await expect(client.call(Command.Ping, {})).rejects.toMatchObject({
      code: ErrorCode.RANKING_UNAVAILABLE,
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect(client.isDown).toBe(true);
    const fast = Date.now();
    await expect(client.call(Command.Ping, {})).rejects.toMatchObject({
      code: ErrorCode.RANKING_UNAVAILABLE,
    });
    expect(Date.now() - fast).toBeLessThan(150); // far below the 400 ms timeout
  });

  it('keeps answering reads while the server holds the replies of earlier writes, and is not down', async () => {
    const { server, client } = await connected(true, { timeoutMs: 600, holdWrites: true });
    // Two messages of writes, each held: the in-flight window (2 messages) is full of them.
    const writes = [
      client.call(Command.SetTotal, { user: 1, total: 1 }).catch((e: unknown) => e),
      await new Promise((r) => setImmediate(r)),
      client.call(Command.SetTotal, { user: 2, total: 1 }).catch((e: unknown) => e),
    ];
    await new Promise((r) => setImmediate(r));
    const started = Date.now();
    for (let i = 0; i < 5; i++) await client.call(Command.Ping, {});
    // Reads wait for the held messages to stop counting (100 ms), not for their timeout (600 ms).
    expect(Date.now() - started).toBeLessThan(450);
    // The writes time out; the server answered reads meanwhile, so it is not down.
    const settled = await Promise.all(writes);
    expect([settled[0], settled[2]]).toMatchObject([
      { code: ErrorCode.RANKING_UNAVAILABLE },
      { code: ErrorCode.RANKING_UNAVAILABLE },
    ]);
    await client.call(Command.Ping, {});
    await new Promise((r) => setTimeout(r, 100)); // the sweeper has looked since
    expect(client.isDown).toBe(false);
    await expect(client.call(Command.Ping, {})).resolves.toBeDefined();
    expect(server.messages.length).toBeGreaterThanOrEqual(7);
  });

  it('fails at once when no ranking server is connected (nothing is queued for later)', async () => {
    const client = new RankingClient({ endpoint: 'tcp://127.0.0.1:1', logger, timeoutMs: 2000 });
    client.start();
    closers.push(() => client.stop());
    const started = Date.now();
    await expect(client.call(Command.SetTotal, { user: 1, total: 1 })).rejects.toMatchObject({
      code: ErrorCode.RANKING_UNAVAILABLE,
    });
    expect(Date.now() - started).toBeLessThan(500);
  });
});
