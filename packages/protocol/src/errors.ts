/**
 * The error catalogue: every failure a user can see, with a stable code, an HTTP status and a
 * message. Errors cross the ZeroMQ hop as codes only; the HTTP side maps them back through this
 * table, so a code means the same thing in every process and in the README.
 */

/** Every error code the system can answer, `SCOREBOARD_ERR_<AREA>_<WHAT>`. */
export const ErrorCode = {
  HTTP_BAD_JSON: 'SCOREBOARD_ERR_HTTP_BAD_JSON',
  HTTP_VALIDATION: 'SCOREBOARD_ERR_HTTP_VALIDATION',
  HTTP_UNSUPPORTED_MEDIA_TYPE: 'SCOREBOARD_ERR_HTTP_UNSUPPORTED_MEDIA_TYPE',
  HTTP_BODY_TOO_LARGE: 'SCOREBOARD_ERR_HTTP_BODY_TOO_LARGE',
  HTTP_NOT_FOUND: 'SCOREBOARD_ERR_HTTP_NOT_FOUND',
  HTTP_METHOD_NOT_ALLOWED: 'SCOREBOARD_ERR_HTTP_METHOD_NOT_ALLOWED',
  HTTP_HEADERS_TOO_LARGE: 'SCOREBOARD_ERR_HTTP_HEADERS_TOO_LARGE',
  HTTP_URI_TOO_LONG: 'SCOREBOARD_ERR_HTTP_URI_TOO_LONG',
  HTTP_TIMEOUT: 'SCOREBOARD_ERR_HTTP_TIMEOUT',
  HTTP_NOT_IMPLEMENTED: 'SCOREBOARD_ERR_HTTP_NOT_IMPLEMENTED',
  RATE_LIMITED: 'SCOREBOARD_ERR_RATE_LIMITED',
  USER_NOT_FOUND: 'SCOREBOARD_ERR_USER_NOT_FOUND',
  SCORE_OUT_OF_RANGE: 'SCOREBOARD_ERR_SCORE_OUT_OF_RANGE',
  SCORE_RELATIVE_NOT_ALLOWED: 'SCOREBOARD_ERR_SCORE_RELATIVE_NOT_ALLOWED',
  BOARD_NOT_FOUND: 'SCOREBOARD_ERR_BOARD_NOT_FOUND',
  BOARD_INVALID_CONFIG: 'SCOREBOARD_ERR_BOARD_INVALID_CONFIG',
  BOARD_CONFLICT: 'SCOREBOARD_ERR_BOARD_CONFLICT',
  BOARD_PROTECTED: 'SCOREBOARD_ERR_BOARD_PROTECTED',
  BOARD_LIMIT_REACHED: 'SCOREBOARD_ERR_BOARD_LIMIT_REACHED',
  BOARD_CLOSED: 'SCOREBOARD_ERR_BOARD_CLOSED',
  PERIOD_NOT_FOUND: 'SCOREBOARD_ERR_PERIOD_NOT_FOUND',
  PLAYER_NOT_FOUND: 'SCOREBOARD_ERR_PLAYER_NOT_FOUND',
  PLAYER_INVALID_NAME: 'SCOREBOARD_ERR_PLAYER_INVALID_NAME',
  PLAYER_UNKNOWN_COUNTRY: 'SCOREBOARD_ERR_PLAYER_UNKNOWN_COUNTRY',
  PLAYER_INVALID_METADATA: 'SCOREBOARD_ERR_PLAYER_INVALID_METADATA',
  PLAYER_LIMIT_REACHED: 'SCOREBOARD_ERR_PLAYER_LIMIT_REACHED',
  RANKING_UNAVAILABLE: 'SCOREBOARD_ERR_RANKING_UNAVAILABLE',
  RANKING_OVERLOADED: 'SCOREBOARD_ERR_RANKING_OVERLOADED',
  RANKING_DEADLINE_EXCEEDED: 'SCOREBOARD_ERR_RANKING_DEADLINE_EXCEEDED',
  RANKING_SHUTTING_DOWN: 'SCOREBOARD_ERR_RANKING_SHUTTING_DOWN',
  STORAGE_UNAVAILABLE: 'SCOREBOARD_ERR_STORAGE_UNAVAILABLE',
  SHARD_MISROUTED: 'SCOREBOARD_ERR_SHARD_MISROUTED',
  SHARD_MAP_STALE: 'SCOREBOARD_ERR_SHARD_MAP_STALE',
  SHARD_OWNS_BOARD: 'SCOREBOARD_ERR_SHARD_OWNS_BOARD',
  BOARD_MOVING: 'SCOREBOARD_ERR_BOARD_MOVING',
  IDEMPOTENCY_KEY_REUSED: 'SCOREBOARD_ERR_IDEMPOTENCY_KEY_REUSED',
  AUTH_REQUIRED: 'SCOREBOARD_ERR_AUTH_REQUIRED',
  AUTH_INVALID: 'SCOREBOARD_ERR_AUTH_INVALID',
  AUTH_FORBIDDEN: 'SCOREBOARD_ERR_AUTH_FORBIDDEN',
  KEY_EXISTS: 'SCOREBOARD_ERR_KEY_EXISTS',
  KEY_NOT_FOUND: 'SCOREBOARD_ERR_KEY_NOT_FOUND',
  KEY_LIMIT_REACHED: 'SCOREBOARD_ERR_KEY_LIMIT_REACHED',
  PROTOCOL_MALFORMED: 'SCOREBOARD_ERR_PROTOCOL_MALFORMED',
  GATEWAY_BAD_GATEWAY: 'SCOREBOARD_ERR_GATEWAY_BAD_GATEWAY',
  GATEWAY_UNAVAILABLE: 'SCOREBOARD_ERR_GATEWAY_UNAVAILABLE',
  GATEWAY_TIMEOUT: 'SCOREBOARD_ERR_GATEWAY_TIMEOUT',
  INTERNAL: 'SCOREBOARD_ERR_SERVER_INTERNAL',
} as const;

/** One of the stable codes of {@link ErrorCode}. */
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** What the catalogue knows of one code. */
export interface ErrorSpec {
  readonly status: number;
  readonly message: string;
}

/** The catalogue: status and default message per code. The README's error table lists the same. */
export const errorCatalogue: Readonly<Record<ErrorCode, ErrorSpec>> = {
  [ErrorCode.HTTP_BAD_JSON]: { status: 400, message: 'The request body is not valid JSON.' },
  [ErrorCode.HTTP_VALIDATION]: { status: 400, message: 'The request is not valid.' },
  [ErrorCode.HTTP_UNSUPPORTED_MEDIA_TYPE]: {
    status: 415,
    message: 'The request body must be application/json.',
  },
  [ErrorCode.HTTP_BODY_TOO_LARGE]: { status: 413, message: 'The request body is too large.' },
  [ErrorCode.HTTP_NOT_FOUND]: { status: 404, message: 'No such route.' },
  [ErrorCode.HTTP_METHOD_NOT_ALLOWED]: {
    status: 405,
    message: 'The route does not take this method (Allow lists the ones it takes).',
  },
  [ErrorCode.HTTP_HEADERS_TOO_LARGE]: { status: 431, message: 'The request headers are too large.' },
  [ErrorCode.HTTP_URI_TOO_LONG]: { status: 414, message: 'The request URI is too long.' },
  [ErrorCode.HTTP_TIMEOUT]: { status: 408, message: 'The request did not arrive in time.' },
  [ErrorCode.HTTP_NOT_IMPLEMENTED]: {
    status: 501,
    message: 'The request uses an HTTP feature the service does not implement.',
  },
  [ErrorCode.RATE_LIMITED]: {
    status: 429,
    message: 'Too many requests: slow down and retry after Retry-After seconds.',
  },
  [ErrorCode.USER_NOT_FOUND]: { status: 404, message: 'No such user on the board.' },
  [ErrorCode.SCORE_OUT_OF_RANGE]: {
    status: 422,
    message: 'The resulting total would leave the range the board allows (its min and max, and ±(2^53-1)).',
  },
  [ErrorCode.SCORE_RELATIVE_NOT_ALLOWED]: {
    status: 422,
    message: "This board keeps each player's best total: send an absolute total, not a relative score.",
  },
  [ErrorCode.BOARD_NOT_FOUND]: { status: 404, message: 'No such board.' },
  [ErrorCode.BOARD_INVALID_CONFIG]: { status: 400, message: 'The board configuration is not valid.' },
  [ErrorCode.BOARD_CONFLICT]: {
    status: 409,
    message: 'The board has entries: its order and operator can no longer change.',
  },
  [ErrorCode.BOARD_PROTECTED]: { status: 409, message: 'The default board cannot be deleted.' },
  [ErrorCode.BOARD_LIMIT_REACHED]: {
    status: 409,
    message: 'The service holds as many boards as it may (MAX_BOARDS); delete one first.',
  },
  [ErrorCode.BOARD_CLOSED]: {
    status: 403,
    message: 'The board takes no writes now (outside its event window or service hours).',
  },
  [ErrorCode.PERIOD_NOT_FOUND]: {
    status: 404,
    message: 'No such period on this board (unknown, or older than the board keeps).',
  },
  [ErrorCode.PLAYER_NOT_FOUND]: { status: 404, message: 'No such player: no profile and no entry.' },
  [ErrorCode.PLAYER_INVALID_NAME]: { status: 400, message: 'The player name is not valid.' },
  [ErrorCode.PLAYER_UNKNOWN_COUNTRY]: {
    status: 400,
    message: 'The country is not an ISO 3166-1 alpha-2 code.',
  },
  [ErrorCode.PLAYER_INVALID_METADATA]: {
    status: 400,
    message: 'Metadata must be a JSON object of at most 1 KiB.',
  },
  [ErrorCode.PLAYER_LIMIT_REACHED]: {
    status: 409,
    message: 'The service holds as many players as it may (MAX_PLAYERS).',
  },
  [ErrorCode.RANKING_UNAVAILABLE]: {
    status: 503,
    message: 'The ranking server did not answer in time.',
  },
  [ErrorCode.RANKING_OVERLOADED]: {
    status: 503,
    message: 'Too many requests in flight; retry shortly.',
  },
  [ErrorCode.RANKING_DEADLINE_EXCEEDED]: {
    status: 503,
    message: 'The request expired before the ranking server could apply it; it was not applied.',
  },
  [ErrorCode.RANKING_SHUTTING_DOWN]: {
    status: 503,
    message: 'The ranking server is restarting; the request was not applied.',
  },
  [ErrorCode.STORAGE_UNAVAILABLE]: {
    status: 503,
    message:
      'The ranking server cannot write its log now (disk full or failing): the write was not applied. Reads still work; retry after Retry-After.',
  },
  [ErrorCode.SHARD_MISROUTED]: {
    status: 503,
    message: "The board is on another shard than this client's shard map said; retry shortly.",
  },
  [ErrorCode.SHARD_MAP_STALE]: {
    status: 409,
    message: 'The shard map changed meanwhile (another reshard is running?); read it again.',
  },
  [ErrorCode.SHARD_OWNS_BOARD]: {
    status: 409,
    message: "The shard's shard map still puts the board on it: it cannot be dropped.",
  },
  [ErrorCode.BOARD_MOVING]: {
    status: 503,
    message: 'The board is moving to another shard: writes pause until it is there; retry shortly.',
  },
  [ErrorCode.IDEMPOTENCY_KEY_REUSED]: {
    status: 422,
    message: 'This Idempotency-Key was already used with a different request.',
  },
  [ErrorCode.AUTH_REQUIRED]: {
    status: 401,
    message: 'This route needs an API key: send Authorization: Bearer <key>.',
  },
  [ErrorCode.AUTH_INVALID]: { status: 401, message: 'The API key is not valid (unknown or revoked).' },
  [ErrorCode.AUTH_FORBIDDEN]: {
    status: 403,
    message: 'The API key may not do this (its scopes or boards do not cover it).',
  },
  [ErrorCode.KEY_EXISTS]: { status: 409, message: 'A key with this name exists; revoke it first.' },
  [ErrorCode.KEY_NOT_FOUND]: { status: 404, message: 'No key with this name.' },
  [ErrorCode.KEY_LIMIT_REACHED]: { status: 409, message: 'The service holds as many keys as it may.' },
  [ErrorCode.PROTOCOL_MALFORMED]: {
    status: 500,
    message: 'A message between processes was malformed.',
  },
  [ErrorCode.GATEWAY_BAD_GATEWAY]: { status: 502, message: 'No client process answered.' },
  [ErrorCode.GATEWAY_UNAVAILABLE]: { status: 503, message: 'The service is unavailable.' },
  [ErrorCode.GATEWAY_TIMEOUT]: { status: 504, message: 'A client process did not answer in time.' },
  [ErrorCode.INTERNAL]: { status: 500, message: 'Internal error.' },
};

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
