/**
 * Every process's logger: JSON lines (what a log shipper wants), or pretty for a person when
 * stdout is a terminal (`LOG_FORMAT=auto`, the default) or when asked (`pretty`). The request id
 * is a field like any other, so it reads the same in both.
 */
import type { LogFormat } from '@scoreboard/config';
import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import pretty from 'pino-pretty';

/** O(1). Whether `format` means pretty lines when stdout is (or is not) a terminal. */
export function prettyLogs(format: LogFormat, stdoutIsTty = process.stdout.isTTY === true): boolean {
  return format === 'pretty' || (format === 'auto' && stdoutIsTty);
}

/** Where a logger writes (tests), and extra fields on every line. */
export interface LoggerExtras {
  base?: Record<string, unknown>;
  /** Default: stdout. */
  destination?: DestinationStream;
}

/** O(1). A logger for `service` at `level`, writing JSON lines or pretty ones as `format` says. */
export function processLogger(
  service: string,
  level: string,
  format: LogFormat,
  extras: LoggerExtras = {},
): Logger {
  const options: LoggerOptions = { level, base: { service, pid: process.pid, ...extras.base } };
  if (!prettyLogs(format)) return extras.destination ? pino(options, extras.destination) : pino(options);
  // Synchronous, on this thread: a log line is not lost when the process exits right after it.
  const stream = pretty({
    sync: true,
    colorize: extras.destination ? false : pretty.isColorSupported,
    ignore: 'pid,hostname,service',
    messageFormat: '[{service}] {msg}',
    ...(extras.destination ? { destination: extras.destination as NodeJS.WritableStream } : {}),
  });
  return pino(options, stream);
}
