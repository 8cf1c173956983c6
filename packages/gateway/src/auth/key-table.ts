/**
 * The HTTP client's copy of the API key table: the admin key from its settings, and the keys the
 * ranking server holds, by the SHA-256 of their secrets. It is brought up to date every half
 * second (`key.sync` answers a few bytes when nothing changed), so a revoked key stops working on
 * every client within a second, and no request costs a round trip to check its key.
 *
 * A secret it does not know waits for a look-up that begins after it arrived (one made on another
 * client a moment ago may not be in the copy yet), and is judged by that. Every unknown secret
 * arriving meanwhile waits for the same look-up, and look-ups for unknown secrets begin at most ten
 * times a second: a flood of random keys is a bounded trickle of table reads, never a refusal of a
 * key that exists.
 */
import { Command, type KeyEntry, type Scope } from '@scoreboard/protocol';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { RankingApi } from '../ranking-client.js';

/** Who a request's key says it comes from. */
export interface Caller {
  name: string;
  scopes: readonly Scope[];
  /** null: every board. */
  boards: readonly string[] | null;
  /** Requests per second of the key's own; null: none. */
  rate: number | null;
}

/** The admin key's caller: every scope on every board. */
export const ADMIN: Caller = { name: 'ADMIN_KEY', scopes: ['admin'], boards: null, rate: null };

/** O(length). The hex SHA-256 of a secret. */
export function hashOf(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** O(1). A new secret: "sb_" and 32 characters of base64url (192 random bits). */
export function newSecret(): string {
  return `sb_${randomBytes(24).toString('base64url')}`;
}

/** How often the table is brought up to date, and how soon after a look-up for an unknown secret another may begin. */
const SYNC_MS = 500;
const MISS_MS = 100;

/** The key table of one client. */
export class KeyTable {
  private readonly adminHash: Buffer | undefined;
  private byHash = new Map<string, Caller>();
  private version = -1;
  private timer: NodeJS.Timeout | undefined;
  /** When the last look-up for an unknown secret began. */
  private lastLook = 0;
  private syncing: Promise<void> | undefined;
  /** The next look-up for unknown secrets, not begun yet: every unknown secret until then waits for it. */
  private nextLook: Promise<void> | undefined;

  /** O(1). Keys are on when `adminKey` is not empty. */
  constructor(
    private readonly ranking: RankingApi,
    adminKey: string,
    private readonly logger: Logger,
  ) {
    this.adminHash = adminKey === '' ? undefined : Buffer.from(hashOf(adminKey), 'hex');
  }

  /** O(1). True when keys are checked at all. */
  get enabled(): boolean {
    return this.adminHash !== undefined;
  }

  /** O(1). True once the server's table has been read. */
  get loaded(): boolean {
    return this.version >= 0;
  }

  /** Starts bringing the table up to date in the background (nothing when keys are off). */
  start(): void {
    if (!this.enabled || this.timer) return;
    void this.sync();
    this.timer = setInterval(() => void this.sync(), SYNC_MS);
    this.timer.unref();
  }

  /** Stops the background updates. */
  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Reads the server's table if it changed; a failure keeps the copy held (and is logged). */
  async sync(): Promise<void> {
    this.syncing ??= (async () => {
      try {
        const { version, keys } = await this.ranking.call(
          Command.KeySync,
          { since: this.version },
          { probe: true },
        );
        if (keys) this.byHash = new Map(keys.map((k: KeyEntry) => [k.hash, callerOf(k)]));
        this.version = version;
      } catch (err) {
        this.logger.debug({ err }, 'could not bring the key table up to date');
      }
    })().finally(() => (this.syncing = undefined));
    return this.syncing;
  }

  /**
   * O(length of the secret). Who `secret` belongs to, or undefined for no key it knows — for a
   * secret not in the copy, after a look-up at the server's table that began after the call (at
   * most {@link MISS_MS} later).
   */
  async identify(secret: string): Promise<Caller | undefined> {
    const hash = hashOf(secret);
    const digest = Buffer.from(hash, 'hex');
    if (this.adminHash && timingSafeEqual(digest, this.adminHash)) return ADMIN;
    const known = this.byHash.get(hash);
    if (known) return known;
    await this.lookAgain();
    return this.byHash.get(hash);
  }

  /**
   * Resolves after a read of the server's table that began after this call: the one already
   * scheduled, else a new one, begun {@link MISS_MS} after the last (and after a read in flight,
   * which may have begun before the caller's key was made).
   */
  private lookAgain(): Promise<void> {
    this.nextLook ??= (async () => {
      const wait = this.lastLook + MISS_MS - Date.now();
      if (wait > 0) await sleep(wait);
      await this.syncing;
      this.nextLook = undefined; // callers from now on need a read that begins after them
      this.lastLook = Date.now();
      await this.sync();
    })();
    return this.nextLook;
  }
}

function callerOf(k: KeyEntry): Caller {
  return { name: k.name, scopes: k.scopes, boards: k.boards, rate: k.rate };
}
