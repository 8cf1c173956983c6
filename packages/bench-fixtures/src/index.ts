/** Benchmark fixtures: entry points of the peer and the ceiling, for the benchmark driver. */
import { resolve } from 'node:path';

/** Built entry point of the Redis-backed peer. */
export const REDIS_PEER_MAIN = resolve(import.meta.dirname, '../dist/redis-peer.js');
/** Built entry point of the constant-answer ceiling. */
export const CEILING_MAIN = resolve(import.meta.dirname, '../dist/ceiling.js');
