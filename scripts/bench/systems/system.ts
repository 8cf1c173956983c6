/** What a system under test is: a URL behind nginx, its processes by role, and how to stop it. */

/** A running system under test. */
export interface System {
  url: string;
  /** The pids of its processes by role, read when a measurement starts (they may restart). */
  pids: () => Record<string, number[]>;
  stop: () => Promise<void>;
  /** Milliseconds from spawn to ready of the process holding the board, when it has one. */
  startupMs?: number;
}
