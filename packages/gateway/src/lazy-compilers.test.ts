import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { lazyCompilers, lazySerializerBuilder, lazyValidatorBuilder } from './lazy-compilers.js';

describe('lazy schema compilers', () => {
  it('compile a route once, on its first use, not when the route is made', () => {
    let compiled = 0;
    const build = () => () => {
      compiled++;
      const validate = (data: unknown) => {
        validate.errors = data === 1 ? null : [{ message: 'not one' }];
        return data === 1;
      };
      validate.errors = null as unknown;
      return validate;
    };
    const validate = lazyValidatorBuilder(build)()({} as never);
    expect(compiled).toBe(0);
    expect(validate(2)).toBe(false);
    expect(validate.errors).toEqual([{ message: 'not one' }]);
    expect(validate(1)).toBe(true);
    expect(validate.errors).toBeNull();
    expect(compiled).toBe(1);

    let serializers = 0;
    const serialize = lazySerializerBuilder(() => () => {
      serializers++;
      return (data: unknown) => `<${String(data)}>`;
    })()({} as never);
    expect(serializers).toBe(0);
    expect([serialize(1), serialize(2)]).toEqual(['<1>', '<2>']);
    expect(serializers).toBe(1);
  });

  it('keep Fastify answering as its own compilers do: 400 with the reason, typed answers', async () => {
    const app = Fastify({
      schemaController: { compilersFactory: lazyCompilers() },
      ajv: { customOptions: { coerceTypes: false, removeAdditional: false } },
    });
    app.post(
      '/p',
      {
        schema: {
          body: {
            type: 'object',
            properties: { n: { type: 'integer' } },
            required: ['n'],
            additionalProperties: false,
          },
          headers: {
            type: 'object',
            properties: { 'x-k': { type: 'string', maxLength: 3 } },
          },
          response: { 200: { type: 'object', properties: { n: { type: 'integer' } } } },
        },
      },
      async (request) => ({ n: (request.body as { n: number }).n, secret: 'dropped' }),
    );
    const post = (body: unknown, headers: Record<string, string> = {}) =>
      app.inject({ method: 'POST', url: '/p', payload: body as object, headers });
    const bad = await post({ n: '1' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toContain('body/n must be integer');
    expect((await post({ n: 1, extra: true })).statusCode).toBe(400);
    expect((await post({ n: 1 }, { 'X-K': 'toolong' })).statusCode).toBe(400);
    const ok = await post({ n: 7 }, { 'X-K': 'ok' });
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toBe('{"n":7}');
    await app.close();
  });
});
