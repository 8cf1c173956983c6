/** Operations: empty the board, a health probe, and a digest of the whole state (tests). */
import { NoArgs } from '../schemas.js';
import { boardWrite, defineCommand, everyRead } from './spec.js';

/** What a ranking server (or, merged by a client, every shard) says of its health. */
export interface Health {
  status: 'ok' | 'degraded';
  users: number;
  /** Why it is degraded. */
  reason?: string;
  /** Each shard's status, when a client merged several and some are not ok. */
  shards?: Array<{ shard: number; status: string; reason?: string }>;
}

/** One member of a shard's replication group, as its primary sees it. */
export interface ClusterMember {
  /** The member's ranking endpoint (its ROUTER), as clients reach it. */
  endpoint: string;
  role: 'primary' | 'standby';
  /** Records behind the primary (0 for the primary itself). */
  lag: number;
}

/** One shard's replication group. */
export interface ClusterShard {
  shard: number;
  /** The primary's term: 0 while roles are fixed by the launcher (no election yet). */
  epoch: number;
  members: ClusterMember[];
}

/** The admin commands, by readable name. */
export const adminCommands = {
  /** Removes every user; answers how many there were. */
  Reset: defineCommand<{ removed: number }>()({
    name: 'reset',
    args: NoArgs,
    ...boardWrite,
  }),
  /**
   * Answers that the server is up, how many users it holds, and whether it takes writes: `degraded`
   * (with the reason) while its log cannot be written.
   */
  Ping: defineCommand<Health>()({
    name: 'ping',
    args: NoArgs,
    ...everyRead,
  }),
  /**
   * Answers a SHA-256 of everything the server holds (what a snapshot would hold), and how many
   * records that is: equal digests, equal states. O(n); only the debug route asks for it.
   */
  /**
   * Answers this shard's replication group (one element: the primary, then each standby with its
   * lag); a client asking every shard answers them all, in shard order.
   */
  Cluster: defineCommand<ClusterShard[]>()({
    name: 'cluster',
    args: NoArgs,
    ...everyRead,
  }),
  Digest: defineCommand<{ digest: string; records: number }>()({
    name: 'digest',
    args: NoArgs,
    ...everyRead,
  }),
};
