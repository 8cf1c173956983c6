import { Command, ErrorCode } from '@scoreboard/protocol';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ServerMetrics } from './metrics.js';
import type { RankingService } from './service.js';
import { requester, testService } from './test-support/engine-harness.js';

/** A port free right now on 127.0.0.1. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
    probe.on('error', reject);
  });
}

/** O(metrics). The value of sample `name{labels}`, or undefined. */
async function sample(metrics: ServerMetrics, name: string, labels: Record<string, string> = {}) {
  for (const metric of await metrics.registry.getMetricsAsJSON()) {
    for (const v of metric.values as Array<{ value: number; labels: object; metricName?: string }>) {
      const named = (v.metricName ?? metric.name) === name;
      const labelled = Object.entries(labels).every(
        ([k, want]) => (v.labels as Record<string, unknown>)[k] === want,
      );
      if (named && labelled) return v.value;
    }
  }
  return undefined;
}

let service: RankingService | undefined;
afterEach(async () => {
  await service?.stop();
  service = undefined;
});

describe('the ranking server’s metrics', () => {
  it('count boards, entries, players, commands, errors, log groups and snapshots', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scoreboard-metrics-'));
    service = testService({ dataDir: dir, fsync: 'always' });
    const send = requester(service.engine);
    send(Command.BoardPut, { board: 'weekly' });
    for (let user = 0; user < 5; user++) send(Command.ScorePut, { board: 'weekly', user, total: user });
    send(Command.ScorePut, { board: 'weekly', user: 0, total: 'not a score' });
    send(Command.BoardTop, { board: 'nope', n: 3 });
    await service.store!.flush();
    await service.store!.snapshot();
    const m = service.metrics;
    expect(await sample(m, 'scoreboard_boards')).toBe(2);
    expect(await sample(m, 'scoreboard_board_entries', { board: 'weekly' })).toBe(5);
    expect(await sample(m, 'scoreboard_board_entries', { board: 'default' })).toBe(0);
    expect(await sample(m, 'scoreboard_players')).toBe(5);
    // The malformed one never became a command: it counts as an error only.
    expect(await sample(m, 'scoreboard_commands_total', { command: Command.ScorePut })).toBe(5);
    expect(await sample(m, 'scoreboard_commands_total', { command: Command.BoardPut })).toBe(1);
    expect(await sample(m, 'scoreboard_command_errors_total', { code: ErrorCode.BOARD_NOT_FOUND })).toBe(1);
    // Each send above is a message of one command.
    expect(await sample(m, 'scoreboard_request_messages_total')).toBe(8);
    expect(await sample(m, 'scoreboard_command_errors_total', { code: ErrorCode.PROTOCOL_MALFORMED })).toBe(
      1,
    );
    // The default board's creation, the shard map, the weekly board's creation and five scores.
    expect(await sample(m, 'scoreboard_log_records_total')).toBe(8);
    expect(await sample(m, 'scoreboard_log_bytes_total')).toBeGreaterThan(8 * 8);
    const groups = (await sample(m, 'scoreboard_log_write_seconds_count'))!;
    expect(groups).toBeGreaterThanOrEqual(1);
    // Under `always` every group is fsynced (the snapshot's rotation adds one more).
    expect(await sample(m, 'scoreboard_log_fsync_seconds_count')).toBeGreaterThanOrEqual(groups);
    expect(await sample(m, 'scoreboard_snapshot_duration_seconds_count', { outcome: 'ok' })).toBe(1);
    // Two BOARD records and the five scores in one run of entries.
    expect(await sample(m, 'scoreboard_snapshot_records')).toBe(3);
  });

  it('are served on METRICS_PORT in the text format, with JSON errors elsewhere', async () => {
    const port = await freePort();
    service = testService({ metricsPort: port, host: '127.0.0.1' });
    await service.start();
    requester(service.engine)(Command.AddScore, { user: 1, delta: 2 });
    const page = await fetch(`http://127.0.0.1:${port}/metrics`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await page.text();
    expect(text).toMatch(/^scoreboard_board_entries\{board="default"\} 1$/m);
    expect(text).toMatch(/^scoreboard_commands_total\{command="add"\} 1$/m);
    expect(text).toMatch(/^process_cpu_seconds_total /m);
    const missing = await fetch(`http://127.0.0.1:${port}/other`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: ErrorCode.HTTP_NOT_FOUND } });
    const post = await fetch(`http://127.0.0.1:${port}/metrics`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    await service.stop();
    await expect(fetch(`http://127.0.0.1:${port}/metrics`)).rejects.toThrow();
  });
});
