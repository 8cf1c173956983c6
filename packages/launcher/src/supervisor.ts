/**
 * A supervised child process: started, watched for readiness, restarted with back-off when it
 * crashes, and stopped with SIGTERM (then SIGKILL after a grace period).
 *
 * Readiness is either an IPC `{type: 'ready'}` message (Node children) or a probe the owner gives
 * (nginx: its port accepts connections).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import type { Logger } from 'pino';

/** How to run and watch one child. */
export interface ChildSpec {
  /** Name in logs, e.g. "client-8001". */
  name: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  /** Wait for an IPC `{type:'ready'}` message; otherwise `probe` decides readiness. */
  ipc: boolean;
  /** Resolves true once the child serves (used when `ipc` is false). */
  probe?: () => Promise<boolean>;
  /** Signal for a graceful stop (nginx uses SIGQUIT). */
  stopSignal?: NodeJS.Signals;
  /** Give up on readiness after this many ms. */
  readyTimeoutMs?: number;
  /** Restart delays (defaults: {@link DEFAULT_BACKOFF}). */
  backoff?: Backoff;
}

/** How restarts after crashes are spaced. */
export interface Backoff {
  /** The first restart's delay; each crash in a row doubles it… */
  minMs: number;
  /** …up to this. */
  maxMs: number;
  /** A child that ran this long before crashing is restarted after `minMs` again. */
  stableAfterMs: number;
}

/** Restart delays of a supervised child: 0.2 s doubling to 10 s, forgiven after 10 s of running. */
export const DEFAULT_BACKOFF: Backoff = { minMs: 200, maxMs: 10_000, stableAfterMs: 10_000 };
const STOP_GRACE_MS = 8_000;

/** One child process kept running until `stop()`. */
export class Supervised {
  private child: ChildProcess | undefined;
  private stopping = false;
  private restarts = 0;
  private restartTimer: NodeJS.Timeout | undefined;
  private exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  private lastReadyMs: number | undefined;
  private readonly log: Logger;

  /** O(1). Nothing runs until `start()`. */
  constructor(
    private readonly spec: ChildSpec,
    logger: Logger,
  ) {
    this.log = logger.child({ module: 'supervisor', child: spec.name });
  }

  /** O(1). The running child's pid, if any. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** O(1). Milliseconds from spawn to ready of the last start, once ready. */
  get readyMs(): number | undefined {
    return this.lastReadyMs;
  }

  /** O(1). How the last child exited, if one did. */
  get lastExit(): { code: number | null; signal: NodeJS.Signals | null } | undefined {
    return this.exit;
  }

  /** O(1). How many times the child was restarted after a crash. */
  get restartCount(): number {
    return this.restarts;
  }

  /** Starts the child and resolves when it is ready; rejects if it exits or times out first. */
  async start(): Promise<void> {
    this.stopping = false;
    await this.launch();
  }

  /** O(1). From now on an exit is not a crash: no restart. `stop()` implies it. */
  stopRestarting(): void {
    this.stopping = true;
    clearTimeout(this.restartTimer);
  }

  /** Stops the child (graceful signal, then SIGKILL after a grace period) and stops restarting. */
  async stop(): Promise<void> {
    this.stopRestarting();
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill(this.spec.stopSignal ?? 'SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    await exited;
    clearTimeout(timer);
  }

  private async launch(): Promise<void> {
    const spec = this.spec;
    const child = spawn(spec.command, spec.args, {
      env: spec.env ?? process.env,
      // Same session and process group as the launcher (a child in a session of its own gets its
      // own CPU share under the kernel's autogroup scheduling, which cost ~20% throughput here).
      // A Ctrl-C reaches every child: Node children under a launcher ignore SIGINT and wait to be
      // stopped in order; they also exit when the launcher's IPC channel closes.
      stdio: spec.ipc ? ['ignore', 'inherit', 'inherit', 'ipc'] : ['ignore', 'inherit', 'inherit'],
    });
    this.child = child;
    const startedAt = Date.now();
    child.on('exit', (code, signal) => {
      this.exit = { code, signal };
      if (this.child !== child || this.stopping) return;
      const ranFor = Date.now() - startedAt;
      const backoff = spec.backoff ?? DEFAULT_BACKOFF;
      if (ranFor > backoff.stableAfterMs) this.restarts = 0;
      const delay = Math.min(backoff.maxMs, backoff.minMs * 2 ** Math.min(this.restarts, 20));
      this.restarts++;
      this.log.warn({ code, signal, ranFor, restartInMs: delay }, 'child exited; restarting');
      this.restartTimer = setTimeout(() => {
        this.launch().catch((err: unknown) => this.log.error({ err }, 'restart failed'));
      }, delay);
    });
    await this.waitReady(child, startedAt);
    this.lastReadyMs = Date.now() - startedAt;
    this.log.info({ pid: child.pid, readyMs: this.lastReadyMs }, 'ready');
  }

  private waitReady(child: ChildProcess, startedAt: number): Promise<void> {
    const timeoutMs = this.spec.readyTimeoutMs ?? 15_000;
    return new Promise<void>((resolve, reject) => {
      let done = false;
      const finish = (err?: Error): void => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        child.off('message', onMessage);
        child.off('exit', onExit);
        if (err) reject(err);
        else resolve();
      };
      const onMessage = (msg: unknown): void => {
        if (typeof msg === 'object' && msg !== null && (msg as { type?: unknown }).type === 'ready') finish();
      };
      const onExit = (code: number | null, signal: string | null): void =>
        finish(new Error(`${this.spec.name} exited before it was ready (code ${code}, signal ${signal})`));
      const timer = setTimeout(
        () => finish(new Error(`${this.spec.name} not ready after ${timeoutMs} ms`)),
        timeoutMs,
      );
      child.on('exit', onExit);
      if (this.spec.ipc) child.on('message', onMessage);
      else {
        const poll = async (): Promise<void> => {
          while (!done && Date.now() - startedAt < timeoutMs) {
            if (await this.spec.probe!()) return finish();
            await new Promise((r) => setTimeout(r, 50));
          }
        };
        void poll();
      }
    });
  }
}
