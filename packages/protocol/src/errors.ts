/**
 * The error catalogue: every failure a user can see, with a stable code, an HTTP status and a
 * message. Errors cross the ZeroMQ hop as codes only; the HTTP side maps them back through this
 * table, so a code means the same thing in every process and in the README.
 */

/** What the catalogue says of one error: its stable code, its HTTP status and its default message. */
export interface ErrorSpec {
  readonly code: `SCOREBOARD_ERR_${string}`;
  readonly status: number;
  readonly message: string;
}

/**
 * Every failure a user can see, defined once: code (`SCOREBOARD_ERR_<AREA>_<WHAT>`), status and
 * message. The code map, the catalogue by code, the README's table (a test compares them) and
 * nginx's own error bodies (rendered by the launcher) all come from here.
 */
const ERRORS = {
  HTTP_BAD_JSON: {
    code: 'SCOREBOARD_ERR_HTTP_BAD_JSON',
    status: 400,
    message: 'The request body is not valid JSON.',
  },
  HTTP_VALIDATION: {
    code: 'SCOREBOARD_ERR_HTTP_VALIDATION',
    status: 400,
    message: 'The request is not valid.',
  },
  HTTP_UNSUPPORTED_MEDIA_TYPE: {
    code: 'SCOREBOARD_ERR_HTTP_UNSUPPORTED_MEDIA_TYPE',
    status: 415,
    message: 'The request body must be application/json.',
  },
  HTTP_BODY_TOO_LARGE: {
    code: 'SCOREBOARD_ERR_HTTP_BODY_TOO_LARGE',
    status: 413,
    message: 'The request body is too large.',
  },
  HTTP_NOT_FOUND: { code: 'SCOREBOARD_ERR_HTTP_NOT_FOUND', status: 404, message: 'No such route.' },
  HTTP_METHOD_NOT_ALLOWED: {
    code: 'SCOREBOARD_ERR_HTTP_METHOD_NOT_ALLOWED',
    status: 405,
    message: 'The route does not take this method (Allow lists the ones it takes).',
  },
  HTTP_HEADERS_TOO_LARGE: {
    code: 'SCOREBOARD_ERR_HTTP_HEADERS_TOO_LARGE',
    status: 431,
    message: 'The request headers are too large.',
  },
  HTTP_URI_TOO_LONG: {
    code: 'SCOREBOARD_ERR_HTTP_URI_TOO_LONG',
    status: 414,
    message: 'The request URI is too long.',
  },
  HTTP_TIMEOUT: {
    code: 'SCOREBOARD_ERR_HTTP_TIMEOUT',
    status: 408,
    message: 'The request did not arrive in time.',
  },
  HTTP_NOT_IMPLEMENTED: {
    code: 'SCOREBOARD_ERR_HTTP_NOT_IMPLEMENTED',
    status: 501,
    message: 'The request uses an HTTP feature the service does not implement.',
  },
  RATE_LIMITED: {
    code: 'SCOREBOARD_ERR_RATE_LIMITED',
    status: 429,
    message: 'Too many requests: slow down and retry after Retry-After seconds.',
  },
  USER_NOT_FOUND: {
    code: 'SCOREBOARD_ERR_USER_NOT_FOUND',
    status: 404,
    message: 'No such user on the board.',
  },
  SCORE_OUT_OF_RANGE: {
    code: 'SCOREBOARD_ERR_SCORE_OUT_OF_RANGE',
    status: 422,
    message: 'The resulting total would leave the range the board allows (its min and max, and ±(2^53-1)).',
  },
  SCORE_RELATIVE_NOT_ALLOWED: {
    code: 'SCOREBOARD_ERR_SCORE_RELATIVE_NOT_ALLOWED',
    status: 422,
    message: "This board keeps each player's best total: send an absolute total, not a relative score.",
  },
  BOARD_NOT_FOUND: { code: 'SCOREBOARD_ERR_BOARD_NOT_FOUND', status: 404, message: 'No such board.' },
  BOARD_INVALID_CONFIG: {
    code: 'SCOREBOARD_ERR_BOARD_INVALID_CONFIG',
    status: 400,
    message: 'The board configuration is not valid.',
  },
  BOARD_CONFLICT: {
    code: 'SCOREBOARD_ERR_BOARD_CONFLICT',
    status: 409,
    message: 'The board has entries: its order, operator and subscore can no longer change.',
  },
  BOARD_PROTECTED: {
    code: 'SCOREBOARD_ERR_BOARD_PROTECTED',
    status: 409,
    message: 'The default board cannot be deleted.',
  },
  BOARD_LIMIT_REACHED: {
    code: 'SCOREBOARD_ERR_BOARD_LIMIT_REACHED',
    status: 409,
    message: 'The service holds as many boards as it may (MAX_BOARDS); delete one first.',
  },
  BOARD_CLOSED: {
    code: 'SCOREBOARD_ERR_BOARD_CLOSED',
    status: 403,
    message: 'The board takes no writes now (outside its event window or service hours).',
  },
  BUCKET_NOT_FOUND: {
    code: 'SCOREBOARD_ERR_BUCKET_NOT_FOUND',
    status: 404,
    message: 'No such bucket in the live period (or the board has no buckets).',
  },
  PLAYER_BANNED: {
    code: 'SCOREBOARD_ERR_PLAYER_BANNED',
    status: 403,
    message: 'The player is banned: writes are refused (BAN_WRITES=refuse).',
  },
  BAN_NOT_FOUND: {
    code: 'SCOREBOARD_ERR_BAN_NOT_FOUND',
    status: 404,
    message: 'The player is not banned.',
  },
  WEBHOOK_REFUSED: {
    code: 'SCOREBOARD_ERR_WEBHOOK_REFUSED',
    status: 400,
    message: 'The webhook URL is not http(s) to an address WEBHOOK_ALLOW allows.',
  },
  NOT_JOINED: {
    code: 'SCOREBOARD_ERR_NOT_JOINED',
    status: 403,
    message: 'The board takes writes only from players who joined it (POST /boards/:board/join).',
  },
  BOARD_FULL: {
    code: 'SCOREBOARD_ERR_BOARD_FULL',
    status: 409,
    message: 'The board has as many players as it takes this period (maxPlayers).',
  },
  ATTEMPTS_USED: {
    code: 'SCOREBOARD_ERR_ATTEMPTS_USED',
    status: 409,
    message: 'The player has used every attempt this period allows (maxAttempts).',
  },
  PERIOD_NOT_FOUND: {
    code: 'SCOREBOARD_ERR_PERIOD_NOT_FOUND',
    status: 404,
    message: 'No such period on this board (unknown, or older than the board keeps).',
  },
  PLAYER_NOT_FOUND: {
    code: 'SCOREBOARD_ERR_PLAYER_NOT_FOUND',
    status: 404,
    message: 'No such player: no profile and no entry.',
  },
  PLAYER_INVALID_NAME: {
    code: 'SCOREBOARD_ERR_PLAYER_INVALID_NAME',
    status: 400,
    message: 'The player name is not valid.',
  },
  PLAYER_UNKNOWN_COUNTRY: {
    code: 'SCOREBOARD_ERR_PLAYER_UNKNOWN_COUNTRY',
    status: 400,
    message: 'The country is not an ISO 3166-1 alpha-2 code.',
  },
  PLAYER_INVALID_METADATA: {
    code: 'SCOREBOARD_ERR_PLAYER_INVALID_METADATA',
    status: 400,
    message: 'Metadata must be a JSON object of at most 1 KiB.',
  },
  METADATA_TOO_LARGE: {
    code: 'SCOREBOARD_ERR_METADATA_TOO_LARGE',
    status: 400,
    message: "A score's metadata must be at most 1 KiB of JSON.",
  },
  SUBSCORE_NOT_ALLOWED: {
    code: 'SCOREBOARD_ERR_SUBSCORE_NOT_ALLOWED',
    status: 400,
    message: 'This board has no subscore: configure "subscore" on the board first.',
  },
  PLAYER_LIMIT_REACHED: {
    code: 'SCOREBOARD_ERR_PLAYER_LIMIT_REACHED',
    status: 409,
    message: 'The service holds as many players as it may (MAX_PLAYERS).',
  },
  RANKING_UNAVAILABLE: {
    code: 'SCOREBOARD_ERR_RANKING_UNAVAILABLE',
    status: 503,
    message: 'The ranking server did not answer in time.',
  },
  RANKING_OVERLOADED: {
    code: 'SCOREBOARD_ERR_RANKING_OVERLOADED',
    status: 503,
    message: 'Too many requests in flight; retry shortly.',
  },
  RANKING_DEADLINE_EXCEEDED: {
    code: 'SCOREBOARD_ERR_RANKING_DEADLINE_EXCEEDED',
    status: 503,
    message: 'The request expired before the ranking server could apply it; it was not applied.',
  },
  RANKING_SHUTTING_DOWN: {
    code: 'SCOREBOARD_ERR_RANKING_SHUTTING_DOWN',
    status: 503,
    message: 'The ranking server is restarting; the request was not applied.',
  },
  STORAGE_UNAVAILABLE: {
    code: 'SCOREBOARD_ERR_STORAGE_UNAVAILABLE',
    status: 503,
    message:
      'The ranking server cannot write its log now (disk full or failing): the write was not applied. Reads still work; retry after Retry-After.',
  },
  NOT_PRIMARY: {
    code: 'SCOREBOARD_ERR_NOT_PRIMARY',
    status: 503,
    message:
      'This ranking server is a standby: it takes writes only from its primary; the write was not applied.',
  },
  SHARD_MISROUTED: {
    code: 'SCOREBOARD_ERR_SHARD_MISROUTED',
    status: 503,
    message: "The board is on another shard than this client's shard map said; retry shortly.",
  },
  SHARD_MAP_STALE: {
    code: 'SCOREBOARD_ERR_SHARD_MAP_STALE',
    status: 409,
    message: 'The shard map changed meanwhile (another reshard is running?); read it again.',
  },
  SHARD_OWNS_BOARD: {
    code: 'SCOREBOARD_ERR_SHARD_OWNS_BOARD',
    status: 409,
    message: "The shard's shard map still puts the board on it: it cannot be dropped.",
  },
  BOARD_MOVING: {
    code: 'SCOREBOARD_ERR_BOARD_MOVING',
    status: 503,
    message: 'The board is moving to another shard: writes pause until it is there; retry shortly.',
  },
  IDEMPOTENCY_KEY_REUSED: {
    code: 'SCOREBOARD_ERR_IDEMPOTENCY_KEY_REUSED',
    status: 422,
    message: 'This Idempotency-Key was already used with a different request.',
  },
  AUTH_REQUIRED: {
    code: 'SCOREBOARD_ERR_AUTH_REQUIRED',
    status: 401,
    message: 'This route needs an API key: send Authorization: Bearer <key>.',
  },
  AUTH_INVALID: {
    code: 'SCOREBOARD_ERR_AUTH_INVALID',
    status: 401,
    message: 'The API key is not valid (unknown or revoked).',
  },
  AUTH_FORBIDDEN: {
    code: 'SCOREBOARD_ERR_AUTH_FORBIDDEN',
    status: 403,
    message: 'The API key may not do this (its scopes or boards do not cover it).',
  },
  KEY_EXISTS: {
    code: 'SCOREBOARD_ERR_KEY_EXISTS',
    status: 409,
    message: 'A key with this name exists; revoke it first.',
  },
  KEY_NOT_FOUND: { code: 'SCOREBOARD_ERR_KEY_NOT_FOUND', status: 404, message: 'No key with this name.' },
  KEY_LIMIT_REACHED: {
    code: 'SCOREBOARD_ERR_KEY_LIMIT_REACHED',
    status: 409,
    message: 'The service holds as many keys as it may.',
  },
  PROTOCOL_MALFORMED: {
    code: 'SCOREBOARD_ERR_PROTOCOL_MALFORMED',
    status: 500,
    message: 'A message between processes was malformed.',
  },
  GATEWAY_BAD_GATEWAY: {
    code: 'SCOREBOARD_ERR_GATEWAY_BAD_GATEWAY',
    status: 502,
    message: 'No client process answered.',
  },
  GATEWAY_UNAVAILABLE: {
    code: 'SCOREBOARD_ERR_GATEWAY_UNAVAILABLE',
    status: 503,
    message: 'The service is unavailable.',
  },
  GATEWAY_TIMEOUT: {
    code: 'SCOREBOARD_ERR_GATEWAY_TIMEOUT',
    status: 504,
    message: 'A client process did not answer in time.',
  },
  INTERNAL: { code: 'SCOREBOARD_ERR_SERVER_INTERNAL', status: 500, message: 'Internal error.' },
} as const satisfies Record<string, ErrorSpec>;

type Errors = typeof ERRORS;

/** Every error code the system can answer, by a readable name. */
export const ErrorCode = Object.fromEntries(Object.entries(ERRORS).map(([name, e]) => [name, e.code])) as {
  readonly [K in keyof Errors]: Errors[K]['code'];
};

/** One of the stable codes of {@link ErrorCode}. */
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** The catalogue by code: status and default message. */
export const errorCatalogue: Readonly<Record<ErrorCode, ErrorSpec>> = Object.fromEntries(
  Object.values(ERRORS).map((e): [string, ErrorSpec] => [e.code, e]),
) as Record<ErrorCode, ErrorSpec>;

/**
 * Seconds a caller should wait before retrying a 503 (an outage, an overload, a restart): the
 * `Retry-After` of every such answer, from the clients and from nginx alike.
 */
export const RETRY_AFTER_SECONDS = 1;

const knownCodes = new Set<string>(Object.values(ErrorCode));

/** O(1). True when `value` is one of the catalogue's codes (any other string is not). */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && knownCodes.has(value);
}

/** The JSON body of every error answer. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string };
}

/** What a failure may say besides its code and message. */
export interface ErrorDetails {
  cause?: unknown;
  /** Seconds until retrying can succeed (the HTTP answer's Retry-After). */
  retryAfter?: number;
}

/**
 * A failure with a catalogue code. Thrown anywhere; the HTTP layer answers it with the code's
 * status and `{error: {code, message}}`.
 */
export class ScoreboardError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  /** Seconds until a retry can succeed, when known: answered as Retry-After. */
  readonly retryAfter: number | undefined;

  /** O(1). `message` defaults to the catalogue's; `cause` is kept for logs, never answered. */
  constructor(code: ErrorCode, message?: string, options?: ErrorDetails) {
    super(
      message ?? errorCatalogue[code].message,
      options?.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = 'ScoreboardError';
    this.code = code;
    this.status = errorCatalogue[code].status;
    this.retryAfter = options?.retryAfter;
  }

  /** O(1). The answer body for this error. */
  toBody(): ErrorBody {
    return { error: { code: this.code, message: this.message } };
  }
}
