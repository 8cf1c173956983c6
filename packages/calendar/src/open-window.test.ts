import { describe, expect, it } from 'vitest';
import { isTimeZone, isoOf, parseInstant } from './local-time.js';
import { isOpen, nextChange, nextOpening, type OpenWindow } from './open-window.js';

const at = (iso: string): number => parseInstant(iso)!;
const iso = (t: number | null) => (t === null ? null : isoOf(t));

describe('open windows', () => {
  it('take writes between start and end only', () => {
    const w: OpenWindow = { start: at('2026-12-01T10:00:00Z'), end: at('2026-12-01T12:00:00Z'), hours: null };
    expect(isOpen(w, at('2026-12-01T09:59:59Z'))).toBe(false);
    expect(isOpen(w, at('2026-12-01T10:00:00Z'))).toBe(true);
    expect(isOpen(w, at('2026-12-01T12:00:00Z'))).toBe(false);
    expect(iso(nextChange(w, at('2026-11-30T00:00:00Z')))).toBe('2026-12-01T10:00:00Z');
    expect(iso(nextChange(w, at('2026-12-01T11:00:00Z')))).toBe('2026-12-01T12:00:00Z');
    expect(nextChange(w, at('2026-12-02T00:00:00Z'))).toBeNull();
    expect(nextOpening(w, at('2026-12-02T00:00:00Z'))).toBeNull();
    expect(nextChange({ start: null, end: null, hours: null }, 0)).toBeNull();
  });

  it('keep service hours in local time, on their days: 06:00–15:00 in UTC−6 on weekdays', () => {
    const w: OpenWindow = {
      start: null,
      end: null,
      hours: { from: '06:00', to: '15:00', days: [1, 2, 3, 4, 5], timezone: 'America/Chicago' },
    };
    // Friday 2026-11-27 (CST, UTC−6): open 12:00Z–21:00Z; then closed until Monday 12:00Z.
    expect(isOpen(w, at('2026-11-27T11:59:00Z'))).toBe(false);
    expect(isOpen(w, at('2026-11-27T12:00:00Z'))).toBe(true);
    expect(iso(nextChange(w, at('2026-11-27T13:00:00Z')))).toBe('2026-11-27T21:00:00Z');
    expect(isOpen(w, at('2026-11-28T15:00:00Z'))).toBe(false); // Saturday
    expect(iso(nextOpening(w, at('2026-11-28T15:00:00Z')))).toBe('2026-11-30T12:00:00Z');
  });

  it('run past midnight when `to` is before `from`, and follow daylight saving', () => {
    const w: OpenWindow = {
      start: null,
      end: null,
      hours: { from: '22:00', to: '02:00', days: [6], timezone: 'Europe/Berlin' },
    };
    // Saturday 2026-03-28 22:00 CET (21:00Z) to Sunday 02:00 — which that night is the change to CEST.
    expect(isOpen(w, at('2026-03-28T20:59:00Z'))).toBe(false);
    expect(isOpen(w, at('2026-03-28T21:00:00Z'))).toBe(true);
    expect(isOpen(w, at('2026-03-29T00:59:00Z'))).toBe(true);
    expect(isOpen(w, at('2026-03-29T01:00:00Z'))).toBe(false);
    expect(iso(nextChange(w, at('2026-03-28T22:00:00Z')))).toBe('2026-03-29T01:00:00Z');
    // The next Saturday is in summer time: 22:00 CEST is 20:00Z.
    expect(iso(nextOpening(w, at('2026-03-29T02:00:00Z')))).toBe('2026-04-04T20:00:00Z');
  });

  it('combine an event window with hours: closed until both agree', () => {
    const w: OpenWindow = {
      start: at('2026-12-05T00:00:00Z'), // a Saturday
      end: null,
      hours: { from: '09:00', to: '17:00', days: [1, 2, 3, 4, 5], timezone: 'UTC' },
    };
    expect(iso(nextOpening(w, at('2026-11-28T00:00:00Z')))).toBe('2026-12-07T09:00:00Z');
    expect(isOpen(w, at('2026-12-07T10:00:00Z'))).toBe(true);
  });
});

describe('time zones and instants', () => {
  it('know real IANA zones and ISO instants with a zone', () => {
    expect(isTimeZone('Europe/Berlin')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
    expect(isTimeZone('')).toBe(false);
    expect(parseInstant('2026-11-28T06:00:00Z')).toBe(Date.UTC(2026, 10, 28, 6));
    expect(parseInstant('2026-11-28T07:00:00.5+01:00')).toBe(Date.UTC(2026, 10, 28, 6, 0, 0, 500));
    for (const bad of ['2026-11-28', '2026-11-28T06:00:00', 'tomorrow', '2026-13-01T00:00:00Z', 5]) {
      expect(parseInstant(bad)).toBeUndefined();
    }
  });
});
