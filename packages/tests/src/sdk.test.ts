/**
 * The OpenAPI document serves SDK generators: with a running system, TypeScript types are generated
 * from its `/docs/json` with openapi-typescript, a small program using openapi-fetch is compiled
 * against them (strict; a program that misreads an answer must not compile) and run, calling three
 * routes. Studios consume the API through clients generated like this (TypeScript, C#, C++).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import openapiTS, { astToString } from 'openapi-typescript';
import ts from 'typescript';
import { afterEach, describe, expect, it } from 'vitest';
import { startCluster, type Cluster } from './harness.js';

let cluster: Cluster | undefined;
// Inside this package, so the program finds openapi-fetch in its node_modules.
const dir = join(import.meta.dirname, '..', `.sdk-${process.pid}`);
afterEach(async () => {
  await cluster?.stop();
  cluster = undefined;
  rmSync(dir, { recursive: true, force: true });
});

/** A program against the generated `paths`: create a board, write a score, read the top. */
const PROGRAM = `
import createClient from 'openapi-fetch';
import type { paths } from './api.js';

const client = createClient<paths>({ baseUrl: process.env['BASE_URL'] });
const made = await client.PUT('/boards/{board}', {
  params: { path: { board: 'sdk' } },
  body: { order: 'asc', operator: 'best' },
});
if (!made.data) throw new Error('no board: ' + JSON.stringify(made.error));
const order: 'asc' | 'desc' = made.data.order;
const put = await client.PUT('/boards/{board}/scores', {
  params: { path: { board: 'sdk' } },
  body: { user: 'ann', total: 72 },
});
if (!put.data) throw new Error('no score: ' + JSON.stringify(put.error));
const rank: number = put.data.rank;
const top = await client.GET('/boards/{board}/top/{n}', { params: { path: { board: 'sdk', n: '5' } } });
if (!top.data) throw new Error('no top: ' + JSON.stringify(top.error));
const first: string | number = top.data[0]!.user;
const missing = await client.GET('/boards/{board}/users/{user}', {
  params: { path: { board: 'sdk', user: 'nobody' } },
});
const code: string | undefined = missing.error?.error.code;
console.log(JSON.stringify({ status: made.response.status, order, rank, first, code }));
`;

/** O(program). Type-checks `file` strictly; answers the diagnostics as text ('' when it compiles). */
function typeCheck(file: string): string {
  const program = ts.createProgram([file], {
    strict: true,
    noEmit: true,
    noUncheckedIndexedAccess: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    skipLibCheck: true,
  });
  const diagnostics = ts.getPreEmitDiagnostics(program);
  return ts.formatDiagnostics(diagnostics, {
    getCanonicalFileName: (f) => f,
    getCurrentDirectory: () => dir,
    getNewLine: () => '\n',
  });
}

describe('an SDK generated from the OpenAPI document', () => {
  it('compiles against the generated types and calls a running system', async () => {
    cluster = await startCluster({ clients: 1 });
    const base = cluster.endpoints.clients[0]!;
    const doc = (await (await fetch(`${base}/docs/json`)).json()) as Parameters<typeof openapiTS>[0];
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), '{"type":"module"}\n');
    const types = astToString(await openapiTS(doc));
    // The named components became named types.
    expect(types).toMatch(/Entry: \{/);
    expect(types).toMatch(/Standing: \{/);
    writeFileSync(join(dir, 'api.ts'), types);
    const program = join(dir, 'program.ts');
    writeFileSync(program, PROGRAM);
    expect(typeCheck(program)).toBe('');
    // The types say something: reading a rank as a string does not compile.
    const wrong = join(dir, 'wrong.ts');
    writeFileSync(wrong, PROGRAM.replace('const rank: number', 'const rank: string'));
    expect(typeCheck(wrong)).toMatch(/rank|not assignable/);

    const run = spawnSync(process.execPath, ['--import', 'tsx', program], {
      cwd: dir,
      env: { ...process.env, BASE_URL: base },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({
      status: 201,
      order: 'asc',
      rank: 1,
      first: 'ann',
      code: 'SCOREBOARD_ERR_USER_NOT_FOUND',
    });
  });
});
