/**
 * The ranking server process: reads its config, binds, tells a parent launcher it is ready (IPC),
 * and on SIGTERM/SIGINT stops cleanly and exits 0.
 */
import { ConfigError } from '@scoreboard/config';
import { pino } from 'pino';
import { loadRankingServerConfig } from './config.js';
import { RankingServer } from './server.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadRankingServerConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`ranking-server: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const logger = pino({ level: config.logLevel, base: { service: 'ranking-server', pid: process.pid } });
  const server = new RankingServer({ endpoint: config.endpoint, logger });
  await server.start();
  process.send?.({ type: 'ready', endpoint: server.endpoint });

  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    server.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('disconnect', () => shutdown('disconnect'));
}

main().catch((err: unknown) => {
  process.stderr.write(`ranking-server: failed to start: ${String(err)}\n`);
  process.exit(1);
});
