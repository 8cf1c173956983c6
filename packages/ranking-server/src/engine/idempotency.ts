/**
 * Idempotency keys, in memory: a key seen with a write remembers that request's fingerprint and its
 * answer (the JSON sent back), so a repeat — a client retry, a double click, an import resumed —
 * answers the first result without applying the write again; the same key with a different request
 * is refused. Keys are bounded by count, by age and by the bytes they hold, oldest first. The
 * engine checks and remembers them; the store persists them (in the log with the writes they
 * belong to, and in snapshots) and replays them at start-up.
 */
import type { UserId } from '@scoreboard/protocol';
import { createHash } from 'node:crypto';
import type { KeyAnswer } from '../records/index.js';

import { IDEMPOTENCY_KEY_TTL_MS, MAX_IDEMPOTENCY_KEYS } from '@scoreboard/protocol';
/** Most bytes of fingerprints and answers remembered. */
export const MAX_KEY_BYTES = 256 * 1024 * 1024;

/** Requests whose arguments' JSON is longer than this are fingerprinted by a hash of it. */
const LONG_ARGS = 256;

/** What is remembered per key. */
export interface KeyEntry {
  fingerprint: string;
  /** The answer's JSON, as first sent. */
  answer: string;
  at: number;
}

/**
 * O(size of args). The fingerprint of a request: `cmd:args-json`, or `cmd:sha256:<hash>` when the
 * arguments are long (a batch), so a remembered key costs tens of bytes, not kilobytes.
 */
export function fingerprintOf(cmd: string, args: unknown): string {
  const json = JSON.stringify(args);
  if (json.length <= LONG_ARGS) return `${cmd}:${json}`;
  return `${cmd}:sha256:${createHash('sha256').update(json).digest('base64url')}`;
}

/** A bounded map of idempotency keys to first answers. */
export class IdempotencyStore {
  private readonly keys = new Map<string, KeyEntry>();
  private heldBytes = 0;

  /** O(1). `maxKeys`, `ttlMs` and `maxBytes` bound what is remembered. */
  constructor(
    private readonly maxKeys = MAX_IDEMPOTENCY_KEYS,
    private readonly ttlMs = IDEMPOTENCY_KEY_TTL_MS,
    private readonly maxBytes = MAX_KEY_BYTES,
  ) {}

  /** O(1). Keys remembered now. */
  get size(): number {
    return this.keys.size;
  }

  /** O(1). Bytes of fingerprints and answers held. */
  get bytes(): number {
    return this.heldBytes;
  }

  /** O(1). The entry for a key, or undefined (also when it has expired). */
  get(key: string, now: number): KeyEntry | undefined {
    const entry = this.keys.get(key);
    return entry && now - entry.at <= this.ttlMs ? entry : undefined;
  }

  /** O(1) amortised. Remembers a key; evicts the oldest past the count, byte or age bound. */
  remember(ref: KeyAnswer, at: number): void {
    this.forget(ref.key);
    this.keys.set(ref.key, { fingerprint: ref.fingerprint, answer: ref.answer, at });
    this.heldBytes += weight(ref.key, ref.fingerprint, ref.answer);
    for (const [key, entry] of this.keys) {
      if (this.keys.size <= this.maxKeys && this.heldBytes <= this.maxBytes && at - entry.at <= this.ttlMs)
        break;
      this.forget(key);
    }
  }

  /**
   * O(keys · answer size). Forgets every key whose answer or request fingerprint shows `user`
   * (erasure: nothing of the player may survive, not even in a remembered answer).
   */
  forgetUser(user: UserId): void {
    const needle = `"user":${JSON.stringify(user)}`;
    for (const [key, entry] of this.keys) {
      if (shows(entry.answer, needle) || shows(entry.fingerprint, needle)) this.forget(key);
    }
  }

  /** O(n). Every live key, oldest first, for snapshots. */
  *entries(): Generator<[string, KeyEntry]> {
    yield* this.keys;
  }

  private forget(key: string): void {
    const old = this.keys.get(key);
    if (!old) return;
    this.keys.delete(key);
    this.heldBytes -= weight(key, old.fingerprint, old.answer);
  }
}

/** O(length). True when JSON text has `needle` (`"user":<id>`) as a whole member. */
function shows(json: string, needle: string): boolean {
  for (let at = json.indexOf(needle); at >= 0; at = json.indexOf(needle, at + 1)) {
    const after = json[at + needle.length];
    if (after === ',' || after === '}') return true;
  }
  return false;
}

function weight(key: string, fingerprint: string, answer: string): number {
  return key.length + fingerprint.length + answer.length;
}
