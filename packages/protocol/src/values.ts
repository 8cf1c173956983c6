/**
 * The value rules every process shares: user ids, board ids, totals, relative scores and
 * idempotency keys (player profiles: profile.ts).
 * Each rule is written once here, as a pattern or bound, and both the HTTP schemas and the ranking
 * server's codec are built from it.
 *
 * A user id is an integer in [0, 2^53-1] or a string of 1–64 characters from [A-Za-z0-9_.:@-].
 * A string of digits in canonical form (no leading zero, within range) names the same user as
 * that integer and is answered as the integer: "123" and 123 are one user, "0123" is another.
 */

/** A canonical user id: a safe non-negative integer, or a string that is not a canonical integer. */
export type UserId = number | string;

/** Largest magnitude of a total: 2^53-1, so every total is exact in a double. */
export const MAX_TOTAL = Number.MAX_SAFE_INTEGER;

/** The characters a string user id may use, as a regular expression source. */
export const USER_ID_PATTERN = '^[A-Za-z0-9_.:@-]{1,64}$';

/**
 * A relative score written as a string: an explicit sign and 1–16 digits ("+10", "-115"). 16
 * digits hold every magnitude up to 2^53-1; larger ones are refused by {@link parseRelativeScore}.
 */
export const RELATIVE_SCORE_PATTERN = '^[+-][0-9]{1,16}$';

/** A board id: 1–64 characters from [A-Za-z0-9_.-]. */
export const BOARD_ID_PATTERN = '^[A-Za-z0-9_.-]{1,64}$';

/** The board the original routes act on; it always exists (descending, operator `set`). */
export const DEFAULT_BOARD = 'default';

/**
 * The game's board (the endless runner at GET / writes its runs there): made by the ranking server
 * that holds it, at start, when it is missing and the game is on (GAME). Best run kept, five best
 * runs per player.
 */
export const GAME_BOARD = { id: 'runner', config: { operator: 'best', history: 5 } } as const;

/** How ranks are numbered among equal totals: ordinal 1234, standard 1224, dense 1223. */
export const RANK_STYLES = ['ordinal', 'standard', 'dense'] as const;
/** One of {@link RANK_STYLES}. */
export type RankStyle = (typeof RANK_STYLES)[number];

/** How long an idempotency key is remembered, from its first use. */
export const IDEMPOTENCY_KEY_TTL_MS = 24 * 3600_000;
/** Most idempotency keys remembered; past it the oldest are forgotten first. */
export const MAX_IDEMPOTENCY_KEYS = 1_000_000;

/** An idempotency key: 1–128 visible ASCII characters. */
export const IDEMPOTENCY_KEY_PATTERN = '^[\\x21-\\x7e]{1,128}$';

/** What an API key may do, least first: each scope includes the ones before it. */
export const SCOPES = ['read', 'write', 'admin'] as const;
/** One of {@link SCOPES}. */
export type Scope = (typeof SCOPES)[number];
/** An API key's name: 1–64 characters from [A-Za-z0-9_.-]. */
export const KEY_NAME_PATTERN = '^[A-Za-z0-9_.-]{1,64}$';
/** Most boards one key may be limited to. */
export const MAX_KEY_BOARDS = 100;
/** The highest request rate (per second) a key may be given. */
export const MAX_KEY_RATE = 1_000_000;
/** Most API keys the service holds. */
export const MAX_KEYS = 10_000;

const userIdRe = new RegExp(USER_ID_PATTERN);
const canonicalDigitsRe = /^(?:0|[1-9][0-9]{0,15})$/;
const relativeRe = new RegExp(RELATIVE_SCORE_PATTERN);
const idempotencyKeyRe = new RegExp(IDEMPOTENCY_KEY_PATTERN);

/**
 * O(length). The canonical form of a raw id, or `undefined` when it is not a valid id. Integers
 * must be safe and ≥ 0; canonical digit strings within range become numbers.
 */
export function canonicalUserId(raw: unknown): UserId | undefined {
  if (typeof raw === 'number') {
    return Number.isSafeInteger(raw) && raw >= 0 ? raw : undefined;
  }
  if (typeof raw !== 'string' || !userIdRe.test(raw)) return undefined;
  if (canonicalDigitsRe.test(raw)) {
    const n = Number(raw);
    if (Number.isSafeInteger(n)) return n;
  }
  return raw;
}

/** O(1). True when `n` is an integer total within ±(2^53-1). */
export function isValidTotal(n: unknown): n is number {
  return typeof n === 'number' && Number.isSafeInteger(n);
}

/**
 * O(length). A relative score: a JSON integer, or a string with an explicit sign ("+10", "-115").
 * Answers the delta, or `undefined` for anything else ("10", "+", "+1x", floats, out of range).
 */
export function parseRelativeScore(raw: unknown): number | undefined {
  if (typeof raw === 'number') return Number.isSafeInteger(raw) ? raw : undefined;
  if (typeof raw !== 'string' || !relativeRe.test(raw)) return undefined;
  const n = Number(raw);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** O(length). True for a valid idempotency key (see {@link IDEMPOTENCY_KEY_PATTERN}). */
export function isIdempotencyKey(v: unknown): v is string {
  return typeof v === 'string' && idempotencyKeyRe.test(v);
}
