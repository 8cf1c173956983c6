/**
 * Idempotency keys, in memory: a key seen with a write remembers that write's fingerprint and
 * answer, so a repeat (a client retry, nginx, a user double-click) answers the first result without
 * applying the write again; the same key with a different request is refused. Keys are bounded by
 * count and by age, oldest first. The engine checks and remembers them; the store persists them
 * (in the log with the writes they belong to, and in snapshots) and replays them at start-up.
 */
import type { Entry } from '@scoreboard/protocol';
import type { KeyRef } from '../persistence/records.js';

/** Most keys remembered; past it the oldest are forgotten first. */
export const MAX_KEYS = 1_000_000;
/** How long a key is remembered. */
export const KEY_TTL_MS = 24 * 3600_000;

/** What is remembered per key. */
export interface KeyEntry {
  fingerprint: string;
  result: Entry;
  at: number;
}

/** A bounded map of idempotency keys to first answers. */
export class IdempotencyStore {
  private readonly keys = new Map<string, KeyEntry>();

  /** O(1). `maxKeys` and `ttlMs` bound what is remembered. */
  constructor(
    private readonly maxKeys = MAX_KEYS,
    private readonly ttlMs = KEY_TTL_MS,
  ) {}

  /** O(1). Keys remembered now. */
  get size(): number {
    return this.keys.size;
  }

  /** O(1). The entry for a key, or undefined (also when it has expired). */
  get(key: string, now: number): KeyEntry | undefined {
    const entry = this.keys.get(key);
    return entry && now - entry.at <= this.ttlMs ? entry : undefined;
  }

  /** O(1) amortised. Remembers a key; evicts the oldest past the count or age bound. */
  remember(ref: KeyRef, result: Entry, at: number): void {
    this.keys.delete(ref.key); // re-insert at the end: the Map stays in age order
    this.keys.set(ref.key, { fingerprint: ref.fingerprint, result, at });
    for (const [key, entry] of this.keys) {
      if (this.keys.size <= this.maxKeys && at - entry.at <= this.ttlMs) break;
      this.keys.delete(key);
    }
  }

  /** O(n). Every live key, oldest first, for snapshots. */
  *entries(): Generator<[string, KeyEntry]> {
    yield* this.keys;
  }
}
