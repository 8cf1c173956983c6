/** The ranking server: board, engine of command handlers, persistence, socket loop, one wiring. */
export { Leaderboard, type ChangeHook, type Written } from './board/leaderboard.js';
export type { RandomSource } from './board/skip-list.js';
export type { EngineOptions, HandledBatch, RankingEngine } from './engine/engine.js';
export type { RankingState } from './engine/state.js';
export type { RankingServer, RankingServerOptions } from './server.js';
export { openRankingService, type RankingService, type ServiceOptions } from './service.js';
export { rankingServerSettings, type RankingServerConfig } from './config.js';
export { RecordType, type LogRecord } from './persistence/records.js';
export type { DurableStore, LoadStats, Replayable } from './persistence/store.js';
export { SNAPSHOT_FILE, writeSnapshot, type SnapshotSource } from './persistence/snapshot.js';
