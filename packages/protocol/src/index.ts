/** The contract between scoreboard processes: commands, envelopes, error codes, codecs, value rules. */
export { Command, commandTable, type ArgsOf, type CommandName, type ResultOf } from './commands/index.js';
export type { CommandSpec, Spread } from './commands/spec.js';
export { MAX_AROUND, MAX_LOOKUP, MAX_PAGE, MAX_RANGE_LIMIT } from './commands/reads.js';
export { MAX_BATCH } from './commands/scores.js';
export {
  WEBHOOK_BATCH,
  WebhookSecretSchema,
  WebhookUrlSchema,
  WebhookViewSchema,
  type WebhookView,
} from './commands/webhooks.js';
export { BoardConfigSchema } from './commands/boards.js';
export { type MoveReport } from './commands/moves.js';
export {
  KeyFieldsSchema,
  KeyNameSchema,
  KeyViewSchema,
  type KeyEntry,
  type KeyView,
} from './commands/keys.js';
export {
  PeriodResultSchema,
  PeriodViewSchema,
  ResultSchema,
  ResultsPageSchema,
  type PeriodResult,
  type PeriodView,
  type ResultView,
  type ResultsPage,
} from './commands/rows.js';
export { DEFAULT_RESULTS_PAGE, MAX_RESULTS_PAGE, ResultsCursorSchema } from './commands/periods.js';
export {
  DEFAULT_KEEP,
  MAX_ATTEMPTS,
  MAX_BUCKET_SIZE,
  MAX_REWARDS,
  MAX_TIERS,
  movedCount,
  type Movement,
  type Tier,
  MAX_TOURNAMENT_PLAYERS,
  rewardIndex,
  type RewardBand,
  type ResetView,
} from './board-config.js';
export {
  AttemptsSchema,
  BanSchema,
  type BanView,
  BoardRowSchema,
  BoardViewSchema,
  BucketRowSchema,
  BucketViewSchema,
  JoinedSchema,
  PlayerExportSchema,
  type BucketRow,
  type BucketView,
  type Attempts,
  type PlayerBoardExport,
  type PlayerExport,
  type Joined,
  CountryCountSchema,
  EntrySchema,
  PlayerViewSchema,
  ProfileSchema,
  RANK_STYLES,
  RankedEntrySchema,
  StandingSchema,
  type BoardOperator,
  type BoardOrder,
  SubscoreSchema,
  type Subscore,
  type BoardRow,
  type BoardView,
  type CountryCount,
  type Entry,
  type Placement,
  type PlayerView,
  type Profile,
  type RankStyle,
  type RankedEntry,
  type Standing,
} from './commands/rows.js';
export type { AnyRequest, Reply, Request } from './envelopes.js';
export type { ClusterMember, ClusterShard } from './commands/admin.js';
export { ErrorCode, RETRY_AFTER_SECONDS, ScoreboardError, errorCatalogue } from './errors.js';
export { decodeRequests, encodeRequests, errorReply, validateRequest, type DecodedRequest } from './codec.js';
export {
  decodeRawReplies,
  decodeReplies,
  encodeReplies,
  okReply,
  parseResult,
  type OutgoingReply,
  type RawResult,
} from './reply-frame.js';
export {
  MetadataSchema,
  ProfileFieldsSchema,
  RankStyleSchema,
  TotalSchema,
  UserIdSchema,
} from './schemas.js';
export { COUNTRY_CODES, countryCode, countryNumber } from './countries.js';
export { type ProfileFields } from './profile.js';
export {
  BOARD_ID_PATTERN,
  DEFAULT_BOARD,
  GAME_BOARD,
  IDEMPOTENCY_KEY_PATTERN,
  IDEMPOTENCY_KEY_TTL_MS,
  MAX_IDEMPOTENCY_KEYS,
  MAX_KEYS,
  SCOPES,
  type Scope,
  MAX_TOTAL,
  RELATIVE_SCORE_PATTERN,
  USER_ID_PATTERN,
  canonicalUserId,
  isValidTotal,
  parseRelativeScore,
  type UserId,
} from './values.js';
export {
  MAX_SHARDS,
  ShardsAnswerSchema,
  initialShardMap,
  nextShardMap,
  placeBoard,
  sameShardMap,
  shardOf,
  shardRoute,
  type ShardMap,
  type ShardsAnswer,
} from './shards.js';
export {
  decodeReplication,
  encodeReplication,
  type ReplicationHello,
  type ReplicationMessage,
  type ReplicationRecords,
  type ReplicationSnapshotBegin,
} from './replication.js';
