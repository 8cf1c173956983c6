import { Command, ErrorCode, decodeRequests, encodeReplies, okReply } from '@scoreboard/protocol';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { Router } from 'zeromq';
import { RankingClient } from './ranking-client.js';

const logger = pino({ level: 'silent' });

/** A ROUTER that records every message and answers while `state.answer` is set. */
async function fakeServer(state: { answer: boolean }) {
  const router = new Router({ linger: 0 });
  await router.bind('tcp://127.0.0.1:*');
  const messages: number[] = [];
  void (async () => {
    try {
      for await (const [identity, frame] of router) {
        const reqs = decodeRequests(frame!);
        messages.push(reqs.length);
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

  async function connected(answer: boolean, opts: { timeoutMs?: number; maxPending?: number } = {}) {
    const state = { answer: true };
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
