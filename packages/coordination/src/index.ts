/**
 * Who is each shard's primary, decided in etcd (never by our own consensus):
 *
 * - **The leader key** `/scoreboard/shards/<shard>/leader` holds the primary's endpoints. It is
 *   created by one transaction only if it is absent, under a lease; **its create revision is the
 *   epoch**, so two primaries can never hold the same epoch, and a later one always holds a higher.
 * - **Fencing.** The primary renews its lease every quarter TTL and may acknowledge writes only
 *   until `(when its last successful renewal was sent) + TTL − skew`: that moment comes before etcd
 *   can have expired the lease, so by the time another member can take the key the old primary
 *   has stopped acknowledging — there are never two primaries that acknowledge writes.
 * - **Watching.** Clients and standbys watch the key; after any reconnect of the watch they read it
 *   again, since events may have been missed.
 *
 * The `etcd3` package is loaded only when etcd is used: without ETCD_ENDPOINTS nothing here runs.
 */
import type { Etcd3, IKeyValue, Lease } from 'etcd3';

/** What the leader key holds: where clients and standbys reach the primary. */
export interface LeaderValue {
  /** Its ranking endpoint (clients). */
  endpoint: string;
  /** Its change notices' endpoint (clients' live pages). */
  events: string;
  /** Its replication endpoint (standbys). */
  replication: string;
}

/** A shard's primary and its epoch (the leader key's create revision). */
export interface Leader extends LeaderValue {
  epoch: number;
}

/** O(1). The leader key of `shard`. */
export const leaderKey = (shard: number): string => `/scoreboard/shards/${shard}/leader`;

/** O(1). The key of `shard`'s synchronous set (REPLICATION=sync). */
export const syncKey = (shard: number): string => `/scoreboard/shards/${shard}/sync`;

/**
 * A shard's synchronous set, kept by its primary: every write it acknowledged is held by the
 * primary and by at least one of `standbys` (ranking endpoints) — all of them when there is one.
 * Only these members may take over. An empty `standbys` means the primary acknowledges alone, and
 * then only it may.
 */
export interface SyncSet {
  epoch: number;
  primary: string;
  standbys: string[];
}

/** One round trip. The shard's synchronous set, or undefined when none was written. */
export async function readSyncSet(etcd: Etcd3, shard: number): Promise<SyncSet | undefined> {
  const raw = await etcd.get(syncKey(shard)).string();
  if (raw === null) return undefined;
  try {
    const v = JSON.parse(raw) as Partial<SyncSet>;
    if (typeof v.epoch !== 'number' || typeof v.primary !== 'string' || !Array.isArray(v.standbys))
      return undefined;
    return { epoch: v.epoch, primary: v.primary, standbys: v.standbys.filter((x) => typeof x === 'string') };
  } catch {
    return undefined;
  }
}

/**
 * One round trip. Writes the synchronous set, only while the leader key is still the one of
 * `set.epoch`; answers false when it is not (this primary was deposed).
 */
export async function writeSyncSet(etcd: Etcd3, shard: number, set: SyncSet): Promise<boolean> {
  const res = await etcd
    .if(leaderKey(shard), 'Create', '==', set.epoch)
    .then(etcd.put(syncKey(shard)).value(JSON.stringify(set)))
    .commit();
  return res.succeeded;
}

/** O(1). Where the members of `shard` publish where they stand, one key each under its lease. */
export const membersPrefix = (shard: number): string => `/scoreboard/shards/${shard}/members/`;

/** O(1). Connects to etcd (loading its client); rejects on bad endpoints, never on an etcd that is down. */
export async function connectEtcd(endpoints: readonly string[]): Promise<Etcd3> {
  const { Etcd3 } = await import('etcd3');
  return new Etcd3({ hosts: [...endpoints], dialTimeout: 1000 });
}

/** O(1). A leader key's value read back; undefined when it is not one of ours. */
function leaderOf(kv: IKeyValue): Leader | undefined {
  try {
    const v = JSON.parse(kv.value.toString()) as Partial<LeaderValue>;
    if (typeof v.endpoint !== 'string' || typeof v.events !== 'string' || typeof v.replication !== 'string')
      return undefined;
    return {
      endpoint: v.endpoint,
      events: v.events,
      replication: v.replication,
      epoch: Number(kv.create_revision),
    };
  } catch {
    return undefined;
  }
}

/** One round trip. The shard's primary, or undefined while it has none; rejects while etcd is unreachable. */
export async function readLeader(etcd: Etcd3, shard: number): Promise<Leader | undefined> {
  const res = await etcd.get(leaderKey(shard)).exec();
  const kv = res.kvs[0];
  return kv ? leaderOf(kv) : undefined;
}

/**
 * Calls `onChange` with the shard's primary whenever it changes (undefined: none), and with what
 * the key holds after every (re)connection of the watch. Resolves once the watch is set up; the
 * answer stops it.
 */
export async function watchLeader(
  etcd: Etcd3,
  shard: number,
  onChange: (leader: Leader | undefined) => void,
): Promise<() => Promise<void>> {
  const watcher = await etcd.watch().key(leaderKey(shard)).create();
  const reread = (): void => {
    readLeader(etcd, shard).then(onChange, () => undefined);
  };
  watcher.on('put', (kv) => onChange(leaderOf(kv)));
  watcher.on('delete', () => onChange(undefined));
  watcher.on('connected', reread);
  watcher.on('error', () => undefined); // the watch reconnects by itself; `connected` reads again
  reread();
  return () => watcher.cancel();
}

/** Settings of a {@link Candidacy}. */
export interface CandidacyOptions {
  etcd: Etcd3;
  shard: number;
  value: LeaderValue;
  /** The lease's time to live (whole seconds in etcd; at least 1 s). */
  ttlMs: number;
  /** How much earlier than the lease's end the primary stops acknowledging (clock skew, pauses). */
  skewMs: number;
  /** The lease was renewed: writes may be acknowledged until {@link Candidacy.fenceAt}. */
  onRenewed?: () => void;
  /** etcd says the lease is gone: another member may hold the key now. */
  onLost: () => void;
}

/** A member's claim on its shard's leader key: campaign, renew, fence, resign. */
export class Candidacy {
  private lease: Lease | undefined;
  private timer: NodeJS.Timeout | undefined;
  private until = 0;
  private closed = false;
  /** The epoch won, once won. */
  epoch = 0;

  /** O(1). Nothing happens until `campaign()`. */
  constructor(private readonly options: CandidacyOptions) {}

  /** O(1). The moment (epoch ms) until which this member may acknowledge writes. */
  get fenceAt(): number {
    return this.until;
  }

  /** O(1). Whether this member may acknowledge writes now: it holds the key and the fence has not come. */
  get valid(): boolean {
    return this.epoch > 0 && !this.closed && Date.now() < this.until;
  }

  /**
   * Two round trips. Takes the leader key if it is absent: answers the epoch won, or undefined
   * when another member holds it. Rejects while etcd is unreachable. Renewals start on a win.
   */
  async campaign(): Promise<number | undefined> {
    const { etcd, shard, value, ttlMs, skewMs } = this.options;
    const lease = etcd.lease(Math.max(1, Math.round(ttlMs / 1000)), { autoKeepAlive: false });
    const sent = Date.now();
    const id = await lease.grant();
    const key = leaderKey(shard);
    const res = await etcd
      .if(key, 'Create', '==', 0)
      .then(etcd.put(key).value(JSON.stringify(value)).lease(id))
      .commit();
    if (!res.succeeded) {
      await lease.revoke().catch(() => undefined);
      return undefined;
    }
    this.lease = lease;
    this.epoch = Number(res.header.revision);
    this.until = sent + ttlMs - skewMs;
    this.schedule();
    return this.epoch;
  }

  private schedule(): void {
    if (this.closed) return;
    this.timer = setTimeout(() => void this.renew(), Math.max(50, this.options.ttlMs / 4));
    this.timer.unref();
  }

  /** One renewal: from its send time on, the fence moves to a TTL minus the skew later. */
  private async renew(): Promise<void> {
    const lease = this.lease;
    if (!lease || this.closed) return;
    const { ttlMs, skewMs } = this.options;
    const sent = Date.now();
    try {
      await withTimeout(lease.keepaliveOnce(), ttlMs / 2);
      this.until = Math.max(this.until, sent + ttlMs - skewMs);
      this.options.onRenewed?.();
    } catch (err) {
      if ((err as Error).name === 'EtcdLeaseInvalidError') {
        this.closed = true;
        this.options.onLost();
        return;
      }
      // etcd unreachable or slow: the fence stays where it is; keep trying.
    }
    this.schedule();
  }

  /** Stops renewing and gives the key up at once (a clean stop), so a standby need not wait the TTL out. */
  async resign(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    await this.lease?.revoke().catch(() => undefined);
  }
}

/** Rejects after `ms` unless `p` settles first. */
function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no answer from etcd in ${ms} ms`)), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(t);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}
