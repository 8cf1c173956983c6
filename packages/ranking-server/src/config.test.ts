import { describe, expect, it } from 'vitest';
import { advertised, loadRankingServerConfig } from './config.js';

describe('ADVERTISE_HOST', () => {
  it('replaces the host of the TCP endpoints a member publishes, and nothing else', () => {
    expect(advertised('tcp://0.0.0.0:5555', '10.1.2.3')).toBe('tcp://10.1.2.3:5555');
    expect(advertised('tcp://0.0.0.0:5557', 'shard-0-b')).toBe('tcp://shard-0-b:5557');
    expect(advertised('tcp://127.0.0.1:5555', '')).toBe('tcp://127.0.0.1:5555');
    expect(advertised('ipc:///tmp/ranking', 'host')).toBe('ipc:///tmp/ranking');
  });

  it('takes a host name or address, and refuses anything else naming the setting', () => {
    expect(loadRankingServerConfig([], { ADVERTISE_HOST: 'shard-0-a.svc' }).advertiseHost).toBe(
      'shard-0-a.svc',
    );
    expect(() => loadRankingServerConfig([], { ADVERTISE_HOST: 'tcp://x:1' })).toThrow(/ADVERTISE_HOST/);
  });
});
