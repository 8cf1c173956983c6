import { Command, decodeReplies, encodeRequests } from '@scoreboard/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { Dealer } from 'zeromq';
import type { RankingService } from './service.js';
import { testService } from './test-support/engine-harness.js';

describe('RankingServer over ZeroMQ', () => {
  let service: RankingService | undefined;
  let dealer: Dealer | undefined;

  afterEach(async () => {
    dealer?.close();
    await service?.stop();
  });

  it('answers a DEALER and survives a malformed multi-frame message', async () => {
    service = testService();
    await service.start();
    dealer = new Dealer({ linger: 0 });
    dealer.connect(service.server.endpoint);
    await dealer.send([Buffer.from('a'), Buffer.from('b')]);
    const [bad] = await dealer.receive();
    expect(decodeReplies(bad!).replies[0]).toMatchObject({ ok: false, id: null });
    await dealer.send(encodeRequests([{ id: 1, cmd: Command.AddScore, args: { user: 7, delta: 3 } }]));
    const [good] = await dealer.receive();
    expect(decodeReplies(good!).replies).toEqual([{ id: 1, ok: true, result: { user: 7, total: 3 } }]);
  });
});
