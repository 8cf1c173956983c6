/** What one fsync of a small append costs on this disk: it bounds the latency of a durable write. */
import { closeSync, fsyncSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** O(300 fsyncs). p50, p99 and max of 300 fsyncs, each after a 100-byte append. */
export function fsyncProbe(): { p50ms: number; p99ms: number; maxMs: number } {
  const dir = mkdtempSync(join(tmpdir(), 'scoreboard-fsync-'));
  const fd = openSync(join(dir, 'probe'), 'a');
  const times: number[] = [];
  for (let i = 0; i < 300; i++) {
    writeSync(fd, Buffer.alloc(100, 1));
    const t = performance.now();
    fsyncSync(fd);
    times.push(performance.now() - t);
  }
  closeSync(fd);
  rmSync(dir, { recursive: true, force: true });
  times.sort((a, b) => a - b);
  return { p50ms: times[150]!, p99ms: times[296]!, maxMs: times[299]! };
}
