import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { buildApp } from './app.js';
import type { RankingApi } from './ranking-client.js';
import { lazyRequestLogger } from './request-logger.js';

/** O(1). A pino logger at `level` whose lines land in `lines`. */
function capture(level: string): { logger: pino.Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: pino({ level }, sink), lines };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('a request’s logger', () => {
  it('is made on the first line at an enabled level, and that line carries the request id', async () => {
    const { logger, lines } = capture('warn');
    const child = vi.spyOn(logger, 'child');
    const log = lazyRequestLogger(logger, { rid: 'r-1' }, {});
    log.info('not written');
    log.debug({ x: 1 }, 'nor this');
    expect(child).not.toHaveBeenCalled();
    log.warn({ code: 7 }, 'written');
    log.error('and this');
    expect(child).toHaveBeenCalledTimes(1);
    await settle();
    expect(lines.map((l) => [l['rid'], l['msg']])).toEqual([
      ['r-1', 'written'],
      ['r-1', 'and this'],
    ]);
    expect(lines[0]!['code']).toBe(7);
  });

  it('follows the route’s level over its parent’s', () => {
    const { logger } = capture('warn');
    const child = vi.spyOn(logger, 'child');
    lazyRequestLogger(logger, { rid: 'r-2' }, { level: 'error' }).warn('below the route level');
    expect(child).not.toHaveBeenCalled();
  });

  it('logs an unexpected error of a request with that request’s id, through the app', async () => {
    const { logger, lines } = capture('info');
    const failing: RankingApi = {
      call: () => Promise.reject(new Error('boom')),
      callRaw: () => Promise.reject(new Error('boom')),
    };
    const app = buildApp({ ranking: failing, logger });
    const res = await app.inject({ method: 'GET', url: '/top/3', headers: { 'x-request-id': 'abc-123' } });
    expect(res.statusCode).toBe(500);
    await settle();
    const logged = lines.find((l) => l['msg'] === 'unexpected error');
    expect(logged?.['rid']).toBe('abc-123');
    await app.close();
  });
});
