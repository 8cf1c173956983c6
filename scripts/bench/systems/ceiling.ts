/** The ceiling: Fastify answering a constant body behind the same nginx — what no API can beat here. */
import { CEILING_MAIN } from '@scoreboard/bench-fixtures';
import { childPids } from '../wrk.js';
import { startFixture } from './fixture.js';
import type { System } from './system.js';

/** Starts the ceiling with `clients` processes. */
export async function startCeiling(clients: number): Promise<System> {
  const fx = await startFixture(CEILING_MAIN, clients, {});
  return {
    url: fx.url,
    pids: () => ({
      clients: fx.procs.map((p) => p.pid!),
      nginx: [fx.nginx.pid!, ...childPids(fx.nginx.pid!)],
    }),
    stop: fx.stopAll,
  };
}
