import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadLauncherConfig } from './config.js';
import { replicaPlaces, shardPlaces } from './shards.js';

describe('shard places', () => {
  it('keep shard 0 where a single server is, and move shard i two ports up, its data into shard-i', () => {
    const c = loadLauncherConfig(['--shards', '3'], { DATA_DIR: '/srv/sb' });
    expect(shardPlaces(c)).toEqual([
      {
        endpoint: 'tcp://127.0.0.1:5555',
        eventsEndpoint: 'tcp://127.0.0.1:5556',
        metricsPort: 9464,
        dataDir: '/srv/sb',
      },
      {
        endpoint: 'tcp://127.0.0.1:5557',
        eventsEndpoint: 'tcp://127.0.0.1:5558',
        metricsPort: 9465,
        dataDir: join('/srv/sb', 'shard-1'),
      },
      {
        endpoint: 'tcp://127.0.0.1:5559',
        eventsEndpoint: 'tcp://127.0.0.1:5560',
        metricsPort: 9466,
        dataDir: join('/srv/sb', 'shard-2'),
      },
    ]);
    const ipc = loadLauncherConfig([], {
      SHARDS: '2',
      RANKING_ENDPOINT: 'ipc:///tmp/r',
      EVENTS_ENDPOINT: 'ipc:///tmp/e',
      METRICS_PORT: '0',
    });
    expect(shardPlaces(ipc).map((p) => [p.endpoint, p.eventsEndpoint, p.metricsPort])).toEqual([
      ['ipc:///tmp/r', 'ipc:///tmp/e', 0],
      ['ipc:///tmp/r.shard-1', 'ipc:///tmp/e.shard-1', 0],
    ]);
  });

  it('put standby j of shard i 128·j ports up, its data in replica-j, and each member’s replication endpoint past the last standby', () => {
    const c = loadLauncherConfig(['--shards', '2', '--replicas', '1'], { DATA_DIR: '/srv/sb' });
    expect(replicaPlaces(c)).toEqual([
      {
        replication: ['tcp://127.0.0.1:5811', 'tcp://127.0.0.1:5939'],
        standbys: [
          {
            endpoint: 'tcp://127.0.0.1:5683',
            eventsEndpoint: 'tcp://127.0.0.1:5684',
            metricsPort: 9528,
            dataDir: join('/srv/sb', 'replica-1'),
          },
        ],
      },
      {
        replication: ['tcp://127.0.0.1:5813', 'tcp://127.0.0.1:5941'],
        standbys: [
          {
            endpoint: 'tcp://127.0.0.1:5685',
            eventsEndpoint: 'tcp://127.0.0.1:5686',
            metricsPort: 9529,
            dataDir: join('/srv/sb', 'replica-1', 'shard-1'),
          },
        ],
      },
    ]);
    expect(replicaPlaces(loadLauncherConfig([], {}))).toEqual([]);
    // A standby's ports must not land on another shard's: 64 shards fill 128 ports.
    expect(() =>
      loadLauncherConfig([], { SHARDS: '2', REPLICAS: '1', RANKING_ENDPOINT: 'tcp://127.0.0.1:65400' }),
    ).toThrow(/SHARDS/);
  });

  it('refuses shards whose ports would collide or pass 65535, naming SHARDS', () => {
    // Events two ports above the ranking endpoint: shard 1's ranking port is shard 0's events port.
    expect(() => loadLauncherConfig([], { SHARDS: '2', EVENTS_ENDPOINT: 'tcp://127.0.0.1:5557' })).toThrow(
      /SHARDS/,
    );
    expect(() =>
      loadLauncherConfig([], {
        SHARDS: '3',
        RANKING_ENDPOINT: 'tcp://127.0.0.1:65532',
        EVENTS_ENDPOINT: 'tcp://127.0.0.1:65533',
      }),
    ).toThrow(/SHARDS/);
    expect(() => loadLauncherConfig([], { SHARDS: '3', METRICS_PORT: '65534' })).toThrow(/SHARDS/);
    expect(loadLauncherConfig([], { SHARDS: '1', EVENTS_ENDPOINT: 'tcp://127.0.0.1:5557' }).shards).toBe(1);
  });
});
