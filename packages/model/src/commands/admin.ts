/** Operations in the model: empty the default board, the health probe, the digest. */
import { DEFAULT_BOARD } from '@scoreboard/protocol';
import type { ModelTable } from './handler.js';

/** The model's operations. */
export const adminHandlers = {
  reset: (_a, m) => {
    const b = m.board(DEFAULT_BOARD);
    const removed = b.rows.length;
    b.rows = [];
    b.hidden.clear();
    b.results.clear();
    b.joined = [];
    b.attempts.clear();
    b.placed.clear();
    b.bucketTier.clear();
    b.lastBucket = 0;
    return { removed };
  },
  ping: (_a, m) => ({ status: 'ok', users: m.board(DEFAULT_BOARD).rows.length }),
  digest: (_a, m) => ({ digest: m.digest(), records: 0 }),
  // One server, no replication group: what an engine without one answers.
  cluster: () => [{ shard: 0, epoch: 0, members: [] }],
} satisfies Partial<ModelTable>;
