/**
 * The HTTP client's copy of the API key table: the admin key from its settings, and the keys the
 * ranking server holds, by the SHA-256 of their secrets. It is brought up to date every half
 * second (`key.sync` answers a few bytes when nothing changed), so a revoked key stops working on
 * every client within a second, and no request costs a round trip to check its key. A secret it
 * does not know makes it look again at once (at most ten times a second), so a key just made on
 * another client works here straight away.
 */
import { Command, type KeyEntry, type Scope } from '@scoreboard/protocol';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
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

/** How often the table is brought up to date, and how soon an unknown secret may ask again. */
const SYNC_MS = 500;
const MISS_MS = 100;

/** The key table of one client. */
export class KeyTable {
  private readonly adminHash: Buffer | undefined;
  private byHash = new Map<string, Caller>();
  private version = -1;
  private timer: NodeJS.Timeout | undefined;
  private lastMiss = 0;
  private syncing: Promise<void> | undefined;

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
   * O(length of the secret). Who `secret` belongs to, or undefined for no key it knows — after
   * looking at the server's table once more when the last look for an unknown secret was over
   * 100 ms ago.
   */
  async identify(secret: string): Promise<Caller | undefined> {
    const hash = hashOf(secret);
    const digest = Buffer.from(hash, 'hex');
    if (this.adminHash && timingSafeEqual(digest, this.adminHash)) return ADMIN;
    const known = this.byHash.get(hash);
    if (known || Date.now() - this.lastMiss < MISS_MS) return known;
    this.lastMiss = Date.now();
    await this.sync();
    return this.byHash.get(hash);
  }
}

function callerOf(k: KeyEntry): Caller {
  return { name: k.name, scopes: k.scopes, boards: k.boards, rate: k.rate };
}
