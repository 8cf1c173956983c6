/**
 * The file operations the log and snapshots share: writing a whole buffer (write() may take less
 * than asked), fsync off the event loop, and making a rename or a new file durable.
 */
import { closeSync, fsync, fsyncSync, openSync, write, writeSync, type PathLike } from 'node:fs';
import { promisify } from 'node:util';

const writeAsync = promisify(write);

/** fsync through libuv's thread pool, so the event loop keeps serving while the disk works. */
export const fsyncAsync = promisify(fsync);

/** O(size). Writes all of `buf` at the end of `fd` on the calling thread. */
export function writeAll(fd: number, buf: Buffer): void {
  while (buf.length > 0) buf = buf.subarray(writeSync(fd, buf));
}

/** O(size). {@link writeAll} on libuv's thread pool, for large writes (snapshot chunks). */
export async function writeAllAsync(fd: number, buf: Buffer): Promise<void> {
  while (buf.length > 0) buf = buf.subarray((await writeAsync(fd, buf)).bytesWritten);
}

/** O(1). Makes a rename or a new file in `dir` durable (fsync of the folder). */
export function fsyncDir(dir: PathLike): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
