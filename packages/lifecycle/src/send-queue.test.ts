import { describe, expect, it } from 'vitest';
import { SendQueue } from './send-queue.js';

describe('SendQueue', () => {
  it('sends in order with one send in flight at a time, hands refusals to onError and says when idle', async () => {
    const sent: number[] = [];
    const refused: number[] = [];
    let inFlight = 0;
    let most = 0;
    let idle = 0;
    const queue = new SendQueue<number>({
      send: async (m) => {
        inFlight++;
        most = Math.max(most, inFlight);
        await new Promise((r) => setTimeout(r, 1));
        inFlight--;
        if (m % 5 === 0) throw new Error('EAGAIN');
        sent.push(m);
      },
      closed: () => false,
      onError: (_err, m) => refused.push(m),
      onIdle: () => idle++,
    });
    for (let i = 1; i <= 12; i++) queue.push(i);
    expect(queue.idle).toBe(false);
    await queue.drained();
    expect(sent).toEqual([1, 2, 3, 4, 6, 7, 8, 9, 11, 12]);
    expect(refused).toEqual([5, 10]);
    expect(most).toBe(1);
    expect(queue.idle).toBe(true);
    expect(idle).toBe(1);
  });

  it('drops what is queued once the socket is closed', async () => {
    let closed = false;
    const sent: number[] = [];
    const queue = new SendQueue<number>({
      send: async (m) => {
        sent.push(m);
        closed = true;
      },
      closed: () => closed,
      onError: () => undefined,
    });
    queue.push(1);
    queue.push(2);
    await queue.drained();
    expect(sent).toEqual([1]);
  });
});
