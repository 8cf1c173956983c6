/**
 * Reset schedules: when a board's periods end.
 *
 * - `{every: "day"|"week"|"month", at: "HH:MM", timezone, weekday?, day?}`: at a local time every
 *   day, every week on an ISO weekday (Monday = 1), or every month on a day (1–28, so every month
 *   has it), in an IANA zone — across daylight-saving changes as local-time.ts says;
 * - `{everySeconds: N}`: every N seconds counted from an anchor (the board's creation): for short
 *   events and for tests.
 */
import type { Temporal } from 'temporal-polyfill';
import { instantAt, localDate } from './local-time.js';

/** A calendar schedule, with its defaults filled in. */
export interface CalendarSchedule {
  every: 'day' | 'week' | 'month';
  at: string;
  timezone: string;
  weekday: number;
  day: number;
}

/** When periods end. */
export type ResetSchedule = CalendarSchedule | { everySeconds: number };

/** O(1). True when a local date is one the schedule resets on. */
function resetsOn(s: CalendarSchedule, date: Temporal.PlainDate): boolean {
  if (s.every === 'week') return date.dayOfWeek === s.weekday;
  if (s.every === 'month') return date.day === s.day;
  return true;
}

/** O(1). The next date after `date` that the schedule resets on. */
function nextDate(s: CalendarSchedule, date: Temporal.PlainDate): Temporal.PlainDate {
  if (s.every === 'day') return date.add({ days: 1 });
  if (s.every === 'week') return date.add({ days: ((s.weekday - date.dayOfWeek + 6) % 7) + 1 });
  const next = date.day < s.day ? date.with({ day: s.day }) : date.add({ months: 1 }).with({ day: s.day });
  return next;
}

/**
 * O(1). The first boundary strictly after `after` (epoch ms). `anchor` is where `everySeconds`
 * counts from; calendar schedules ignore it.
 */
export function nextBoundary(schedule: ResetSchedule, after: number, anchor: number): number {
  if ('everySeconds' in schedule) {
    const step = schedule.everySeconds * 1000;
    return anchor + (Math.floor((after - anchor) / step) + 1) * step;
  }
  // Start a day early: the boundary of `after`'s local date may still be ahead, and a boundary of
  // the day before can fall after `after` when its local time is late and the zone far west.
  let date = localDate(after, schedule.timezone).subtract({ days: 1 });
  if (!resetsOn(schedule, date)) date = nextDate(schedule, date);
  for (;;) {
    const at = instantAt(date, schedule.at, schedule.timezone);
    if (at > after) return at;
    date = nextDate(schedule, date);
  }
}

/**
 * O(boundaries skipped) for calendar schedules, O(1) for `everySeconds`. The period that holds
 * `now`, given that one ended at boundary `from` ≤ now: its start (the last boundary ≤ now), its
 * end, and how many boundaries passed since `from` (1: the period right after `from`).
 */
export function periodAt(
  schedule: ResetSchedule,
  anchor: number,
  from: number,
  now: number,
): { start: number; end: number; boundaries: number } {
  if ('everySeconds' in schedule) {
    const step = schedule.everySeconds * 1000;
    const k = Math.floor((now - from) / step);
    return { start: from + k * step, end: from + (k + 1) * step, boundaries: k + 1 };
  }
  let start = from;
  let end = nextBoundary(schedule, from, anchor);
  let boundaries = 1;
  while (end <= now) {
    start = end;
    end = nextBoundary(schedule, end, anchor);
    boundaries++;
  }
  return { start, end, boundaries };
}
