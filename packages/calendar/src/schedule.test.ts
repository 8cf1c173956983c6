import { describe, expect, it } from 'vitest';
import { isoOf, parseInstant } from './local-time.js';
import { nextBoundary, periodAt, type ResetSchedule } from './schedule.js';

const at = (iso: string): number => parseInstant(iso)!;
const daily = (time: string, timezone: string): ResetSchedule => ({
  every: 'day',
  at: time,
  timezone,
  weekday: 1,
  day: 1,
});
/** The next `count` boundaries after `from`, as ISO UTC strings. */
function boundaries(s: ResetSchedule, from: string, count: number, anchor = 0): string[] {
  const out: string[] = [];
  let t = at(from);
  for (let i = 0; i < count; i++) out.push(isoOf((t = nextBoundary(s, t, anchor))));
  return out;
}

describe('reset schedules', () => {
  it('reset daily at a local time, in UTC by default', () => {
    expect(boundaries(daily('00:00', 'UTC'), '2026-11-27T23:21:00Z', 3)).toEqual([
      '2026-11-28T00:00:00Z',
      '2026-11-29T00:00:00Z',
      '2026-11-30T00:00:00Z',
    ]);
    // Strictly after: a boundary exactly at `after` is the one before.
    expect(boundaries(daily('06:30', 'UTC'), '2026-11-28T06:30:00Z', 1)).toEqual(['2026-11-29T06:30:00Z']);
  });

  it('keep local time across Europe’s spring-forward night, a skipped time at the change itself', () => {
    // Berlin, 2026-03-29: 02:00 CET becomes 03:00 CEST.
    expect(boundaries(daily('04:00', 'Europe/Berlin'), '2026-03-27T12:00:00Z', 3)).toEqual([
      '2026-03-28T03:00:00Z', // 04:00 CET
      '2026-03-29T02:00:00Z', // 04:00 CEST
      '2026-03-30T02:00:00Z',
    ]);
    expect(boundaries(daily('02:30', 'Europe/Berlin'), '2026-03-28T12:00:00Z', 2)).toEqual([
      '2026-03-29T01:00:00Z', // 02:30 does not exist: the change at 03:00 CEST
      '2026-03-30T00:30:00Z', // 02:30 CEST
    ]);
  });

  it('reset once, at the first 01:30, on America’s fall-back night', () => {
    // New York, 2026-11-01: 02:00 EDT becomes 01:00 EST, so 01:30 happens twice.
    expect(boundaries(daily('01:30', 'America/New_York'), '2026-10-31T12:00:00Z', 3)).toEqual([
      '2026-11-01T05:30:00Z', // 01:30 EDT, the first one
      '2026-11-02T06:30:00Z', // 01:30 EST
      '2026-11-03T06:30:00Z',
    ]);
    // Spring forward, 2026-03-08: 02:00 EST becomes 03:00 EDT.
    expect(boundaries(daily('02:15', 'America/New_York'), '2026-03-07T12:00:00Z', 2)).toEqual([
      '2026-03-08T07:00:00Z', // the change, 03:00 EDT
      '2026-03-09T06:15:00Z',
    ]);
  });

  it('reset weekly on an ISO weekday and monthly on a day, through month ends and a leap day', () => {
    const monday: ResetSchedule = { every: 'week', at: '00:00', timezone: 'UTC', weekday: 1, day: 1 };
    expect(boundaries(monday, '2026-11-28T10:00:00Z', 2)).toEqual([
      '2026-11-30T00:00:00Z',
      '2026-12-07T00:00:00Z',
    ]);
    const sunday: ResetSchedule = { every: 'week', at: '23:00', timezone: 'Asia/Tokyo', weekday: 7, day: 1 };
    expect(boundaries(sunday, '2026-11-28T10:00:00Z', 1)).toEqual(['2026-11-29T14:00:00Z']);
    const on28: ResetSchedule = { every: 'month', at: '12:00', timezone: 'UTC', weekday: 1, day: 28 };
    expect(boundaries(on28, '2028-01-29T00:00:00Z', 3)).toEqual([
      '2028-02-28T12:00:00Z', // 2028 is a leap year: the 28th, not the 29th
      '2028-03-28T12:00:00Z',
      '2028-04-28T12:00:00Z',
    ]);
    const first: ResetSchedule = {
      every: 'month',
      at: '00:00',
      timezone: 'Australia/Sydney',
      weekday: 1,
      day: 1,
    };
    expect(boundaries(first, '2026-12-15T00:00:00Z', 2)).toEqual([
      '2026-12-31T13:00:00Z',
      '2027-01-31T13:00:00Z',
    ]);
  });

  it('counts everySeconds from the anchor, and finds the period that holds any instant', () => {
    const s: ResetSchedule = { everySeconds: 10 };
    const anchor = at('2026-11-28T00:00:03Z');
    expect(isoOf(nextBoundary(s, anchor, anchor))).toBe('2026-11-28T00:00:13Z');
    expect(isoOf(nextBoundary(s, at('2026-11-28T00:00:20Z'), anchor))).toBe('2026-11-28T00:00:23Z');
    const p = periodAt(s, anchor, at('2026-11-28T00:00:13Z'), at('2026-11-28T00:01:00Z'));
    expect([isoOf(p.start), isoOf(p.end), p.boundaries]).toEqual([
      '2026-11-28T00:00:53Z',
      '2026-11-28T00:01:03Z',
      5,
    ]);
    const d = periodAt(daily('00:00', 'UTC'), 0, at('2026-11-25T00:00:00Z'), at('2026-11-28T09:00:00Z'));
    expect([isoOf(d.start), isoOf(d.end), d.boundaries]).toEqual([
      '2026-11-28T00:00:00Z',
      '2026-11-29T00:00:00Z',
      4,
    ]);
  });
});
