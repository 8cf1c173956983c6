/** The contract between scoreboard processes: commands, envelopes, error codes, codecs, value rules. */
export {
  Command,
  commandTable,
  type ArgsOf,
  type CommandMap,
  type CommandName,
  type ResultOf,
} from './commands/index.js';
export type { CommandSpec, Spread } from './commands/spec.js';
export { MAX_AROUND, MAX_LOOKUP, MAX_PAGE, MAX_RANGE_LIMIT } from './commands/reads.js';
export { MAX_BATCH, ScoreWriteSchema } from './commands/scores.js';
export { BoardConfigSchema } from './commands/boards.js';
export { type MoveReport } from './commands/moves.js';
export { PlayerWriteSchema } from './commands/players.js';
export {
  KeyFieldsSchema,
  KeyNameSchema,
  KeyViewSchema,
  ScopeSchema,
  type KeyEntry,
  type KeyView,
} from './commands/keys.js';
export {
  PeriodSchema,
  PeriodViewSchema,
  ResultSchema,
  type PeriodInfo,
  type PeriodView,
  type ResultView,
} from './commands/rows.js';
export {
  BoardTimeSchema,
  DEFAULT_KEEP,
  HoursSchema,
  MAX_HISTORY,
  MAX_KEEP,
  ResetSchema,
  checkBoardTime,
  type HoursConfig,
  type ResetConfig,
  type ResetView,
} from './board-config.js';
export {
  BoardOperatorSchema,
  BoardOrderSchema,
  BoardRowSchema,
  BoardViewSchema,
  CountryCountSchema,
  EntrySchema,
  PlacementSchema,
  PlayerViewSchema,
  ProfileSchema,
  RANK_STYLES,
  RankedEntrySchema,
  StandingSchema,
  type BoardOperator,
  type BoardOrder,
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
export type { AnyRequest, ErrorReply, OkReply, Reply, Request } from './envelopes.js';
export {
  ErrorCode,
  RETRY_AFTER_SECONDS,
  ScoreboardError,
  errorCatalogue,
  type ErrorBody,
  type ErrorSpec,
} from './errors.js';
export { decodeRequests, encodeRequests, errorReply, validateRequest, type DecodedRequest } from './codec.js';
export {
  decodeRawReplies,
  decodeReplies,
  encodeReplies,
  okReply,
  parseResult,
  type OutgoingReply,
  type RawReply,
  type RawResult,
} from './reply-frame.js';
export {
  BoardIdSchema,
  CountrySchema,
  MetadataSchema,
  NameSchema,
  ProfileFieldsSchema,
  RankStyleSchema,
  TotalSchema,
  UserIdSchema,
} from './schemas.js';
export { COUNTRY_CODES, canonicalCountry, countryCode, countryNumber } from './countries.js';
export {
  MAX_METADATA_BYTES,
  MAX_NAME_LENGTH,
  checkProfileFields,
  normalizeName,
  type Problem,
  type ProfileFields,
} from './profile.js';
export {
  BOARD_ID_PATTERN,
  DEFAULT_BOARD,
  GAME_BOARD,
  IDEMPOTENCY_KEY_PATTERN,
  IDEMPOTENCY_KEY_TTL_MS,
  KEY_NAME_PATTERN,
  MAX_IDEMPOTENCY_KEYS,
  MAX_KEYS,
  MAX_KEY_BOARDS,
  MAX_KEY_RATE,
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
  type ShardMapView,
  type ShardRoute,
  type ShardsAnswer,
} from './shards.js';
