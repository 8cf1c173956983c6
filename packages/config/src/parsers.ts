/** Parsers for setting values; each throws an Error that says what is expected. */
import { MAX_SHARDS } from './limits.js';
import type { Parser } from './settings.js';

/** O(1). An integer within [min, max]. */
export function integer(min: number, max: number): Parser<number> {
  return (raw) => {
    if (!/^-?[0-9]+$/.test(raw.trim())) throw new Error(`expected an integer from ${min} to ${max}`);
    const n = Number(raw);
    if (!Number.isSafeInteger(n) || n < min || n > max) {
      throw new Error(`expected an integer from ${min} to ${max}`);
    }
    return n;
  };
}

/** O(1). A TCP port, 1–65535. */
export const port: Parser<number> = integer(1, 65535);

/** O(1). A boolean: 1/true/yes/on or 0/false/no/off. */
export const boolean: Parser<boolean> = (raw) => {
  const v = raw.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off'].includes(v)) return false;
  throw new Error('expected 1/0, true/false, yes/no or on/off');
};

/** O(1). One of a fixed list of words. */
export function oneOf<const T extends string>(values: readonly T[]): Parser<T> {
  return (raw) => {
    const v = raw.trim() as T;
    if (!values.includes(v)) throw new Error(`expected one of ${values.join(', ')}`);
    return v;
  };
}

/** O(1). A ZeroMQ TCP or IPC endpoint such as tcp://127.0.0.1:5555 or ipc:///tmp/ranking.sock. */
export const zmqEndpoint: Parser<string> = (raw) => {
  const v = raw.trim();
  if (/^tcp:\/\/[A-Za-z0-9.*:[\]_-]+:[0-9]{1,5}$/.test(v) || /^ipc:\/\/.+$/.test(v)) return v;
  throw new Error('expected tcp://HOST:PORT or ipc://PATH');
};

/** O(n). One ZeroMQ endpoint per shard, comma-separated, in shard order (1 to MAX_SHARDS, no repeats). */
export const zmqEndpoints: Parser<string[]> = (raw) => {
  const list = raw.split(',').map((v) => zmqEndpoint(v));
  if (list.length > MAX_SHARDS) throw new Error(`expected at most ${MAX_SHARDS} endpoints`);
  if (new Set(list).size !== list.length) throw new Error('expected distinct endpoints');
  return list;
};

/** O(1). A host name or IP address to listen on. */
export const host: Parser<string> = (raw) => {
  const v = raw.trim();
  if (/^[A-Za-z0-9.:_-]{1,253}$/.test(v)) return v;
  throw new Error('expected a host name or IP address');
};

/** The pino log levels. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** O(1). A pino log level. */
export const logLevel: Parser<(typeof LOG_LEVELS)[number]> = oneOf(LOG_LEVELS);
