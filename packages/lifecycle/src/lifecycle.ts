/**
 * Process lifecycle shared by every entry point: read the config or exit 2 with a message naming
 * the bad setting, and on SIGTERM/SIGINT (or the launcher's IPC channel closing) stop once, then
 * exit 0 — or 1 if stopping failed.
 */
import { ConfigError } from '@scoreboard/config';

/** Set to "1" in the environment of the processes the launcher supervises. */
export const SUPERVISED_ENV = 'SCOREBOARD_SUPERVISED';

/** Minimal logger surface, so this package does not depend on pino. */
interface LifecycleLogger {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** O(1). The config from `load()`; on a ConfigError prints `name: message` and exits 2. */
export function loadConfigOrExit<T>(name: string, load: () => T): T {
  try {
    return load();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${name}: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
}

/**
 * O(1). Calls `stop` once on the first SIGTERM, SIGINT (unless a launcher owns this process) or
 * IPC disconnect, then exits 0 (1 if it failed). Further signals while stopping are ignored.
 */
export function stopOnSignals(logger: LifecycleLogger, stop: () => Promise<void>): void {
  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    stop().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  if (process.env[SUPERVISED_ENV] === '1') {
    // Under the launcher, a terminal's Ctrl-C reaches this process too; the launcher stops its
    // children in order (nginx, clients, server), so wait for its SIGTERM instead.
    process.on('SIGINT', () => undefined);
  } else {
    process.on('SIGINT', () => shutdown('SIGINT'));
  }
  // A parent that holds an IPC channel to us (the launcher, or start.mjs) and dies takes us along.
  if (process.send) process.on('disconnect', () => shutdown('disconnect'));
}
