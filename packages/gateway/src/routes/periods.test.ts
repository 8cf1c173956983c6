import { ErrorCode } from '@scoreboard/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { modelApp } from '../test-support/model-app.js';

/** The clock the fake ranking server reads: tests step it across boundaries. */
const clock = { now: Date.UTC(2026, 10, 27, 12) };
let t = modelApp({ clock: () => clock.now });
afterEach(async () => {
  await t.app.close();
  clock.now = Date.UTC(2026, 10, 27, 12);
  t = modelApp({ clock: () => clock.now });
});

const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
const refused = (status: number, code: string) => ({ status, body: { error: { code } } });

describe('periods', () => {
  it('end on schedule: the finished one stays readable with the board’s reads and rank styles', async () => {
    const created = clock.now;
    const made = await t.send('PUT', '/boards/sprint', { reset: { everySeconds: 60 }, keep: 2 });
    expect(made).toMatchObject({
      status: 201,
      body: { reset: { everySeconds: 60 }, keep: 2, period: { id: 1, end: iso(created + 60_000) } },
    });
    for (const [user, total] of [
      ['ann', 30],
      ['bob', 50],
      ['cy', 30],
      ['dee', 10],
    ] as const)
      await t.send('PUT', '/boards/sprint/scores', { user, total });
    clock.now = created + 61_000;
    await t.send('PUT', '/boards/sprint/scores', { user: 'ann', total: 1 });

    const periods = await t.send('GET', '/boards/sprint/periods');
    expect(periods.body).toEqual([
      { id: 2, start: iso(created + 60_000), end: iso(created + 120_000), count: 1 },
      { id: 1, start: made.body.period.start, end: iso(created + 60_000), count: 4 },
    ]);
    expect((await t.send('GET', '/boards/sprint/periods/1/top/3?rank=standard')).body).toEqual([
      { user: 'bob', total: 50, rank: 1 },
      { user: 'ann', total: 30, rank: 2 },
      { user: 'cy', total: 30, rank: 2 },
    ]);
    expect(
      (await t.send('GET', '/boards/sprint/periods/1/top/4/1')).body.map((r: { user: string }) => r.user),
    ).toEqual(['cy', 'dee']);
    expect(await t.send('GET', '/boards/sprint/periods/1/users/cy?rank=dense')).toMatchObject({
      status: 200,
      body: { user: 'cy', total: 30, rank: 2 },
    });
    expect((await t.send('GET', '/boards/sprint/periods/1/around/ann?size=1')).body).toHaveLength(3);
    // The live period reads as the board itself.
    expect((await t.send('GET', '/boards/sprint/periods/2/top/10')).body).toEqual([
      { user: 'ann', total: 1, rank: 1 },
    ]);
    expect(await t.send('GET', '/boards/sprint/periods/2/users/bob')).toMatchObject(
      refused(404, ErrorCode.USER_NOT_FOUND),
    );
  });

  it('answer 404 PERIOD_NOT_FOUND past keep or unknown, 400 for a period that is not a number', async () => {
    await t.send('PUT', '/boards/sprint', { reset: { everySeconds: 10 }, keep: 1 });
    for (let i = 0; i < 3; i++) {
      await t.send('PUT', '/boards/sprint/scores', { user: 'ann', total: i });
      clock.now += 10_000;
    }
    await t.send('GET', '/boards/sprint'); // the board catches up with the clock
    expect((await t.send('GET', '/boards/sprint/periods')).body.map((p: { id: number }) => p.id)).toEqual([
      4, 3,
    ]);
    for (const url of ['/boards/sprint/periods/1/top/5', '/boards/sprint/periods/99/users/ann']) {
      expect(await t.send('GET', url)).toMatchObject(refused(404, ErrorCode.PERIOD_NOT_FOUND));
    }
    expect(await t.send('GET', '/boards/sprint/periods/0/top/5')).toMatchObject(
      refused(400, ErrorCode.HTTP_VALIDATION),
    );
    expect(await t.send('GET', '/boards/nope/periods')).toMatchObject(
      refused(404, ErrorCode.BOARD_NOT_FOUND),
    );
  });

  it('end now on POST /boards/:board/reset, once per Idempotency-Key', async () => {
    await t.send('PUT', '/boards/season', {});
    await t.send('PUT', '/boards/season/scores', { user: 'ann', total: 9 });
    const before = t.digest();
    expect(
      await t.send('POST', '/boards/season/reset', undefined, { 'idempotency-key': 'a key' }),
    ).toMatchObject(refused(400, ErrorCode.HTTP_VALIDATION));
    expect(t.digest()).toBe(before);
    const headers = { 'idempotency-key': 'end-of-season-1' };
    const first = await t.send('POST', '/boards/season/reset', undefined, headers);
    expect(first).toMatchObject({
      status: 200,
      body: { count: 0, period: { id: 2, start: iso(clock.now), end: null } },
    });
    clock.now += 1000;
    const again = await t.send('POST', '/boards/season/reset', undefined, headers);
    expect(again.body).toEqual(first.body);
    expect((await t.send('GET', '/boards/season/periods')).body).toEqual([
      { id: 2, start: iso(clock.now - 1000), end: null, count: 0 },
      { id: 1, start: expect.any(String), end: iso(clock.now - 1000), count: 1 },
    ]);
  });

  it('refuse schedules a calendar cannot keep, changing nothing', async () => {
    await t.send('GET', '/boards'); // the service is up: its default board exists
    const before = t.digest();
    for (const body of [
      { reset: { every: 'day', timezone: 'Mars/Olympus' } },
      { reset: { every: 'day', weekday: 3 } },
      { reset: { every: 'month', day: 29 } },
      { reset: { every: 'hour' } },
      { reset: { everySeconds: 0 } },
      { keep: 1001 },
      { history: 101 },
      { start: '2026-12-01T00:00:00Z', end: '2026-11-30T00:00:00Z' },
      { start: 'tomorrow' },
      { hours: { from: '09:00', to: '09:00', days: [1] } },
      { hours: { from: '9:00', to: '17:00', days: [1] } },
      { hours: { from: '09:00', to: '17:00', days: [] } },
      { hours: { from: '09:00', to: '17:00', days: [1], timezone: 'UTC+1' } },
    ]) {
      const res = await t.send('PUT', '/boards/bad', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect([ErrorCode.BOARD_INVALID_CONFIG, ErrorCode.HTTP_VALIDATION]).toContain(res.body.error.code);
    }
    expect(t.digest()).toBe(before);
  });
});

describe('open windows', () => {
  it('refuse writes before an event starts with 403, Retry-After and the opening instant; reads go on', async () => {
    const opens = clock.now + 90_500;
    const made = await t.send('PUT', '/boards/event', { start: iso(opens), end: iso(opens + 3600_000) });
    expect(made.body).toMatchObject({ start: iso(opens), open: false, nextChange: iso(opens) });
    const before = t.digest();
    const res = await t.send('PUT', '/boards/event/scores', { user: 'ann', total: 5 });
    expect(res).toMatchObject(refused(403, ErrorCode.BOARD_CLOSED));
    expect(res.headers['retry-after']).toBe('91');
    expect(t.digest()).toBe(before);
    expect(
      await t.send('POST', '/boards/event/scores', { scores: [{ user: 'ann', total: 5 }] }),
    ).toMatchObject(refused(403, ErrorCode.BOARD_CLOSED));
    expect(await t.send('GET', '/boards/event/top/10')).toMatchObject({ status: 200, body: [] });

    clock.now = opens;
    expect((await t.send('PUT', '/boards/event/scores', { user: 'ann', total: 5 })).status).toBe(200);
    clock.now = opens + 3600_000;
    const closed = await t.send('PUT', '/boards/event/scores', { user: 'ann', total: 6 });
    expect(closed).toMatchObject(refused(403, ErrorCode.BOARD_CLOSED));
    expect(closed.headers['retry-after']).toBeUndefined(); // it never opens again
    expect((await t.send('GET', '/boards/event')).body).toMatchObject({ open: false, nextChange: null });
  });

  it('take writes only in service hours, in the board’s time zone', async () => {
    // 06:00–15:00 in UTC−6 on weekdays; 2026-11-27 is a Friday, 12:00 UTC is 06:00 there.
    clock.now = Date.UTC(2026, 10, 27, 11);
    await t.send('PUT', '/boards/office', {
      hours: { from: '06:00', to: '15:00', days: [1, 2, 3, 4, 5], timezone: 'America/Chicago' },
    });
    clock.now = Date.UTC(2026, 10, 27, 11, 59, 59);
    const early = await t.send('PUT', '/boards/office/scores', { user: 1, total: 1 });
    expect(early).toMatchObject(refused(403, ErrorCode.BOARD_CLOSED));
    expect(early.headers['retry-after']).toBe('1');
    clock.now = Date.UTC(2026, 10, 27, 12);
    expect((await t.send('PUT', '/boards/office/scores', { user: 1, total: 1 })).status).toBe(200);
    clock.now = Date.UTC(2026, 10, 27, 21); // 15:00 in Chicago: closed until Monday 06:00
    const late = await t.send('PUT', '/boards/office/scores', { user: 1, total: 2 });
    expect(late.headers['retry-after']).toBe(String((Date.UTC(2026, 10, 30, 12) - clock.now) / 1000));
  });
});

describe('history', () => {
  it('keeps each player’s best results per period, answers 404 for one who never wrote, and forgets an erased player', async () => {
    await t.send('PUT', '/boards/runs', { history: 3, operator: 'best', reset: { every: 'day' } });
    const times: number[] = [];
    for (const total of [40, 70, 55, 70, 10]) {
      times.push((clock.now += 1000));
      await t.send('PUT', '/boards/runs/scores', { user: 'ann', total });
    }
    expect((await t.send('GET', '/boards/runs/users/ann/history')).body).toEqual([
      { total: 70, at: iso(times[1]!) },
      { total: 70, at: iso(times[3]!) },
      { total: 55, at: iso(times[2]!) },
    ]);
    expect(await t.send('GET', '/boards/runs/users/bob/history')).toMatchObject(
      refused(404, ErrorCode.USER_NOT_FOUND),
    );

    clock.now = Date.UTC(2026, 10, 28, 0, 0, 1); // the day ends
    await t.send('PUT', '/boards/runs/scores', { user: 'ann', total: 5 });
    expect((await t.send('GET', '/boards/runs/users/ann/history')).body).toEqual([
      { total: 5, at: iso(clock.now) },
    ]);
    expect((await t.send('GET', '/boards/runs/users/ann/history?period=1')).body).toHaveLength(3);
    expect(await t.send('GET', '/boards/runs/users/ann/history?period=7')).toMatchObject(
      refused(404, ErrorCode.PERIOD_NOT_FOUND),
    );

    expect((await t.send('DELETE', '/players/ann')).status).toBe(204);
    for (const url of ['/boards/runs/users/ann/history', '/boards/runs/users/ann/history?period=1']) {
      expect(await t.send('GET', url)).toMatchObject(refused(404, ErrorCode.USER_NOT_FOUND));
    }
  });
});
