/**
 * What a deployment says of its shards, in one place: the settings that count them (to the limits
 * of limits.ts) and the processes that share the load, and where each shard keeps its data. Which
 * shard holds which board — the hash and the shard map — is the protocol's (protocol/shards.ts).
 */
import { join } from 'node:path';
import { MAX_CLIENTS, MAX_SHARDS } from './limits.js';
import { integer } from './parsers.js';
import { setting } from './settings.js';

/** SHARDS: the ranking servers of a deployment. `doc` says what this process does with the count. */
export function shardsSetting(doc: string) {
  return setting({ env: 'SHARDS', flag: 'shards', parse: integer(1, MAX_SHARDS), default: 1, doc });
}

/** SHARD: this ranking server's index among the shards. */
export const shardSetting = setting({
  env: 'SHARD',
  flag: 'shard',
  parse: integer(0, MAX_SHARDS - 1),
  default: 0,
  doc: "this ranking server's index among the shards (0 … SHARDS-1)",
});

/**
 * CLIENTS: the HTTP client processes sharing the load. A launcher starts that many (2 by default);
 * a client started alone takes its share of every rate limit from it (1 by default).
 */
export function clientsSetting(defaultCount: number, doc: string) {
  return setting({
    env: 'CLIENTS',
    flag: 'clients',
    parse: integer(1, MAX_CLIENTS),
    default: defaultCount,
    doc,
  });
}

/**
 * O(1). The data folder of shard `i` under DATA_DIR: shard 0 in DATA_DIR itself (where a single
 * ranking server keeps it, so a machine that grows from one shard keeps its data in place), shard i
 * in DATA_DIR/shard-i. For the launcher and the reshard command alike.
 */
export function shardDataDir(dataDir: string, i: number): string {
  return i === 0 ? dataDir : join(dataDir, `shard-${i}`);
}
