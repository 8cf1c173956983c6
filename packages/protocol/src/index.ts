/** The contract between scoreboard processes: commands, envelopes, error codes, codec, id rules. */
export {
  Command,
  MAX_PAGE,
  type ArgsOf,
  type CommandMap,
  type CommandName,
  type Entry,
  type RankedEntry,
  type ResultOf,
} from './commands.js';
export type { AnyRequest, ErrorReply, OkReply, Reply, Request } from './envelopes.js';
export {
  ErrorCode,
  ScoreboardError,
  errorCatalogue,
  isErrorCode,
  type ErrorBody,
  type ErrorSpec,
} from './errors.js';
export {
  decodeRequests,
  encodeRequests,
  errorReply,
  isIdempotencyKey,
  validateRequest,
  type DecodedRequest,
} from './codec.js';
export {
  REPLY_FRAME_TAG,
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
  MAX_TOTAL,
  MAX_USER_ID_LENGTH,
  USER_ID_PATTERN,
  canonicalUserId,
  isValidTotal,
  parseRelativeScore,
  type UserId,
} from './user-id.js';
