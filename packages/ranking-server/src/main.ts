/**
 * The ranking server process: reads its config, loads its data folder, binds, tells a parent
 * launcher it is ready (IPC), and on SIGTERM/SIGINT answers what it accepted, flushes the log and
 * exits 0. It exits 3 when the data folder cannot be trusted. When the log cannot be written (a
 * full disk) it stays up: writes are refused and reads answered until a retry succeeds.
 */
import { loadConfigOrExit, stopOnSignals, processLogger } from '@scoreboard/lifecycle';
import { loadRankingServerConfig } from './config.js';
import { CorruptLogError } from './persistence/store.js';
import { CorruptSnapshotError } from './persistence/snapshot.js';
import { openRankingService, type RankingService } from './service.js';

async function main(): Promise<void> {
  const config = loadConfigOrExit('ranking-server', () => loadRankingServerConfig());
  const logger = processLogger('ranking-server', config.logLevel, config.logFormat);
  let service: RankingService;
  try {
    service = openRankingService(config, logger);
  } catch (err) {
    if (err instanceof CorruptLogError || err instanceof CorruptSnapshotError) {
      logger.fatal({ err: { message: err.message } }, 'cannot load the data folder');
      process.stderr.write(`ranking-server: ${err.message}\n`);
      process.exit(3);
    }
    throw err;
  }
  if (!config.persist) logger.warn('PERSIST=0: the board lives in memory only and is lost on restart');
  await service.start();
  stopOnSignals(logger, () => service.stop());
  process.send?.({ type: 'ready', endpoint: service.server.endpoint });
}

main().catch((err: unknown) => {
  process.stderr.write(`ranking-server: failed to start: ${String(err)}\n`);
  process.exit(1);
});
