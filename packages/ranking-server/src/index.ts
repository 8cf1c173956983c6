/** The ranking server: board, engine of command handlers, persistence, socket loop, one wiring. */
export { Board, type BoardConfig, type ChangeHook, type ScoreWrite } from './board/board.js';
export { Leaderboards } from './board/leaderboards.js';
export { putBoard, submit } from './board/direct-writes.js';
export type { RandomSource } from './board/skip-list.js';
export { RankingEngine, type EngineOptions, type HandledBatch } from './engine/engine.js';
export { RankingState } from './engine/state.js';
export type { RankingServer, RankingServerOptions } from './server.js';
export { openRankingService, type RankingService, type ServiceOptions } from './service.js';
export { rankingServerSettings, type RankingServerConfig } from './config.js';
export { RecordType, type ChangeRecord, type LogRecord } from './records/index.js';
export type { DurableStore, LoadStats, Replayable } from './persistence/store.js';
export { SNAPSHOT_FILE, writeSnapshot, type SnapshotSource } from './persistence/snapshot.js';
export { ServerMetrics, serveMetrics } from './metrics.js';
export { reshard, type ReshardReport } from './shards/reshard.js';
