/** The ranking server: skip list, leaderboard and the ROUTER loop. */
export { Leaderboard } from './leaderboard.js';
export { MAX_LEVEL, SkipList, type RandomSource } from './skip-list.js';
export { RankingServer, type RankingServerOptions } from './server.js';
export { loadRankingServerConfig, rankingServerSettings, type RankingServerConfig } from './config.js';
export { FSYNC_POLICIES, type FsyncPolicy } from './persistence/append-log.js';
export { IdempotencyStore } from './persistence/idempotency.js';
export { CorruptLogError, DurableStore, type LoadStats, type StoreOptions } from './persistence/store.js';
export { SNAPSHOT_FILE, writeSnapshot, type SnapshotSource } from './persistence/snapshot.js';
