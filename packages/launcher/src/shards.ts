/**
 * Where each shard of a sharded launch listens and keeps its data: shard 0 exactly where a single
 * ranking server would (so a machine that grows from one shard to three keeps its data in place),
 * shard i on the configured ports plus 2·i (the ranking and events ports of the defaults, 5555 and
 * 5556, are adjacent), its metrics on METRICS_PORT + i, its data in DATA_DIR/shard-i.
 */
import { ConfigError, shardDataDir } from '@scoreboard/config';
import { join } from 'node:path';
import type { LauncherConfig } from './config.js';

/** One shard's own settings. */
export interface ShardPlace {
  endpoint: string;
  eventsEndpoint: string;
  /** 0: no metrics listener. */
  metricsPort: number;
  dataDir: string;
}

/**
 * O(1). `endpoint` moved to shard `i` in plane `plane`: a TCP port plus 2·i + 128·plane, an IPC path
 * with suffixes. Plane 0 holds the primaries, plane j ≥ 1 standby j, the plane after the last
 * standby the replication endpoints.
 */
function shifted(endpoint: string, i: number, plane = 0, name = 'replica'): string {
  if (i === 0 && plane === 0) return endpoint;
  const tcp = /^(tcp:\/\/.+):(\d+)$/.exec(endpoint);
  if (tcp) return `${tcp[1]!}:${Number(tcp[2]) + 2 * i + 128 * plane}`;
  return `${endpoint}${i > 0 ? `.shard-${i}` : ''}${plane > 0 ? `.${name}-${plane}` : ''}`;
}

/** One shard's replication group beyond its first member. */
export interface ReplicaPlaces {
  /** Where each member (the first, then standby 1 … REPLICAS) listens for standbys once primary. */
  replication: string[];
  /** Standby 1 … REPLICAS of the shard. */
  standbys: ShardPlace[];
}

/**
 * O(shards · replicas). Each shard's members' replication endpoints (member j's: its shard's
 * ranking endpoint in plane REPLICAS + 1 + j) and standbys: standby j on the shard's ports plus
 * 128·j, its metrics on the shard's plus 64·j, its data in DATA_DIR/replica-j (then shard-i).
 * Empty when REPLICAS=0.
 */
export function replicaPlaces(c: LauncherConfig): ReplicaPlaces[] {
  if (c.replicas === 0) return [];
  return Array.from({ length: c.shards }, (_, i) => ({
    replication: Array.from({ length: c.replicas + 1 }, (_, j) =>
      shifted(c.rankingEndpoint, i, c.replicas + 1 + j, 'replication'),
    ),
    standbys: Array.from({ length: c.replicas }, (_, k) => ({
      endpoint: shifted(c.rankingEndpoint, i, k + 1),
      eventsEndpoint: shifted(c.eventsEndpoint, i, k + 1),
      metricsPort: c.metricsPort === 0 ? 0 : c.metricsPort + i + 64 * (k + 1),
      dataDir: shardDataDir(join(c.dataDir, `replica-${k + 1}`), i),
    })),
  }));
}

/** O(shards). Every shard's place; ConfigError when two of them would collide or a port passes 65535. */
export function shardPlaces(c: LauncherConfig): ShardPlace[] {
  const places = Array.from({ length: c.shards }, (_, i) => ({
    endpoint: shifted(c.rankingEndpoint, i),
    eventsEndpoint: shifted(c.eventsEndpoint, i),
    metricsPort: c.metricsPort === 0 ? 0 : c.metricsPort + i,
    dataDir: shardDataDir(c.dataDir, i),
  }));
  const replicas = replicaPlaces(c);
  const endpoints = [
    ...places.flatMap((p) => [p.endpoint, p.eventsEndpoint]),
    ...replicas.flatMap((r) => [
      ...r.replication,
      ...r.standbys.flatMap((p) => [p.endpoint, p.eventsEndpoint]),
    ]),
  ];
  const badPort = endpoints.some((e) => Number(/:(\d+)$/.exec(e)?.[1] ?? 0) > 65535);
  if (new Set(endpoints).size !== endpoints.length || badPort) {
    throw new ConfigError(
      'SHARDS',
      `Invalid SHARDS=${c.shards} with RANKING_ENDPOINT=${c.rankingEndpoint} and EVENTS_ENDPOINT=${c.eventsEndpoint}: ` +
        'shard i listens on both ports plus 2·i (its standby j and replication endpoint 128 ports further per plane), ' +
        'and those must be distinct ports up to 65535.',
    );
  }
  const metricsTop = c.metricsPort + c.shards - 1 + 64 * c.replicas;
  if (c.metricsPort !== 0 && metricsTop > 65535) {
    throw new ConfigError(
      'SHARDS',
      `Invalid SHARDS=${c.shards}: the last shard's METRICS_PORT would pass 65535.`,
    );
  }
  return places;
}
