/**
 * Property-based fuzzing of every route in the README, through nginx, with keys on: random
 * methods, path values (valid, unknown, malformed, percent-encoded, huge), query strings, headers
 * (keys, content types, idempotency keys, request ids) and bodies (well-formed, near-miss, JSON
 * of any shape, not JSON at all). Every answer must be below 500, and JSON with a catalogue code
 * when it is an error; after any 4xx, the ranking server's state digest must be what it was
 * before the request. Seeded (FUZZ_SEED, FUZZ_RUNS to explore further) and bounded in time.
 */
import { ErrorCode, errorCatalogue } from '@scoreboard/protocol';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http, startCluster, type Cluster } from './harness.js';

const SEED = Number(process.env['FUZZ_SEED'] ?? 20261128);
const RUNS = Number(process.env['FUZZ_RUNS'] ?? 1000);
const TIME_LIMIT_MS = 90_000;
const ADMIN = 'fuzz-admin-key-0123456789abcdef';

/** The routes the README lists, as [method, template] (the same list the app's own test reads). */
function readmeRoutes(): Array<[string, string]> {
  const readme = readFileSync(resolve(import.meta.dirname, '../../../README.md'), 'utf8');
  const api = readme.slice(readme.indexOf('\n## API'), readme.indexOf('\n## Operations'));
  const seen = new Set<string>();
  for (const m of api.matchAll(/`(GET|PUT|POST|DELETE) (\/[^`\s]*)`/g)) seen.add(`${m[1]} ${m[2]}`);
  return [...seen].map((r) => r.split(' ') as [string, string]);
}

const small = fc.integer({ min: -3, max: 60 }).map(String);
const oddNumbers = fc.constantFrom('0', '-1', '1e3', 'abc', '99999999999999999999', '01', '1.5', '');
const text = fc.string({ maxLength: 40 });
/** A path segment: known values, others that are valid but unknown, and malformed ones. */
const segment = (known: fc.Arbitrary<string>) =>
  fc.oneof(
    { weight: 6, arbitrary: known.map(encodeURIComponent) },
    { weight: 2, arbitrary: text.map(encodeURIComponent) },
    { weight: 1, arbitrary: fc.constantFrom('%', '%zz', '%2F', '..', '%00', 'x'.repeat(300), '%E2%82') },
  );
const values: Record<string, fc.Arbitrary<string>> = {
  board: segment(fc.constantFrom('default', 'fz', 'golf', 'gone', 'UPPER', 'a-b_c', 'sub')),
  user: segment(fc.oneof(small, fc.constantFrom('ann', 'bob', 'n0body'))),
  id: segment(fc.oneof(small, fc.constantFrom('ann', 'bob'))),
  n: segment(fc.oneof(small, oddNumbers)),
  p: segment(fc.oneof(small, oddNumbers)),
  s: segment(fc.oneof(small, oddNumbers)),
  cc: segment(fc.constantFrom('FR', 'fr', 'IE', 'ZZ', '1')),
  name: segment(fc.constantFrom('fz-key', 'other', 'ADMIN')),
};
/** O(template). A path for `template` (`:board`, `N`, `P/S` …) with fuzzed values. */
const pathFor = (template: string) => {
  const [path] = template.split('?');
  const parts = path!.split('/').map((part) => {
    if (part.startsWith(':')) return values[part.slice(1)] ?? values['user']!;
    if (/^[A-Z]$/.test(part)) return values[part.toLowerCase()] ?? values['n']!;
    return fc.constant(part);
  });
  return fc.tuple(...parts).map((xs) => xs.join('/'));
};
const query = fc.oneof(
  { weight: 4, arbitrary: fc.constant('') },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      '?rank=dense',
      '?rank=bogus',
      '?period=1',
      '?period=x',
      '?size=5',
      '?size=-1',
      '?ids=1,2,ann',
      '?ids=',
      '?from=0&to=10',
      '?min=1&max=5',
      '?country=FR',
      '?a=%zz',
    ),
  },
  { weight: 1, arbitrary: text.map((t) => `?${encodeURIComponent(t)}=${encodeURIComponent(t)}`) },
);
const method = (own: string) =>
  fc.oneof(
    { weight: 8, arbitrary: fc.constant(own) },
    { weight: 2, arbitrary: fc.constantFrom('GET', 'PUT', 'POST', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD') },
    { weight: 1, arbitrary: fc.constantFrom('PROPFIND', 'FOO', 'TRACE') },
  );
const visible = fc.stringMatching(/^[\x21-\x7e]{0,80}$/);
const headers = fc.record(
  {
    authorization: fc.constantFrom(`Bearer ${ADMIN}`, 'Bearer sb_not-a-key', 'Basic YTpi', 'Bearer', ''),
    'content-type': fc.constantFrom(
      'application/json',
      'application/json; charset=utf-8',
      'text/plain',
      'application/x-www-form-urlencoded',
    ),
    'idempotency-key': fc.oneof(fc.constantFrom('idem-1', 'idem-2'), visible),
    'x-request-id': visible,
  },
  { requiredKeys: [] },
);
const scalar = fc.oneof(
  fc.integer({ min: -1_000_000, max: 1_000_000 }),
  fc.constantFrom('+5', '-3', '10', 'best', 'latest', 'sum', 'asc', 'desc', 'FR', 'ann', 'read', 'write'),
  fc.constantFrom(null, true, 1e300, -0, 2 ** 53, 2 ** 53 - 1, -(2 ** 53) + 1),
  fc.constantFrom({ order: 'asc' }, { order: 'desc' }, { order: 'up' }, { order: 'asc', x: 1 }, {}),
  text,
);
const field = fc.constantFrom(
  'user',
  'total',
  'score',
  'name',
  'country',
  'metadata',
  'subscore',
  'order',
  'operator',
  'min',
  'max',
  'keep',
  'history',
  'scopes',
  'boards',
  'rate',
  'hours',
  'start',
  'end',
);
const entry = fc.dictionary(field, scalar, { maxKeys: 4 });
const body = fc.oneof(
  { weight: 2, arbitrary: fc.constant(undefined) },
  { weight: 5, arbitrary: entry.map((e) => JSON.stringify(e)) },
  {
    weight: 3,
    arbitrary: fc
      .record({ scores: fc.array(entry, { maxLength: 4 }), players: fc.array(entry, { maxLength: 4 }) })
      .map((b) => JSON.stringify(b)),
  },
  { weight: 1, arbitrary: fc.json({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.oneof(text, fc.constantFrom('{', '[1,2', '', 'x'.repeat(3000))) },
);

/** The request sent before this one, to explain a connection the gateway closed. */
let previous = 'none';
let cluster: Cluster;
let base: string;
const agent = new Agent({ keepAlive: true, maxSockets: 1 });

/** One raw request (any method, any header); answers status, content type and body text. */
function send(
  m: string,
  path: string,
  hdrs: Record<string, string>,
  payload: string | undefined,
): Promise<{ status: number; type: string; text: string }> {
  return new Promise((done, fail) => {
    // Node sends a GET's or an OPTIONS's body with neither a length nor chunks unless told.
    const sized =
      payload === undefined ? hdrs : { ...hdrs, 'content-length': String(Buffer.byteLength(payload)) };
    const req = request(`${base}${path}`, { method: m, headers: sized, agent, timeout: 10_000 }, (res) => {
      // A live stream never ends by itself: its status and type are the answer.
      if (String(res.headers['content-type']).startsWith('text/event-stream')) {
        res.destroy();
        done({ status: res.statusCode!, type: String(res.headers['content-type']), text: '' });
        return;
      }
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => done({ status: res.statusCode!, type: String(res.headers['content-type']), text }));
    });
    req.on('timeout', () => req.destroy(new Error(`${m} ${path}: no answer in 10 s`)));
    const before = previous;
    previous = `${m} ${path} ${JSON.stringify(hdrs)} ${JSON.stringify(payload?.slice(0, 100))}`;
    req.on('error', (err) => fail(new Error(`${m} ${path}: ${err.message} (the request before: ${before})`)));
    req.end(payload);
  });
}

/** The ranking server's state digest. */
async function digest(): Promise<string> {
  const res = await http(`${base}/debug/digest`, { headers: { authorization: `Bearer ${ADMIN}` } });
  expect(res.status).toBe(200);
  return (res.body as { digest: string }).digest;
}

beforeAll(async () => {
  cluster = await startCluster({ nginx: true, env: { ADMIN_KEY: ADMIN } });
  base = cluster.endpoints.url;
  const admin = { authorization: `Bearer ${ADMIN}` };
  const setup: Array<[string, string, unknown]> = [
    ['PUT', '/boards/fz', {}],
    ['PUT', '/boards/golf', { order: 'asc', operator: 'best', keep: 3 }],
    ['PUT', '/boards/gone', {}],
    ['PUT', '/boards/sub', { subscore: { order: 'asc' } }],
    ['PUT', '/boards/sub/scores', { user: 'ann', total: 3, subscore: 40 }],
    ['PUT', '/players/ann', { name: 'Ann', country: 'IE' }],
    ['PUT', '/boards/fz/scores', { user: 'ann', total: 10 }],
    ['PUT', '/boards/golf/scores', { user: 'bob', total: 70 }],
    ['POST', '/boards/golf/reset', undefined],
    ['POST', '/keys', { name: 'fz-key', scopes: ['write'], boards: ['fz'] }],
  ];
  for (const [m, path, b] of setup) {
    const res = await http(`${base}${path}`, {
      method: m,
      headers: admin,
      ...(b === undefined ? {} : { body: b }),
    });
    expect(res.status, `${m} ${path}: ${JSON.stringify(res.body)}`).toBeLessThan(300);
  }
}, 60_000);

afterAll(async () => {
  agent.destroy();
  await cluster?.stop();
});

describe('fuzzing every route through nginx', () => {
  it('answers below 500, in JSON with a catalogue code, and changes nothing on a 4xx', async () => {
    const routes = readmeRoutes();
    expect(routes.length).toBeGreaterThan(30);
    const tally = { '2xx': 0, '4xx': 0, codes: new Set<string>() };
    const arbitrary = fc
      .constantFrom(...routes)
      .chain(([own, template]) => fc.tuple(method(own), pathFor(template), query, headers, body));
    await fc.assert(
      fc.asyncProperty(arbitrary, async ([m, path, q, hdrs, payload]) => {
        const before = await digest();
        const res = await send(m, path + q, hdrs, payload);
        const where = `${m} ${path}${q} → ${res.status} ${res.text.slice(0, 200)}`;
        expect(res.status, where).toBeLessThan(500);
        // A page answers HTML; everything else, and every error, answers JSON.
        // (nginx normalises paths: /boards/.. is the game at /, so the answer's type decides.)
        const page = res.status < 400 && res.type.startsWith('text/html');
        expect(!page && res.text.trimStart().startsWith('<'), where).toBe(false);
        if (res.text !== '' && m !== 'HEAD' && !page) {
          expect(res.type, where).toMatch(/^application\/json/);
          const parsed = JSON.parse(res.text) as { error?: { code?: unknown } };
          if (res.status >= 400) {
            expect(Object.keys(errorCatalogue), where).toContain(parsed.error?.code);
            tally.codes.add(String(parsed.error!.code));
          }
        }
        if (res.status >= 400) {
          tally['4xx']++;
          expect(await digest(), `the state changed: ${where}`).toBe(before);
        } else {
          tally['2xx']++;
        }
      }),
      { seed: SEED, numRuns: RUNS, interruptAfterTimeLimit: TIME_LIMIT_MS },
    );
    // The fuzz reached both sides of the checks, and a spread of refusals.
    expect(tally['2xx']).toBeGreaterThan(RUNS / 20);
    expect(tally['4xx']).toBeGreaterThan(RUNS / 4);
    for (const code of [ErrorCode.HTTP_VALIDATION, ErrorCode.HTTP_NOT_FOUND, ErrorCode.AUTH_INVALID]) {
      expect(tally.codes, code).toContain(code);
    }
    expect(tally.codes.size).toBeGreaterThanOrEqual(8);
  }, 180_000);
});
