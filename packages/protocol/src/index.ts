/** The contract between scoreboard processes: commands, envelopes, error codes, codecs, value rules. */
export {
  Command,
  commandTable,
  type ArgsOf,
  type CommandMap,
  type CommandName,
  type ResultOf,
} from './commands/index.js';
export type { CommandSpec } from './commands/spec.js';
export { MAX_PAGE } from './commands/reads.js';
export type { Entry, RankedEntry } from './commands/rows.js';
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
export { TotalSchema, UserIdSchema } from './schemas.js';
export {
  IDEMPOTENCY_KEY_PATTERN,
  MAX_TOTAL,
  RELATIVE_SCORE_PATTERN,
  USER_ID_PATTERN,
  canonicalUserId,
  isValidTotal,
  parseRelativeScore,
  type UserId,
} from './values.js';
