/**
 * The epoch of the history a data folder's log holds: the epoch of the primary that wrote it, or
 * whose records or snapshot it took last. A standby says it when it connects; a primary of another
 * epoch sends it a snapshot instead of records, because its log may hold records the new primary
 * never had. Kept in `epoch` in the data folder, replaced atomically and durably.
 */
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { fsyncDir } from '../persistence/files.js';

const FILE = 'epoch';

/** O(1). The folder's epoch; 0 when none was written (a folder from before elections, or new). */
export function readEpoch(dir: string): number {
  const path = join(dir, FILE);
  if (!existsSync(path)) return 0;
  const n = Number(readFileSync(path, 'utf8').trim());
  return Number.isSafeInteger(n) && n >= 0 ? n : 0;
}

/** O(1). Records `epoch` as the folder's, durably (written aside, fsynced, renamed, folder fsynced). */
export function writeEpoch(dir: string, epoch: number): void {
  const tmp = join(dir, `${FILE}.tmp`);
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, `${epoch}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, join(dir, FILE));
  fsyncDir(dir);
}
