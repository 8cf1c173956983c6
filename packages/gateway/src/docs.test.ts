import { ModelRanking } from '@scoreboard/model';
import { ErrorCode } from '@scoreboard/protocol';
import { Validator } from '@seriousme/openapi-schema-validator';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from './app.js';
import { KeyTable } from './auth/key-table.js';

type Operation = {
  summary: string;
  tags: string[];
  security?: unknown[];
  requestBody?: { required?: boolean; content: Record<string, { example?: unknown }> };
  operationId: string;
  responses: Record<
    string,
    { description: string; 'x-error-codes'?: string[]; content?: Record<string, { schema: any }> }
  >;
};
type Doc = {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown> };
};

let app: FastifyInstance;
let doc: Doc;
const registered: string[] = [];

beforeAll(async () => {
  const logger = pino({ level: 'silent' });
  const ranking = new ModelRanking();
  // Keys on: the docs must stay readable without one.
  app = buildApp({ ranking, logger, keys: new KeyTable(ranking, 'k'.repeat(32), logger) });
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD' && !/^\/(docs|assets)\b/.test(route.url))
        registered.push(`${method} ${route.url}`);
    }
  });
  await app.ready();
  const res = await app.inject({ method: 'GET', url: '/docs/json' });
  expect(res.statusCode).toBe(200);
  doc = res.json();
});
afterAll(() => app.close());

describe('the OpenAPI document', () => {
  it('is valid OpenAPI 3.1', async () => {
    expect(doc.openapi).toBe('3.1.0');
    const result = await new Validator().validate(doc);
    expect(result.errors ?? [], JSON.stringify(result.errors)).toEqual([]);
    expect(result.valid).toBe(true);
    // The validator can fail: a document without its info is refused.
    expect((await new Validator().validate({ ...doc, info: undefined })).valid).toBe(false);
  });

  it('holds every route the app registers, and no test-mode route', () => {
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`),
    );
    const served = registered.filter((r) => !r.includes('/debug/') && r !== 'DELETE /reset');
    expect(served.length).toBeGreaterThan(30);
    expect(served.filter((r) => !documented.includes(r))).toEqual([]);
    expect(documented.filter((r) => r.includes('/debug'))).toEqual([]);
  });

  it('gives each route a summary, a tag, its key requirement and its error codes by status', () => {
    const put = doc.paths['/boards/{board}/scores']!['put']!;
    expect(put.summary).toMatch(/score/i);
    expect(put.tags).toEqual(['scores']);
    expect(put.security).toEqual([{ bearer: [] }]);
    expect(put.requestBody!.content['application/json']!.example).toEqual({ user: 'ann', total: 72 });
    const codes = (status: string) => put.responses[status]!['x-error-codes'];
    expect(codes('404')).toEqual([ErrorCode.BOARD_NOT_FOUND]);
    expect(codes('422')).toEqual(
      expect.arrayContaining([ErrorCode.SCORE_OUT_OF_RANGE, ErrorCode.IDEMPOTENCY_KEY_REUSED]),
    );
    expect(codes('401')).toEqual([ErrorCode.AUTH_REQUIRED, ErrorCode.AUTH_INVALID]);
    expect(codes('503')).toContain(ErrorCode.STORAGE_UNAVAILABLE);
    expect(put.responses['404']!.content!['application/json']!.schema).toEqual({
      $ref: '#/components/schemas/Error',
    });
    expect(put.responses['200']).toBeDefined();
    expect(put.responses['429']!.description).toContain(ErrorCode.RATE_LIMITED);
    const health = doc.paths['/health-check']!['get']!;
    expect(health.security).toBeUndefined();
    expect(health.responses['401']).toBeUndefined();
    expect(doc.paths['/boards/{board}/top/{n}']!['get']!.responses['503']!['x-error-codes']).not.toContain(
      ErrorCode.STORAGE_UNAVAILABLE,
    );
  });

  it('gives every operation a stable camelCase operationId and a tag, for SDK generators', () => {
    const ops = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => ({ where: `${method} ${path}`, ...op })),
    );
    expect(ops.length).toBeGreaterThan(40);
    const ids = ops.map((op) => op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const op of ops) {
      expect(op.operationId, op.where).toMatch(/^[a-z][A-Za-z]+$/);
      expect(op.tags.length, op.where).toBe(1);
      expect(op.tags[0], op.where).not.toBe('');
      expect(op.summary, op.where).not.toBe(op.where);
    }
    expect(doc.paths['/boards/{board}/top/{n}']!['get']!.operationId).toBe('getBoardTop');
    expect(doc.paths['/boards/{board}/scores']!['put']!.operationId).toBe('putBoardScore');
  });

  it('names the shared shapes as components, referenced wherever they stand', () => {
    const names = Object.keys(doc.components.schemas);
    expect(names).toEqual(
      expect.arrayContaining(['Entry', 'Standing', 'Board', 'Player', 'Period', 'Key', 'Error']),
    );
    const top = doc.paths['/boards/{board}/top/{n}']!['get']!.responses['200']!.content!['application/json']!;
    expect(top.schema).toEqual({ type: 'array', items: { $ref: '#/components/schemas/Entry' } });
    const text = JSON.stringify(doc);
    for (const name of names) expect(text, name).toContain(`#/components/schemas/${name}`);
    // No shape is written out inline again where its component stands.
    expect(JSON.stringify(doc.paths)).not.toContain('"title":');
  });

  it('says a body is optional where the route takes none, and required elsewhere', async () => {
    expect(doc.paths['/boards/{board}']!['put']!.requestBody!.required).toBe(false);
    expect(doc.paths['/boards/{board}/scores']!['put']!.requestBody!.required).toBe(true);
    // What the document says is what the route does: no body creates the board with the defaults.
    const made = await app.inject({
      method: 'PUT',
      url: '/boards/bodiless',
      headers: { authorization: `Bearer ${'k'.repeat(32)}` },
    });
    expect(made.statusCode).toBe(201);
    expect(JSON.stringify(doc)).not.toContain('x-scoreboard');
  });

  it('is browsable at /docs without a key, assets included', async () => {
    const ui = await app.inject({ method: 'GET', url: '/docs' });
    const page = ui.statusCode === 302 ? await app.inject({ method: 'GET', url: ui.headers.location! }) : ui;
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    const script = /src="([^"]*swagger-ui-bundle\.js)"/.exec(page.body)?.[1];
    expect(script).toMatch(/^\/docs\//);
    const asset = await app.inject({ method: 'GET', url: script! });
    expect(asset.statusCode).toBe(200);
  });
});
