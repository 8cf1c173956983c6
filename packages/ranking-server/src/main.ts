/**
 * The ranking server process: reads its config, binds, tells a parent launcher it is ready (IPC),
 * and on SIGTERM/SIGINT stops cleanly and exits 0.
 */
import { loadConfigOrExit, stopOnSignals } from '@scoreboard/config';
import { pino } from 'pino';
import { loadRankingServerConfig } from './config.js';
import { RankingServer } from './server.js';

async function main(): Promise<void> {
  const config = loadConfigOrExit('ranking-server', () => loadRankingServerConfig());
  const logger = pino({ level: config.logLevel, base: { service: 'ranking-server', pid: process.pid } });
  const server = new RankingServer({ endpoint: config.endpoint, logger });
  await server.start();
  stopOnSignals(logger, () => server.stop());
  process.send?.({ type: 'ready', endpoint: server.endpoint });
}

main().catch((err: unknown) => {
  process.stderr.write(`ranking-server: failed to start: ${String(err)}\n`);
  process.exit(1);
});
