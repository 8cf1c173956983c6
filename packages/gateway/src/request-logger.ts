/**
 * Each request's logger, made only when the request logs something. Fastify gives every request
 * a child logger bound to its id; pino builds that child (its bindings serialised) at once, on
 * every request, though nearly all requests log nothing. This one stands in for it and makes the
 * child on the first line written at an enabled level, so every line a request logs still carries
 * its id (`rid`), and a request that logs nothing costs one small object.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { Bindings, ChildLoggerOptions, Level, LevelWithSilentOrString, LogFn, Logger } from 'pino';

/** A request's logger: pino's child, made on first use. */
class LazyChild {
  private made: Logger | undefined;
  /** The level the child would have: the route's, else its parent's. */
  readonly level: LevelWithSilentOrString;
  private readonly threshold: number;

  constructor(
    private readonly parent: Logger,
    private readonly bindings: Bindings,
    private readonly options: ChildLoggerOptions,
  ) {
    this.level = options.level ?? parent.level;
    this.threshold = parent.levels.values[this.level] ?? Infinity;
  }

  /** O(bindings) once, then O(1): the real child. */
  private get real(): Logger {
    return (this.made ??= this.parent.child(this.bindings, this.options));
  }

  /** O(1). Writes through the child when `level` is enabled (making the child the first time). */
  private write(level: Level, args: Parameters<LogFn>): void {
    if ((this.parent.levels.values[level] ?? 0) >= this.threshold) this.real[level](...args);
  }

  fatal(...args: Parameters<LogFn>): void {
    this.write('fatal', args);
  }
  error(...args: Parameters<LogFn>): void {
    this.write('error', args);
  }
  warn(...args: Parameters<LogFn>): void {
    this.write('warn', args);
  }
  info(...args: Parameters<LogFn>): void {
    this.write('info', args);
  }
  debug(...args: Parameters<LogFn>): void {
    this.write('debug', args);
  }
  trace(...args: Parameters<LogFn>): void {
    this.write('trace', args);
  }
  silent(): void {}

  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.real.child(bindings, options);
  }
}

/**
 * O(1). Fastify's `childLoggerFactory`: the request's logger as a {@link LazyChild} of `logger`
 * (the bindings hold the request id).
 */
export function lazyRequestLogger(
  logger: FastifyBaseLogger,
  bindings: Bindings,
  options: ChildLoggerOptions,
): FastifyBaseLogger {
  return new LazyChild(logger as Logger, bindings, options);
}
