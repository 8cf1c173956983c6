import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { prettyLogs, processLogger } from './logger.js';

/** Logs one line through `format` and answers what was written. */
async function logged(format: 'json' | 'pretty'): Promise<string> {
  const out = new PassThrough();
  let text = '';
  out.on('data', (d: Buffer) => (text += d.toString()));
  const logger = processLogger('svc', 'info', format, { base: { port: 8000 }, destination: out });
  logger.info({ rid: 'r-42' }, 'hello');
  logger.debug('below the level');
  await new Promise((resolve) => setImmediate(resolve));
  return text;
}

describe('process logs', () => {
  it('are pretty in a terminal or when asked, JSON otherwise', () => {
    expect(prettyLogs('auto', true)).toBe(true);
    expect(prettyLogs('auto', false)).toBe(false);
    expect(prettyLogs('json', true)).toBe(false);
    expect(prettyLogs('pretty', false)).toBe(true);
  });

  it('write one JSON object per line with the service, pid, fields and request id', async () => {
    const lines = (await logged('json')).trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      level: 30,
      service: 'svc',
      pid: process.pid,
      port: 8000,
      rid: 'r-42',
      msg: 'hello',
    });
  });

  it('write a readable line with the service and the request id when pretty', async () => {
    const text = await logged('pretty');
    expect(() => JSON.parse(text)).toThrow();
    expect(text).toMatch(/INFO.*\[svc\] hello/);
    expect(text).toContain('rid: "r-42"');
    expect(text).not.toContain('below the level');
  });
});
