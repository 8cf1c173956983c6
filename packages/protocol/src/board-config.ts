/**
 * A board's time rules, as written and as answered: the reset schedule and how many finished
 * periods stay readable, the open window (event start and end, service hours), and how many best
 * results per player the board keeps. The schemas validate the shape; `checkBoardTime` checks what
 * a schema cannot (real time zones, a weekday only on weekly schedules) and fills in defaults.
 */
import { INSTANT_PATTERN, LOCAL_TIME_PATTERN, isTimeZone } from '@scoreboard/calendar';
import { Type, type Static } from 'typebox';
import { ErrorCode } from './errors.js';
import type { Problem } from './profile.js';

/** Most finished periods a board may keep readable. */
export const MAX_KEEP = 1000;
/** Finished periods kept unless the board says otherwise. */
export const DEFAULT_KEEP = 10;
/** Most best results per player a board may keep. */
export const MAX_HISTORY = 100;
/** The longest `everySeconds`: ten years. */
export const MAX_EVERY_SECONDS = 10 * 366 * 24 * 3600;

const LocalTime = Type.String({ pattern: LOCAL_TIME_PATTERN, description: 'HH:MM' });
const Zone = Type.String({
  minLength: 1,
  maxLength: 64,
  description: 'an IANA time zone, e.g. Europe/Berlin',
});

/** A reset at a local time every day, every week on an ISO weekday, or every month on a day. */
export const CalendarResetSchema = Type.Object(
  {
    every: Type.Union([Type.Literal('day'), Type.Literal('week'), Type.Literal('month')]),
    at: Type.Optional(LocalTime),
    timezone: Type.Optional(Zone),
    weekday: Type.Optional(Type.Integer({ minimum: 1, maximum: 7, description: 'ISO weekday, Monday = 1' })),
    day: Type.Optional(Type.Integer({ minimum: 1, maximum: 28 })),
  },
  { additionalProperties: false },
);

/** A reset every N seconds counted from the board's creation. */
export const SecondsResetSchema = Type.Object(
  { everySeconds: Type.Integer({ minimum: 1, maximum: MAX_EVERY_SECONDS }) },
  { additionalProperties: false },
);

/** `null` (never), a calendar reset, or a reset every N seconds. */
export const ResetSchema = Type.Union([Type.Null(), CalendarResetSchema, SecondsResetSchema]);
/** See {@link ResetSchema}. */
export type ResetConfig = Static<typeof ResetSchema>;

/** Service hours: from a local time to another on some ISO weekdays (`to` ≤ `from` runs past midnight). */
export const HoursSchema = Type.Union([
  Type.Null(),
  Type.Object(
    {
      from: LocalTime,
      to: LocalTime,
      days: Type.Array(Type.Integer({ minimum: 1, maximum: 7 }), {
        minItems: 1,
        maxItems: 7,
        uniqueItems: true,
      }),
      timezone: Type.Optional(Zone),
    },
    { additionalProperties: false },
  ),
]);
/** See {@link HoursSchema}. */
export type HoursConfig = Static<typeof HoursSchema>;

/** Most players a tournament board may take per period (`maxPlayers`). */
export const MAX_TOURNAMENT_PLAYERS = 10_000_000;
/** The smallest and largest bucket a board may have (`bucket.size`). */
export const MIN_BUCKET_SIZE = 2;
export const MAX_BUCKET_SIZE = 10_000;
/** Most attempts a board may allow a player per period (`maxAttempts`). */
export const MAX_ATTEMPTS = 1_000_000;

/**
 * The tournament fields of a board's configuration, each optional in a write: `join` (only
 * players who joined this period may write), `maxPlayers` (joins per period; needs `join`),
 * `maxAttempts` (accepted writes per player per period). `null` unsets a limit.
 */
export const BoardTournamentSchema = {
  join: Type.Optional(Type.Boolean()),
  maxPlayers: Type.Optional(
    Type.Union([Type.Integer({ minimum: 1, maximum: MAX_TOURNAMENT_PLAYERS }), Type.Null()]),
  ),
  bucket: Type.Optional(
    Type.Union([
      Type.Object(
        { size: Type.Integer({ minimum: MIN_BUCKET_SIZE, maximum: MAX_BUCKET_SIZE }) },
        { additionalProperties: false },
      ),
      Type.Null(),
    ]),
  ),
  maxAttempts: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: MAX_ATTEMPTS }), Type.Null()])),
};

/** The fewest and most tiers a board may have (`tiers`). */
export const MIN_TIERS = 2;
export const MAX_TIERS = 20;

/**
 * How many of a bucket move up (`promote`) or down (`relegate`) a tier when a period ends: a count,
 * or a percentage of the bucket's ranked players, rounded down but at least 1 when the bucket is
 * full.
 */
export const MovementSchema = Type.Union([
  Type.Integer({ minimum: 0, maximum: MAX_BUCKET_SIZE }),
  Type.String({ pattern: '^(100|[1-9]?[0-9])%$', description: 'a percentage, e.g. "20%"' }),
]);
/** See {@link MovementSchema}. */
export type Movement = Static<typeof MovementSchema>;

/** A tier: its name, and optionally its own `promote`/`relegate` (else the board's). */
export const TierSchema = Type.Object(
  {
    name: Type.String({
      pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$',
      description: '1–32 of A–Z a–z 0–9 _ . -',
    }),
    promote: Type.Optional(MovementSchema),
    relegate: Type.Optional(MovementSchema),
  },
  { additionalProperties: false },
);
/** See {@link TierSchema}. */
export type Tier = Static<typeof TierSchema>;

/**
 * The league fields of a board's configuration: `tiers` (low to high; they need `bucket`), and the
 * `promote`/`relegate` every bucket applies unless its tier says otherwise.
 */
export const BoardLeagueSchema = {
  tiers: Type.Optional(
    Type.Union([Type.Array(TierSchema, { minItems: MIN_TIERS, maxItems: MAX_TIERS }), Type.Null()]),
  ),
  promote: Type.Optional(MovementSchema),
  relegate: Type.Optional(MovementSchema),
};

/** O(tiers). Tier names must differ; answers the first problem. */
export function checkTiers(tiers: readonly Tier[] | null | undefined): Problem | undefined {
  const seen = new Set<string>();
  for (const t of tiers ?? []) {
    if (seen.has(t.name))
      return { code: ErrorCode.BOARD_INVALID_CONFIG, message: `Tier "${t.name}" is named twice.` };
    seen.add(t.name);
  }
  return undefined;
}

/**
 * O(1). How many of a bucket's `ranked` players a movement moves: a count (at most them all), or
 * a percentage rounded down, at least 1 when the bucket is `full` and the percentage is above 0.
 */
export function movedCount(movement: Movement, ranked: number, full: boolean): number {
  if (typeof movement === 'number') return Math.min(movement, ranked);
  const percent = Number(movement.slice(0, -1));
  const moved = Math.floor((ranked * percent) / 100);
  return moved === 0 && full && percent > 0 ? Math.min(1, ranked) : moved;
}

/** Most reward bands a board may configure (`rewards`). */
export const MAX_REWARDS = 100;
/** Most bytes one band's `reward` may take as JSON. */
export const MAX_REWARD_BYTES = 1024;

/**
 * A reward band: the players whose result ranks in `ranks` (both ends included; ranks inside the
 * bucket on a board with buckets) are given `reward`, any JSON the studio's systems understand.
 */
export const RewardBandSchema = Type.Object(
  {
    ranks: Type.Array(Type.Integer({ minimum: 1, maximum: MAX_TOURNAMENT_PLAYERS }), {
      minItems: 2,
      maxItems: 2,
      description: '[first, last] rank of the band, both included',
    }),
    reward: Type.Unknown({ description: `any JSON of at most ${MAX_REWARD_BYTES} bytes` }),
  },
  { additionalProperties: false },
);
/** See {@link RewardBandSchema}. */
export type RewardBand = Static<typeof RewardBandSchema>;

/** The results fields of a board's configuration: `rewards` bands, or `null` for none. */
export const BoardResultsSchema = {
  rewards: Type.Optional(Type.Union([Type.Array(RewardBandSchema, { maxItems: MAX_REWARDS }), Type.Null()])),
};

/**
 * O(bands²). Checks reward bands: each `[first, last]` in order, none overlapping another, each
 * reward present and at most {@link MAX_REWARD_BYTES} of JSON; answers the first problem.
 */
export function checkRewards(rewards: readonly RewardBand[] | null | undefined): Problem | undefined {
  const bad = (message: string): Problem => ({ code: ErrorCode.BOARD_INVALID_CONFIG, message });
  for (const [i, band] of (rewards ?? []).entries()) {
    const [first, last] = band.ranks as [number, number];
    if (first > last) return bad(`rewards[${i}].ranks must be [first, last] with first <= last.`);
    if (band.reward === undefined || band.reward === null) return bad(`rewards[${i}].reward is missing.`);
    if (Buffer.byteLength(JSON.stringify(band.reward)) > MAX_REWARD_BYTES)
      return bad(`rewards[${i}].reward must be at most ${MAX_REWARD_BYTES} bytes of JSON.`);
    for (const [j, other] of (rewards ?? []).slice(0, i).entries()) {
      if (first <= other.ranks[1]! && other.ranks[0]! <= last)
        return bad(`rewards[${i}].ranks overlaps rewards[${j}].ranks.`);
    }
  }
  return undefined;
}

/** O(bands). The index of the band whose ranks hold `rank`, or -1. */
export function rewardIndex(rewards: readonly RewardBand[] | null, rank: number): number {
  return rewards === null ? -1 : rewards.findIndex((b) => b.ranks[0]! <= rank && rank <= b.ranks[1]!);
}

/** An ISO 8601 instant with a zone, or `null`. */
export const InstantOrNullSchema = Type.Union([Type.Null(), Type.String({ pattern: INSTANT_PATTERN })]);

/** The time fields of a board's configuration, each optional in a write. */
export const BoardTimeSchema = {
  reset: Type.Optional(ResetSchema),
  keep: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_KEEP })),
  history: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_HISTORY })),
  start: Type.Optional(InstantOrNullSchema),
  end: Type.Optional(InstantOrNullSchema),
  hours: Type.Optional(HoursSchema),
};

/** A reset schedule as answered: the calendar fields that apply, defaults filled in. */
export type ResetView =
  | null
  | { every: 'day'; at: string; timezone: string }
  | { every: 'week'; at: string; timezone: string; weekday: number }
  | { every: 'month'; at: string; timezone: string; day: number }
  | { everySeconds: number };

/**
 * O(1). Checks the time fields of a board write and fills in their defaults in place (`at`
 * 00:00, `timezone` UTC, `weekday` 1 for weekly, `day` 1 for monthly); answers the first problem.
 */
export function checkBoardTime(args: {
  reset?: ResetConfig;
  hours?: HoursConfig;
  start?: string | null;
  end?: string | null;
}): Problem | undefined {
  const bad = (message: string): Problem => ({ code: ErrorCode.BOARD_INVALID_CONFIG, message });
  const reset = args.reset;
  if (reset && 'every' in reset) {
    if (reset.weekday !== undefined && reset.every !== 'week')
      return bad('reset.weekday applies to weekly resets only.');
    if (reset.day !== undefined && reset.every !== 'month')
      return bad('reset.day applies to monthly resets only.');
    reset.at ??= '00:00';
    reset.timezone ??= 'UTC';
    if (!isTimeZone(reset.timezone))
      return bad(`reset.timezone "${reset.timezone}" is not an IANA time zone.`);
    if (reset.every === 'week') reset.weekday ??= 1;
    if (reset.every === 'month') reset.day ??= 1;
  }
  const hours = args.hours;
  if (hours) {
    hours.timezone ??= 'UTC';
    if (!isTimeZone(hours.timezone))
      return bad(`hours.timezone "${hours.timezone}" is not an IANA time zone.`);
    if (hours.from === hours.to) return bad('hours.from and hours.to must differ.');
    hours.days.sort((a, b) => a - b);
  }
  return undefined;
}
