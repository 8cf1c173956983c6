/**
 * The ranking server process: reads its config, loads the board from its data folder, binds,
 * tells a parent launcher it is ready (IPC), and on SIGTERM/SIGINT answers what it accepted,
 * flushes the log and exits 0.
 */
import { loadConfigOrExit, stopOnSignals } from '@scoreboard/config';
import { pino } from 'pino';
import { loadRankingServerConfig } from './config.js';
import { Leaderboard } from './leaderboard.js';
import { IdempotencyStore } from './persistence/idempotency.js';
import { CorruptLogError, DurableStore } from './persistence/store.js';
import { CorruptSnapshotError } from './persistence/snapshot.js';
import { RankingServer } from './server.js';

async function main(): Promise<void> {
  const config = loadConfigOrExit('ranking-server', () => loadRankingServerConfig());
  const logger = pino({ level: config.logLevel, base: { service: 'ranking-server', pid: process.pid } });
  const board = new Leaderboard();
  const keys = new IdempotencyStore();
  const server = new RankingServer({ endpoint: config.endpoint, logger, board, keys });
  if (config.persist) {
    try {
      const store = DurableStore.open({
        dir: config.dataDir,
        policy: config.fsync,
        board,
        keys,
        logger,
        recover: config.recover,
        snapshotBytes: config.snapshotBytes,
        onDurable: (ticket) => server.releaseDurable(ticket),
      });
      server.attachStore(store);
    } catch (err) {
      if (err instanceof CorruptLogError || err instanceof CorruptSnapshotError) {
        logger.fatal({ err: { message: err.message } }, 'cannot load the data folder');
        process.stderr.write(`ranking-server: ${err.message}\n`);
        process.exit(3);
      }
      throw err;
    }
  } else {
    logger.warn('PERSIST=0: the board lives in memory only and is lost on restart');
  }
  await server.start();
  stopOnSignals(logger, () => server.stop());
  process.send?.({ type: 'ready', endpoint: server.endpoint });
}

main().catch((err: unknown) => {
  process.stderr.write(`ranking-server: failed to start: ${String(err)}\n`);
  process.exit(1);
});
