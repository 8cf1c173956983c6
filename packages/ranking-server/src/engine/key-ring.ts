/**
 * The API key table the ranking server keeps for the HTTP clients: per key its name, scopes,
 * boards, rate and creation time, and the SHA-256 of its secret (the secret itself never reaches
 * the server). A version number counts changes, so a client that is up to date is told so in a
 * few bytes; it is logged with every change and kept in snapshots, so it never repeats across
 * restarts (a client must never take an old table for the current one).
 */
import {
  ErrorCode,
  MAX_KEYS,
  ScoreboardError,
  type KeyEntry,
  type KeyView,
  type Scope,
} from '@scoreboard/protocol';
import { isoOf } from '@scoreboard/calendar';

/** A key as stored. */
export interface StoredKey {
  name: string;
  hash: string;
  scopes: Scope[];
  /** null: every board. */
  boards: string[] | null;
  /** Requests per second; null: no limit of its own. */
  rate: number | null;
  /** Epoch ms. */
  created: number;
}

/** The key table. */
export class KeyRing {
  private readonly keys = new Map<string, StoredKey>();
  private changes = 0;

  /** O(1). Changes so far: what a client's copy is compared by. */
  get version(): number {
    return this.changes;
  }

  /** O(1). Keys held. */
  get size(): number {
    return this.keys.size;
  }

  /** O(1). Refuses a new key named `name`: KEY_EXISTS for a name in use, KEY_LIMIT_REACHED past MAX_KEYS. */
  checkNew(name: string): void {
    if (this.keys.has(name)) throw new ScoreboardError(ErrorCode.KEY_EXISTS, `A key named "${name}" exists.`);
    if (this.keys.size >= MAX_KEYS) throw new ScoreboardError(ErrorCode.KEY_LIMIT_REACHED);
  }

  /** O(1). A key as answered, or undefined when there is none by that name. */
  view(name: string): KeyView | undefined {
    const key = this.keys.get(name);
    return key && viewOf(key);
  }

  /** O(1). Puts a key as a record says (a snapshot's records have no version). */
  restore(key: StoredKey, version?: number): void {
    this.keys.set(key.name, { ...key });
    if (version !== undefined) this.atLeast(version);
  }

  /** O(1). Revokes a key as a record says. */
  forget(name: string, version: number): void {
    this.keys.delete(name);
    this.atLeast(version);
  }

  /** O(1). Makes the version at least `version` (a record's, or a snapshot's header). */
  atLeast(version: number): void {
    this.changes = Math.max(this.changes, version);
  }

  /** O(K log K). Every key, by name, without hashes. */
  list(): KeyView[] {
    return this.sorted().map(viewOf);
  }

  /** O(K log K). Every key with its hash, for the clients' copies. */
  entries(): KeyEntry[] {
    return this.sorted().map((k) => ({ ...viewOf(k), hash: k.hash }));
  }

  /** O(K). Every key as stored (snapshots). */
  stored(): IterableIterator<StoredKey> {
    return this.keys.values();
  }

  private sorted(): StoredKey[] {
    return [...this.keys.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
}

function viewOf(k: StoredKey): KeyView {
  return {
    name: k.name,
    scopes: [...k.scopes],
    boards: k.boards && [...k.boards],
    rate: k.rate,
    created: isoOf(k.created),
  };
}
