import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Command } from '@scoreboard/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { recordingEngine, requester, silent } from '../test-support/engine-harness.js';
import { WebhookDelivery } from './delivery.js';

const closers: (() => void)[] = [];
afterEach(() => closers.splice(0).forEach((close) => close()));

/** A receiver on 127.0.0.1 that takes everything; answers its port and what it received. */
async function receiver(): Promise<{ port: number; ids: string[] }> {
  const ids: string[] = [];
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      ids.push((JSON.parse(raw) as { id: string }).id);
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => server.close());
  return { port: (server.address() as AddressInfo).port, ids };
}

describe('webhook delivery', () => {
  it('checks the address again at each delivery: a name re-pointed outside WEBHOOK_ALLOW gets nothing', async () => {
    const { port, ids } = await receiver();
    const { engine } = recordingEngine();
    const send = requester(engine);
    const dns: Record<string, string> = { 'hooks.test': '127.0.0.1' };
    const delivery = new WebhookDelivery({
      engine: () => engine,
      clock: Date.now,
      allow: ['127.0.0.1/32'],
      timeoutMs: 1000,
      retryMs: 50,
      logger: silent,
      resolve: async (host) => {
        if (!dns[host]) throw new Error('ENOTFOUND');
        return [{ address: dns[host], family: 4 }];
      },
    });
    closers.push(() => void delivery.stop());
    send(Command.BoardPut, { board: 'b' });
    send(Command.WebhookPut, {
      board: 'b',
      url: `http://hooks.test:${port}/in`,
      secret: 'a-secret-of-16-chars',
    });
    send(Command.ScorePut, { board: 'b', user: 'ann', total: 1 });
    send(Command.BoardReset, { board: 'b' });
    delivery.start();
    await expect.poll(() => ids, { timeout: 5000 }).toEqual(['b:1:0']);
    expect(send(Command.WebhookGet, { board: 'b' })).toMatchObject({
      ok: true,
      result: { delivered: { period: 1, batch: 0 }, pending: 0 },
    });

    // The name now points inside the network: the next period's batch is refused, not sent.
    dns['hooks.test'] = '10.9.9.9';
    send(Command.ScorePut, { board: 'b', user: 'ann', total: 2 });
    send(Command.BoardReset, { board: 'b' });
    await expect
      .poll(
        () => (send(Command.WebhookGet, { board: 'b' }) as { result: { failures: number } }).result.failures,
        {
          timeout: 5000,
        },
      )
      .toBeGreaterThanOrEqual(2);
    expect(send(Command.WebhookGet, { board: 'b' })).toMatchObject({
      result: {
        pending: 1,
        lastError: 'refused: 10.9.9.9 is not in WEBHOOK_ALLOW',
        nextAttempt: expect.any(String),
      },
    });
    expect(ids).toEqual(['b:1:0']);
    // Pointed back, it is delivered.
    dns['hooks.test'] = '127.0.0.1';
    await expect.poll(() => ids, { timeout: 5000 }).toEqual(['b:1:0', 'b:2:0']);
  });
});
