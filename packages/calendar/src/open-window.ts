/**
 * When a board takes writes: between `start` and `end` (instants, each optional) and, when `hours`
 * are set, only during service hours — from a local time to another on some ISO weekdays in an
 * IANA zone (`to` at or before `from` runs past midnight into the next day). Reads are always
 * allowed; this decides writes only.
 */
import { instantAt, localDate } from './local-time.js';

/** Service hours. */
export interface ServiceHours {
  from: string;
  to: string;
  /** ISO weekdays the hours start on (Monday = 1). */
  days: readonly number[];
  timezone: string;
}

/** A board's open window; every part optional. */
export interface OpenWindow {
  start: number | null;
  end: number | null;
  hours: ServiceHours | null;
}

/** O(1). The [open, close) instants of the hours that start on the local date `days` after `t`'s. */
function spans(h: ServiceHours, t: number, fromDay: number, toDay: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  const today = localDate(t, h.timezone);
  for (let d = fromDay; d <= toDay; d++) {
    const date = today.add({ days: d });
    if (!h.days.includes(date.dayOfWeek)) continue;
    const open = instantAt(date, h.from, h.timezone);
    const close = instantAt(h.to > h.from ? date : date.add({ days: 1 }), h.to, h.timezone);
    if (close > open) out.push([open, close]);
  }
  return out;
}

/** O(1). True when service hours are running at `t`. */
function inHours(h: ServiceHours, t: number): boolean {
  return spans(h, t, -1, 0).some(([open, close]) => open <= t && t < close);
}

/** O(1). True when the window takes writes at `t`. */
export function isOpen(w: OpenWindow, t: number): boolean {
  if (w.start !== null && t < w.start) return false;
  if (w.end !== null && t >= w.end) return false;
  return w.hours === null || inHours(w.hours, t);
}

/**
 * O(1). The next instant after `t` at which the window opens or closes, or null when it never
 * changes again (always open, or closed for good).
 */
export function nextChange(w: OpenWindow, t: number): number | null {
  const now = isOpen(w, t);
  const candidates: number[] = [];
  if (w.start !== null && w.start > t) candidates.push(w.start);
  if (w.end !== null && w.end > t) candidates.push(w.end);
  if (w.hours) {
    // A week and a day of hours hold every weekday's change at least once.
    for (const [open, close] of spans(w.hours, t, -1, 8)) candidates.push(open, close);
  }
  for (const c of candidates.filter((c) => c > t).sort((a, b) => a - b)) {
    if (isOpen(w, c) !== now) return c;
  }
  if (w.hours && (w.end === null || w.end > t)) {
    // The hours open after more than a week from now only if `start` is far ahead: look from there.
    if (w.start !== null && w.start > t) return nextChange(w, w.start);
  }
  return null;
}

/** O(1). The next instant at or after `t` at which the window is open, or null when it never is. */
export function nextOpening(w: OpenWindow, t: number): number | null {
  if (isOpen(w, t)) return t;
  const change = nextChange(w, t);
  return change !== null && isOpen(w, change) ? change : null;
}
