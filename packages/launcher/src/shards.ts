/**
 * Where each shard of a sharded launch listens and keeps its data: shard 0 exactly where a single
 * ranking server would (so a machine that grows from one shard to three keeps its data in place),
 * shard i on the configured ports plus 2·i (the ranking and events ports of the defaults, 5555 and
 * 5556, are adjacent), its metrics on METRICS_PORT + i, its data in DATA_DIR/shard-i.
 */
import { ConfigError, shardDataDir } from '@scoreboard/config';
import type { LauncherConfig } from './config.js';

/** One shard's own settings. */
export interface ShardPlace {
  endpoint: string;
  eventsEndpoint: string;
  /** 0: no metrics listener. */
  metricsPort: number;
  dataDir: string;
}

/** O(1). `endpoint` moved to shard `i`: a TCP port plus 2·i, an IPC path with a suffix. */
function shifted(endpoint: string, i: number): string {
  if (i === 0) return endpoint;
  const tcp = /^(tcp:\/\/.+):(\d+)$/.exec(endpoint);
  if (tcp) return `${tcp[1]!}:${Number(tcp[2]) + 2 * i}`;
  return `${endpoint}.shard-${i}`;
}

/** O(shards). Every shard's place; ConfigError when two of them would collide or a port passes 65535. */
export function shardPlaces(c: LauncherConfig): ShardPlace[] {
  const places = Array.from({ length: c.shards }, (_, i) => ({
    endpoint: shifted(c.rankingEndpoint, i),
    eventsEndpoint: shifted(c.eventsEndpoint, i),
    metricsPort: c.metricsPort === 0 ? 0 : c.metricsPort + i,
    dataDir: shardDataDir(c.dataDir, i),
  }));
  const endpoints = places.flatMap((p) => [p.endpoint, p.eventsEndpoint]);
  const badPort = endpoints.some((e) => Number(/:(\d+)$/.exec(e)?.[1] ?? 0) > 65535);
  if (new Set(endpoints).size !== endpoints.length || badPort) {
    throw new ConfigError(
      'SHARDS',
      `Invalid SHARDS=${c.shards} with RANKING_ENDPOINT=${c.rankingEndpoint} and EVENTS_ENDPOINT=${c.eventsEndpoint}: ` +
        'shard i listens on both ports plus 2·i, and those must be distinct ports up to 65535.',
    );
  }
  const metricsTop = c.metricsPort + c.shards - 1;
  if (c.metricsPort !== 0 && metricsTop > 65535) {
    throw new ConfigError(
      'SHARDS',
      `Invalid SHARDS=${c.shards}: the last shard's METRICS_PORT would pass 65535.`,
    );
  }
  return places;
}
