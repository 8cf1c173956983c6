/**
 * Fastify's own schema compilers (Ajv for requests, fast-json-stringify for answers), each route's
 * function compiled on its first use instead of all at start-up.
 *
 * Why: compiling every route's validators and serializers was ~300 ms of a client's ~1.1 s from
 * spawn to listening on this machine (CPU profile of the start), and a client's start is
 * downtime on a restart. The compiled functions are the same ones Fastify would make, with the
 * same Ajv options; only when they are made moves. A route's first request pays its compile
 * (a few ms), later requests call the compiled function directly.
 */
import AjvCompiler from '@fastify/ajv-compiler';
import SerializerSelector from '@fastify/fast-json-stringify-compiler';
import type { FastifyServerOptions } from 'fastify';

type Compilers = NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>;
type ValidateFn = ((data: unknown) => unknown) & { errors?: unknown };

/** O(1) per route, compiling on first call; the validator keeps `errors` readable on itself, as Fastify reads them there. */
export function lazyValidatorBuilder(build: (...args: never[]) => (route: never) => ValidateFn) {
  return (...args: never[]) => {
    const compile = build(...args);
    return (route: never): ValidateFn => {
      let validate: ValidateFn | undefined;
      const lazy: ValidateFn = (data) => {
        validate ??= compile(route);
        const result = validate(data);
        lazy.errors = validate.errors;
        return result;
      };
      return lazy;
    };
  };
}

/** O(1) per route, compiling on first call. */
export function lazySerializerBuilder(
  build: (...args: never[]) => (route: never) => (data: unknown) => string,
) {
  return (...args: never[]) => {
    const compile = build(...args);
    return (route: never) => {
      let serialize: ((data: unknown) => string) | undefined;
      return (data: unknown) => (serialize ??= compile(route))(data);
    };
  };
}

/** O(1). The `schemaController.compilersFactory` option: Fastify's default compilers, made lazy. */
export function lazyCompilers(): Compilers {
  return {
    buildValidator: lazyValidatorBuilder(AjvCompiler() as never),
    buildSerializer: lazySerializerBuilder(SerializerSelector() as never),
  } as Compilers;
}
