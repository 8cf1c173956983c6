/**
 * Local wall-clock times in an IANA time zone, as instants — the one place that decides what a
 * daylight-saving change does to a scheduled time:
 * - a local time the change skips (02:30 on a spring-forward night in Berlin) happens at the first
 *   instant after the gap (03:00 local, the moment of the change);
 * - a local time that happens twice (02:30 on a fall-back night) happens at its first occurrence.
 */
import { Temporal } from 'temporal-polyfill';

/** A wall-clock time as written: "HH:MM", 00:00 … 23:59. */
export const LOCAL_TIME_PATTERN = '^([01][0-9]|2[0-3]):[0-5][0-9]$';

/** O(1). True when `zone` is an IANA time zone this runtime knows ("UTC", "Europe/Berlin"). */
export function isTimeZone(zone: unknown): boolean {
  if (typeof zone !== 'string' || zone.length === 0 || zone.length > 64) return false;
  try {
    Temporal.Now.instant().toZonedDateTimeISO(zone);
    return true;
  } catch {
    return false;
  }
}

/** O(1). Hours and minutes of "HH:MM". */
export function parseLocalTime(hhmm: string): { hour: number; minute: number } {
  return { hour: Number(hhmm.slice(0, 2)), minute: Number(hhmm.slice(3, 5)) };
}

/**
 * O(1). The instant (epoch ms) of `time` on `date` in `zone`: a skipped time at the end of its gap,
 * a repeated time at its first occurrence.
 */
export function instantAt(date: Temporal.PlainDate, time: string, zone: string): number {
  const { hour, minute } = parseLocalTime(time);
  const wall = date.toPlainDateTime({ hour, minute });
  const earlier = wall.toZonedDateTime(zone, { disambiguation: 'earlier' });
  if (Temporal.PlainDateTime.compare(earlier.toPlainDateTime(), wall) === 0) return earlier.epochMilliseconds;
  // In a gap: `earlier` is the wall time read with the offset before the change; the change itself
  // is the first instant the skipped time can mean.
  const change = earlier.getTimeZoneTransition('next');
  return (change ?? wall.toZonedDateTime(zone, { disambiguation: 'later' })).epochMilliseconds;
}

/** O(1). The local date of an instant in `zone`. */
export function localDate(epochMs: number, zone: string): Temporal.PlainDate {
  return Temporal.Instant.fromEpochMilliseconds(epochMs).toZonedDateTimeISO(zone).toPlainDate();
}

/** O(1). An instant as an ISO 8601 UTC string, milliseconds kept when there are any. */
export function isoOf(epochMs: number): string {
  return new Date(epochMs).toISOString().replace('.000Z', 'Z');
}

/** An ISO 8601 instant with a zone: 2026-11-28T06:00:00Z, 2026-11-28T07:00:00.5+01:00. */
export const INSTANT_PATTERN =
  '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]{1,9})?)?(Z|[+-][0-9]{2}:[0-9]{2})$';

/** O(1). The epoch ms of an ISO 8601 instant with a zone, or undefined when it is not one. */
export function parseInstant(text: unknown): number | undefined {
  if (typeof text !== 'string' || !new RegExp(INSTANT_PATTERN).test(text)) return undefined;
  try {
    return Temporal.Instant.from(text).epochMilliseconds;
  } catch {
    return undefined;
  }
}
