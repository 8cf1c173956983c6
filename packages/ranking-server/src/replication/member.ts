/**
 * A ranking server's part in its shard's election (ETCD_ENDPOINTS set). It starts as a standby and
 * watches the shard's leader key:
 *
 * - a leader there (not itself): it follows that primary;
 * - no leader: it campaigns — after publishing where it stands (its last durable LSN and the epoch
 *   of its history) under its own lease, and only while no live member stands further ahead, so
 *   the member with the most records takes over; the winner is promoted in this process;
 * - its own key from before a restart (a lease not lapsed yet): it waits for the key to go;
 * - once primary, a lost lease or a key that is not its own any more means another member may be
 *   primary: it is deposed (the process exits, and its supervisor starts it again as a standby,
 *   which starts over from the new primary's snapshot).
 */
import {
  Candidacy,
  connectEtcd,
  membersPrefix,
  readLeader,
  readSyncSet,
  watchLeader,
  writeSyncSet,
  type Leader,
  type SyncSet,
} from '@scoreboard/coordination';
import type { Etcd3, Lease } from 'etcd3';
import type { Logger } from 'pino';
import type { Roles } from '../service.js';

/** How much earlier than its lease's end a primary stops acknowledging writes. */
export const FENCE_SKEW_MS = 500;

/** What a member needs. */
export interface ShardMemberOptions {
  etcdEndpoints: readonly string[];
  shard: number;
  leaseTtlMs: number;
  /** This server's ranking endpoint (clients), once bound. */
  endpoint: () => string;
  /** This server's change notices' endpoint. */
  events: string;
  /** This server's REPLICATION_ENDPOINT (standbys). */
  replication: string;
  /** Under `sync`, only a member of the recorded synchronous set may campaign. */
  mode: 'sync' | 'async';
  roles: Roles;
  logger: Logger;
  /** Another member may be primary now: this one must stop (default: the process exits 75). */
  onDeposed: () => void;
}

/** O(1). Where a member stands, for "the most records wins": later epoch first, then more records. */
interface Standing {
  lsn: number;
  epoch: number;
}
const ahead = (a: Standing, b: Standing): boolean =>
  a.epoch > b.epoch || (a.epoch === b.epoch && a.lsn > b.lsn);

/** A ranking server's membership in its shard's election. */
export class ShardMember {
  private readonly log: Logger;
  private etcd: Etcd3 | undefined;
  private candidacy: Candidacy | undefined;
  private standingLease: Lease | undefined;
  private unwatch: (() => Promise<void>) | undefined;
  private campaigning: Promise<void> | undefined;
  private publisher: NodeJS.Timeout | undefined;
  private stopped = false;
  private primary = false;
  private deposed = false;

  /** O(1). Nothing happens until `start()`. */
  constructor(private readonly options: ShardMemberOptions) {
    this.log = options.logger.child({ module: 'member', shard: options.shard });
  }

  private get membersPrefix(): string {
    return membersPrefix(this.options.shard);
  }

  /** Connects to etcd and starts watching (retrying while etcd is unreachable). Never throws. */
  start(): void {
    void this.run().catch((err: unknown) => this.log.error({ err }, 'the election stopped'));
  }

  private async run(): Promise<void> {
    const etcd = await connectEtcd(this.options.etcdEndpoints);
    this.etcd = etcd;
    this.standingLease = etcd.lease(Math.max(1, Math.round(this.options.leaseTtlMs / 1000)));
    this.standingLease.on('lost', () => {
      if (!this.stopped)
        this.standingLease = etcd.lease(Math.max(1, Math.round(this.options.leaseTtlMs / 1000)));
    });
    this.publisher = setInterval(() => void this.publish().catch(() => undefined), 1000);
    this.publisher.unref();
    for (;;) {
      if (this.stopped) return;
      try {
        this.unwatch = await watchLeader(etcd, this.options.shard, (leader) => this.onLeader(leader));
        this.log.info("watching the shard's leader key");
        return;
      } catch (err) {
        this.log.warn({ err }, 'etcd is not reachable; trying again');
        await sleep(500);
      }
    }
  }

  /** Stops campaigning and watching; a primary gives its key up. Idempotent. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.publisher);
    await this.unwatch?.().catch(() => undefined);
    await this.candidacy?.resign();
    await this.standingLease?.revoke().catch(() => undefined);
    this.etcd?.close();
  }

  private onLeader(leader: Leader | undefined): void {
    if (this.stopped || this.deposed) return;
    if (this.primary) {
      if (!leader || leader.epoch !== this.candidacy?.epoch)
        this.depose("the leader key is not this member's any more");
      return;
    }
    if (!leader) {
      this.campaignSoon();
      return;
    }
    // Its own key from before a restart: the old lease must lapse before anyone may take over.
    if (leader.replication === this.options.replication) return;
    this.options.roles.follow(leader.replication, leader.epoch);
  }

  /** Where this member stands, published under its lease (read by the others before they campaign). */
  private async publish(): Promise<void> {
    if (this.stopped || this.primary || !this.standingLease) return;
    const standing = { ...this.options.roles.position(), endpoint: this.options.endpoint() };
    await this.standingLease
      .put(`${this.membersPrefix}${encodeURIComponent(this.options.replication)}`)
      .value(JSON.stringify(standing));
  }

  /**
   * One round trip. Records the synchronous set (only while this member's leader key is the one
   * of the set's epoch); false when it is not.
   */
  async saveSyncSet(set: SyncSet): Promise<boolean> {
    if (!this.etcd) return false;
    return writeSyncSet(this.etcd, this.options.shard, set);
  }

  /**
   * One round trip. Whether this member may take over: under `async` any may; under `sync` only the
   * last primary or a standby of the recorded synchronous set (they hold every acknowledged
   * write), or anyone while none was recorded (a new shard).
   */
  private async eligible(): Promise<{ ok: boolean; set: SyncSet | undefined }> {
    if (this.options.mode === 'async') return { ok: true, set: undefined };
    const set = await readSyncSet(this.etcd!, this.options.shard);
    const me = this.options.endpoint();
    return { ok: !set || set.primary === me || set.standbys.includes(me), set };
  }

  /** O(members). Whether a live member (one that may take over) stands further ahead than this one. */
  private async someoneAhead(set: SyncSet | undefined): Promise<boolean> {
    const mine = this.options.roles.position();
    const others = await this.etcd!.getAll().prefix(this.membersPrefix).strings();
    const me = `${this.membersPrefix}${encodeURIComponent(this.options.replication)}`;
    return Object.entries(others).some(([key, value]) => {
      if (key === me) return false;
      try {
        const standing = JSON.parse(value) as Standing & { endpoint?: string };
        if (set && standing.endpoint !== set.primary && !set.standbys.includes(standing.endpoint ?? ''))
          return false;
        return ahead(standing, mine);
      } catch {
        return false;
      }
    });
  }

  /** Campaigns until the shard has a primary (this member or another). One campaign at a time. */
  private campaignSoon(): void {
    this.campaigning ??= (async () => {
      const etcd = this.etcd!;
      let waitingSaid = false;
      while (!this.stopped && !this.primary) {
        try {
          await this.publish();
          const { ok, set } = await this.eligible();
          if (!ok) {
            // Not in the synchronous set: it may lack acknowledged writes. Wait for one that is.
            if (!waitingSaid)
              this.log.info({ set }, 'not in the synchronous set: waiting for a member that is to take over');
            waitingSaid = true;
            await sleep(500);
          } else if (await this.someoneAhead(set)) {
            await sleep(300);
          } else {
            const candidacy = new Candidacy({
              etcd,
              shard: this.options.shard,
              value: {
                endpoint: this.options.endpoint(),
                events: this.options.events,
                replication: this.options.replication,
              },
              ttlMs: this.options.leaseTtlMs,
              skewMs: FENCE_SKEW_MS,
              onRenewed: () => this.options.roles.renewed(),
              onLost: () => this.depose('etcd says the lease is gone'),
            });
            const won = await candidacy.campaign();
            if (won !== undefined) {
              this.candidacy = candidacy;
              this.primary = true;
              this.log.warn({ epoch: won }, 'won the election');
              await this.options.roles.promote(won, () => candidacy.valid);
              return;
            }
          }
          const leader = await readLeader(etcd, this.options.shard);
          if (leader) {
            this.onLeader(leader);
            return;
          }
        } catch (err) {
          this.log.warn({ err }, 'campaign failed (etcd unreachable?); trying again');
          await sleep(300);
        }
      }
    })().finally(() => {
      this.campaigning = undefined;
    });
  }

  private depose(why: string): void {
    if (this.deposed) return;
    this.deposed = true;
    this.log.error({ why, epoch: this.candidacy?.epoch }, 'deposed: another member may be primary now');
    this.options.onDeposed();
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
