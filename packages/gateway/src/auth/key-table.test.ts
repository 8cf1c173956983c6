import type { KeyEntry } from '@scoreboard/protocol';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { RankingApi } from '../ranking-client.js';
import { KeyTable, hashOf, newSecret } from './key-table.js';

/** A ranking server holding a key table: counts its reads, each taking `ms`. */
function fakeServer(ms = 3) {
  const keys: KeyEntry[] = [];
  let version = 0;
  const server = {
    reads: 0,
    add(secret: string, name: string): void {
      keys.push({
        name,
        hash: hashOf(secret),
        scopes: ['write'],
        boards: null,
        rate: null,
        created: '2026-12-04T00:00:00Z',
      });
      version++;
    },
    api: {
      async call(cmd: string, args: { since: number }) {
        if (cmd !== 'key.sync') throw new Error(`unexpected ${cmd}`);
        server.reads++;
        const at = version;
        const snapshot = [...keys];
        await new Promise((r) => setTimeout(r, ms));
        return { version: at, keys: args.since === at ? null : snapshot };
      },
    } as unknown as RankingApi,
  };
  return server;
}

const table = (server: ReturnType<typeof fakeServer>) =>
  new KeyTable(server.api, 'admin-secret', pino({ level: 'silent' }));

describe('KeyTable', () => {
  it('finds a key made a moment ago, even right after another look-up', async () => {
    const server = fakeServer();
    const keys = table(server);
    await keys.sync();
    for (let i = 0; i < 5; i++) {
      expect(await keys.identify(newSecret())).toBeUndefined(); // a look-up just now
      const secret = newSecret();
      server.add(secret, `k${i}`);
      expect((await keys.identify(secret))?.name).toBe(`k${i}`);
    }
  });

  it('waits out a look-up in flight that began before the key was made', async () => {
    const server = fakeServer(30);
    const keys = table(server);
    const inFlight = keys.sync(); // reads the table as it is now: without the new key
    const secret = newSecret();
    server.add(secret, 'late');
    expect((await keys.identify(secret))?.name).toBe('late');
    await inFlight;
  });

  it('shares one look-up among unknown secrets arriving together', async () => {
    const server = fakeServer();
    const keys = table(server);
    await keys.sync();
    const before = server.reads;
    const answers = await Promise.all(Array.from({ length: 200 }, () => keys.identify(newSecret())));
    expect(answers.every((a) => a === undefined)).toBe(true);
    expect(server.reads - before).toBe(1);
  });

  it('reads the table at most about ten times a second under a flood of random keys', async () => {
    const server = fakeServer();
    const keys = table(server);
    await keys.sync();
    const before = server.reads;
    const started = Date.now();
    const pending: Array<Promise<unknown>> = [];
    while (Date.now() - started < 600) {
      for (let i = 0; i < 50; i++) pending.push(keys.identify(newSecret()));
      await new Promise((r) => setTimeout(r, 5));
    }
    await Promise.all(pending);
    const seconds = (Date.now() - started) / 1000;
    expect(pending.length).toBeGreaterThan(2000);
    expect(server.reads - before).toBeLessThanOrEqual(Math.ceil(seconds * 10) + 1);
  });
});
