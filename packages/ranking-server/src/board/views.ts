/**
 * How a board's data is answered: its rows (the user, the total, the rank in the asked style, the
 * player's name and country as they are now) and the board itself (its rules, its live period and
 * whether it takes writes). The server's own formatting; the reference model has its own.
 */
import { isoOf, type ResetSchedule } from '@scoreboard/calendar';
import { countryCode, type BoardRow, type BoardView, type ResetView } from '@scoreboard/protocol';
import { periodInfo, type Period } from './periods.js';
import type { Players } from './players.js';
import type { BoardConfig, Rules } from './rules.js';

/**
 * O(1). A player's row: total from `score` under `rules` (and on a board with a subscore, the
 * subscore from `sub`), name and country from `players`, and the entry's metadata when it has one.
 */
export function rowOf(
  players: Players,
  rules: Rules,
  slot: number,
  score: number,
  rank: number,
  metadata?: Readonly<Record<string, unknown>>,
  sub = 0,
): BoardRow {
  const row: BoardRow = rules.subscores
    ? { user: players.idOf(slot), total: rules.total(score), subscore: rules.subscore(sub), rank }
    : { user: players.idOf(slot), total: rules.total(score), rank };
  const name = players.nameOf(slot);
  if (name !== undefined) row.name = name;
  const country = players.countryOf(slot);
  if (country !== 0) row.country = countryCode(country)!;
  if (metadata !== undefined) row.metadata = metadata;
  return row;
}

/** O(1). A reset schedule as answered: the calendar fields that apply to it. */
function resetView(r: ResetSchedule | null): ResetView {
  if (r === null) return null;
  if ('everySeconds' in r) return { everySeconds: r.everySeconds };
  const { every, at, timezone } = r;
  if (every === 'week') return { every, at, timezone, weekday: r.weekday };
  if (every === 'month') return { every, at, timezone, day: r.day };
  return { every, at, timezone };
}

/** O(1). A board as answered at `now`. */
export function boardView(
  id: string,
  config: Readonly<BoardConfig>,
  rules: Rules,
  count: number,
  period: Period,
  now: number,
  players: number,
): BoardView {
  const { order, operator, min, max, keep, history, start, end, hours } = config;
  const window = rules.window(now);
  return {
    board: id,
    order,
    operator,
    min,
    max,
    count,
    reset: resetView(config.reset),
    keep,
    history,
    start: start === null ? null : isoOf(start),
    end: end === null ? null : isoOf(end),
    hours: hours && { from: hours.from, to: hours.to, days: [...hours.days], timezone: hours.timezone },
    period: periodInfo(period),
    open: window.open,
    nextChange: window.nextChange === null ? null : isoOf(window.nextChange),
    join: config.join,
    maxPlayers: config.maxPlayers,
    maxAttempts: config.maxAttempts,
    players,
    bucket: config.bucket && { size: config.bucket.size },
    tiers: config.tiers && structuredClone([...config.tiers]),
    promote: config.promote,
    relegate: config.relegate,
    rewards: config.rewards && structuredClone([...config.rewards]),
    subscore: config.subscore && { order: config.subscore.order },
  };
}
