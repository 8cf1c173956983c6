/**
 * A flood: ten times more connections than the machine can serve, through nginx, for a few
 * seconds. The service must keep answering most requests (goodput at least 80 % of what it does
 * at a comfortable load), shed the rest with JSON 503s carrying Retry-After — never a 502 —, keep
 * its clients' memory bounded, and answer the health check normally within a second after.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http, startCluster, type Cluster } from './harness.js';

let cluster: Cluster;
beforeAll(async () => {
  cluster = await startCluster({ clients: 2, nginx: true, env: { LOG_LEVEL: 'error' } });
});
afterAll(async () => cluster.stop());

/** wrk's Lua: relative writes to random users, every status counted, one 503 body kept. */
const LUA = `
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) statuses = {}; sample = "" end
request = function()
  return wrk.format("PUT", "/score", {["Content-Type"]="application/json"},
    '{"user":' .. math.random(1, 100000) .. ',"score":"+1"}')
end
function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  if status == 503 and sample == "" then sample = (headers["Retry-After"] or "-") .. " " .. body end
end
function done(summary, latency, requests)
  for _, t in ipairs(threads) do
    for k, v in pairs(t:get("statuses")) do io.write(string.format("status %d %d\\n", k, v)) end
    local s = t:get("sample")
    if s ~= "" then io.write("sample " .. s .. "\\n") end
  end
end
`;

/** Runs wrk for `seconds` with `connections`; answers requests per status, and a 503's Retry-After and body. */
function flood(connections: number, seconds: number): { statuses: Map<number, number>; sample: string } {
  const dir = mkdtempSync(join(tmpdir(), 'scoreboard-flood-'));
  writeFileSync(join(dir, 'flood.lua'), LUA);
  const out = execFileSync(
    'timeout',
    [
      String(seconds + 20),
      'wrk',
      '-t2',
      `-c${connections}`,
      `-d${seconds}s`,
      '--timeout',
      '5s',
      '-s',
      join(dir, 'flood.lua'),
      cluster.endpoints.url,
    ],
    { encoding: 'utf8' },
  );
  const statuses = new Map<number, number>();
  for (const [, code, n] of out.matchAll(/^status (\d+) (\d+)$/gm))
    statuses.set(Number(code), (statuses.get(Number(code)) ?? 0) + Number(n));
  return { statuses, sample: /^sample (.*)$/m.exec(out)?.[1] ?? '' };
}

/** Resident memory of a process, in MiB. */
function rssMiB(pid: number): number {
  const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kb) / 1024;
}

describe('a flood of 3 000 connections', () => {
  it('keeps most of the goodput, sheds the rest with JSON 503s, never 502, and recovers at once', async () => {
    const calm = flood(64, 3);
    const peak = (calm.statuses.get(200) ?? 0) / 3;
    expect(peak).toBeGreaterThan(500); // the system works at all

    const seconds = 5;
    const storm = flood(3000, seconds);
    const goodput = (storm.statuses.get(200) ?? 0) / seconds;
    const other = [...storm.statuses.keys()].filter((s) => s !== 200 && s !== 503);
    expect(other, `statuses ${JSON.stringify([...storm.statuses])}`).toEqual([]);
    expect(
      goodput / peak,
      `goodput ${goodput.toFixed(0)}/s against ${peak.toFixed(0)}/s`,
    ).toBeGreaterThanOrEqual(0.8);
    if ((storm.statuses.get(503) ?? 0) > 0) {
      const [retryAfter, ...body] = storm.sample.split(' ');
      expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
      expect(JSON.parse(body.join(' '))).toMatchObject({
        error: { code: expect.stringMatching(/^SCOREBOARD_ERR_/) },
      });
    }

    const t0 = Date.now();
    const health = await http(`${cluster.endpoints.url}/health-check`);
    expect(health).toMatchObject({ status: 200, body: { status: 'ok' } });
    expect(Date.now() - t0).toBeLessThan(1000);
    for (const client of cluster.launcher.children.clients) expect(rssMiB(client.pid!)).toBeLessThan(600);
  });
});
