/**
 * `scoreboard reshard`: the data folder of a stopped system, laid out for `--from` shards, laid
 * out again for `--to` shards (the launcher's layout: shard 0 in DATA_DIR, shard i in
 * DATA_DIR/shard-i). The new folders are built beside the old one, then swapped in with two
 * renames; the old folder is kept as `<DATA_DIR>.before-reshard-<time>` until you delete it.
 */
import { shardDataDir } from '@scoreboard/config';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

/** What a reshard of the data folder did. */
export interface FolderReshard {
  moved: number;
  boards: number;
  ms: number;
  backup: string;
}

/** O(shards). The data folder of each shard, in shard order. */
const shardFolders = (dataDir: string, shards: number): string[] =>
  Array.from({ length: shards }, (_, i) => shardDataDir(dataDir, i));

/** O(size of the data). Reshards `dataDir` from `from` to `to` shards; throws when a folder is missing. */
export async function reshardDataDir(dataDir: string, from: number, to: number): Promise<FolderReshard> {
  const dir = resolve(dataDir);
  const sources = shardFolders(dir, from);
  for (const source of sources) {
    if (!existsSync(source))
      throw new Error(`${source} does not exist: is the data folder of ${from} shards?`);
  }
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const stage = join(dirname(dir), `${basename(dir)}.reshard-${stamp}`);
  const backup = join(dirname(dir), `${basename(dir)}.before-reshard-${stamp}`);
  const targets = shardFolders(stage, to);
  for (const target of targets) mkdirSync(target, { recursive: true });
  // Loaded only here: the other commands never need the ranking server's code.
  const [{ reshard }, { pino }] = await Promise.all([import('@scoreboard/ranking-server'), import('pino')]);
  const report = await reshard(sources, targets, pino({ level: 'warn' }, pino.destination(2)));
  renameSync(dir, backup);
  renameSync(stage, dir);
  const boards = Object.values(report.boards);
  return {
    moved: boards.filter((b) => b.from !== b.to).length,
    boards: boards.length,
    ms: report.ms,
    backup,
  };
}
