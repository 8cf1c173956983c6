import { Command } from '@scoreboard/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { Subscriber } from 'zeromq';
import type { RankingService } from './service.js';
import { requester, testService } from './test-support/engine-harness.js';

let service: RankingService | undefined;
let sub: Subscriber | undefined;
afterEach(async () => {
  sub?.close();
  await service?.stop();
});

/** Every notice received within `ms`. */
async function collect(
  socket: Subscriber,
  ms: number,
): Promise<Array<{ topic: string; board: string; top: number }>> {
  const got: Array<{ topic: string; board: string; top: number }> = [];
  const until = Date.now() + ms;
  socket.receiveTimeout = 50;
  while (Date.now() < until) {
    try {
      const [topic, body] = await socket.receive();
      got.push({ topic: String(topic), ...(JSON.parse(String(body)) as { board: string; top: number }) });
    } catch {
      // a receive timeout: nothing this turn
    }
  }
  return got;
}

describe('change notices', () => {
  it('publish one notice per changed board per interval, only for boards a request changed', async () => {
    service = testService();
    await service.start();
    sub = new Subscriber({ linger: 0 });
    sub.connect(service.notices.boundEndpoint!);
    sub.subscribe('b\n');
    sub.subscribe('quiet\n');
    const send = requester(service.engine);
    send(Command.BoardPut, { board: 'b' });
    send(Command.BoardPut, { board: 'quiet' });
    await new Promise((r) => setTimeout(r, 300)); // the subscription reaches the publisher
    await collect(sub, 300); // the creations' notices
    for (let i = 0; i < 500; i++) send(Command.ScorePut, { board: 'b', user: i, total: i });
    send(Command.BoardTop, { board: 'quiet', n: 3 }); // a read changes nothing
    const notices = await collect(sub, 700);
    expect(notices.length).toBeGreaterThanOrEqual(1);
    expect(notices.length).toBeLessThanOrEqual(2); // 500 writes in one turn: one notice (two if split)
    expect(notices.every((n) => n.topic === 'b\n' && n.board === 'b')).toBe(true);
    // The top version moves when a watched top page changes.
    send(Command.BoardTop, { board: 'b', n: 3 });
    const before = notices.at(-1)!.top;
    send(Command.ScorePut, { board: 'b', user: 'new-best', total: 10_000 });
    const [moved] = await collect(sub, 500);
    expect(moved!.top).toBeGreaterThan(before);
    send(Command.ScorePut, { board: 'b', user: 'low', total: -5 });
    const [still] = await collect(sub, 500);
    expect(still!.top).toBe(moved!.top);
    // Moderation: taking the leader's entry off the board changes the top page too (read again,
    // as a live stream does after each notice, so the page is watched).
    send(Command.BoardTop, { board: 'b', n: 3 });
    send(Command.EntryDelete, { board: 'b', user: 'new-best' });
    const [removed] = await collect(sub, 500);
    expect(removed!.top).toBeGreaterThan(moved!.top);
  });
});
