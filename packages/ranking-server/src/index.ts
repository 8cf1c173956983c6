/** The ranking server: skip list, leaderboard and the ROUTER loop. */
export { Leaderboard } from './leaderboard.js';
export { MAX_LEVEL, SkipList, type RandomSource } from './skip-list.js';
export { RankingServer, type RankingServerOptions } from './server.js';
export { loadRankingServerConfig, rankingServerSettings, type RankingServerConfig } from './config.js';
