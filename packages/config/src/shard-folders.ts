/** Where each shard of a deployment keeps its data, for the launcher and the reshard command alike. */
import { join } from 'node:path';

/**
 * O(1). The data folder of shard `i` under DATA_DIR: shard 0 in DATA_DIR itself (where a single
 * ranking server keeps it, so a machine that grows from one shard keeps its data in place), shard i
 * in DATA_DIR/shard-i.
 */
export function shardDataDir(dataDir: string, i: number): string {
  return i === 0 ? dataDir : join(dataDir, `shard-${i}`);
}
