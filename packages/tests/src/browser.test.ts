/**
 * The pages in a real browser: Debian's chromium driven by playwright-core (never a downloaded
 * browser), through nginx. The leaderboard shows a board, follows writes without a reload, finds
 * a player, and fits a phone's width; UPDATE_SCREENSHOTS=1 remakes the README's screenshots.
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http, startCluster, type Cluster } from './harness.js';

// The README's screenshots are remade with UPDATE_SCREENSHOTS=1; otherwise they go to a temp folder.
const SHOTS =
  process.env['UPDATE_SCREENSHOTS'] === '1'
    ? resolve(import.meta.dirname, '../../../docs/screenshots')
    : mkdtempSync(join(tmpdir(), 'scoreboard-shots-'));
let cluster: Cluster;
let url: string;
let browser: Browser;

const write = (user: string, total: number) =>
  http(`${url}/boards/golf/scores`, { method: 'PUT', body: { user, total } });

beforeAll(async () => {
  cluster = await startCluster({ clients: 2, nginx: true });
  url = cluster.endpoints.url;
  await http(`${url}/boards/golf`, { method: 'PUT', body: { order: 'asc', operator: 'best' } });
  const players = [
    ['ann', 'Ann', 'IE', 68],
    ['bob', 'Bob', 'US', 70],
    ['cy', 'Cyrielle', 'FR', 71],
    ['dee', 'Dee', 'IE', 73],
    ['eli', 'Eli', 'US', 75],
  ] as const;
  for (const [user, name, country, total] of players) {
    await http(`${url}/players/${user}`, { method: 'PUT', body: { name, country } });
    await write(user, total);
  }
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  mkdirSync(SHOTS, { recursive: true });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await cluster?.stop();
});

describe('the leaderboard page', () => {
  it('shows the board and follows new scores live, without a reload', async () => {
    const page = await browser.newPage({ viewport: { width: 1000, height: 700 } });
    await page.goto(`${url}/leaderboard?board=golf`);
    await page.locator('#live:not([hidden])').waitFor({ timeout: 10_000 });
    const rows = page.locator('#rows tbody tr');
    await expect.poll(() => rows.count()).toBe(5);
    expect(await rows.first().getAttribute('data-user')).toBe('ann');
    expect(await rows.first().getAttribute('data-rank')).toBe('1');
    await page.evaluate('window.marker = 42');
    expect((await write('fay', 66)).status).toBe(200); // a new leader (lower is better)
    await page.locator('#rows tbody tr[data-user="fay"][data-rank="1"]').waitFor({ timeout: 5000 });
    expect((await write('bob', 65)).status).toBe(200); // bob's best improves and overtakes
    await page.locator('#rows tbody tr[data-user="bob"][data-rank="1"]').waitFor({ timeout: 5000 });
    // The same page: no reload happened.
    expect(await page.evaluate('window.marker')).toBe(42);
    await page.screenshot({ path: join(SHOTS, 'leaderboard.png') });
    // Country tabs come from the board's countries.
    await page.getByRole('button', { name: /^IE/ }).click();
    await expect.poll(() => rows.count()).toBe(2);
    await page.close();
  });

  it('shows each subscore beside its total, and follows a subscore that breaks a tie live', async () => {
    await http(`${url}/boards/speed`, { method: 'PUT', body: { subscore: { order: 'asc' } } });
    const put = (user: string, subscore: number) =>
      http(`${url}/boards/speed/scores`, { method: 'PUT', body: { user, total: 12, subscore } });
    expect((await put('ann', 9140)).status).toBe(200);
    expect((await put('bob', 9300)).status).toBe(200);
    const page = await browser.newPage({ viewport: { width: 1000, height: 700 } });
    await page.goto(`${url}/leaderboard?board=speed`);
    await page.locator('#live:not([hidden])').waitFor({ timeout: 10_000 });
    const first = page.locator('#rows tbody tr').first();
    await expect.poll(() => first.getAttribute('data-user')).toBe('ann');
    expect(await first.locator('td.num').last().textContent()).toBe('12 · 9140');
    expect((await put('bob', 8722)).status).toBe(200); // the same total, a better (lower) subscore
    await page.locator('#rows tbody tr[data-user="bob"][data-rank="1"]').waitFor({ timeout: 5000 });
    expect(await first.locator('td.num').last().textContent()).toBe('12 · 8722');
    await page.close();
  });

  it('finds a player and shows the window around them and their standing', async () => {
    const page = await browser.newPage();
    await page.goto(`${url}/leaderboard?board=golf`);
    await page.locator('#live:not([hidden])').waitFor({ timeout: 10_000 });
    await page.getByLabel('Find a player').fill('dee');
    await page.getByRole('button', { name: 'Show around them' }).click();
    await page.locator('#me:not([hidden])').waitFor();
    await expect.poll(() => page.locator('#me').textContent()).toMatch(/Dee: rank \d+ of \d+ with 73/);
    await page.locator('tr.me-row[data-user="dee"]').waitFor();
    await page.close();
  });

  it('drops a banned player from the live page at once, and shows them again when the ban is lifted', async () => {
    await http(`${url}/boards/mod`, { method: 'PUT', body: {} });
    for (const [user, total] of [
      ['cheat', 900],
      ['ann', 50],
      ['bob', 40],
    ] as const)
      expect((await http(`${url}/boards/mod/scores`, { method: 'PUT', body: { user, total } })).status).toBe(
        200,
      );
    const page = await browser.newPage({ viewport: { width: 1000, height: 700 } });
    await page.goto(`${url}/leaderboard?board=mod`);
    await page.locator('#live:not([hidden])').waitFor({ timeout: 10_000 });
    await page.locator('#rows tbody tr[data-user="cheat"][data-rank="1"]').waitFor({ timeout: 5000 });
    const ban = await http(`${url}/players/cheat/ban`, { method: 'PUT', body: { reason: 'aimbot' } });
    expect(ban.status).toBe(200);
    // Without a reload: cheat's row goes, ann moves up to 1.
    await page.locator('#rows tbody tr[data-user="ann"][data-rank="1"]').waitFor({ timeout: 5000 });
    expect(await page.locator('#rows tbody tr[data-user="cheat"]').count()).toBe(0);
    expect((await http(`${url}/players/cheat/ban`, { method: 'DELETE' })).status).toBe(204);
    await page.locator('#rows tbody tr[data-user="cheat"][data-rank="1"]').waitFor({ timeout: 5000 });
    expect(await page.locator('#rows tbody tr[data-user="ann"]').getAttribute('data-rank')).toBe('2');
    await page.close();
  });

  it('fits a phone’s width, keyboard first', async () => {
    const page = await browser.newPage({ viewport: { width: 375, height: 740 } });
    await page.goto(`${url}/leaderboard?board=golf`);
    await page.locator('#rows tbody tr').first().waitFor();
    const overflow = await page.evaluate('document.documentElement.scrollWidth - window.innerWidth');
    expect(overflow as number).toBeLessThanOrEqual(0);
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement.id')).toBe('player');
    await page.screenshot({ path: join(SHOTS, 'leaderboard-375.png'), fullPage: true });
    await page.close();
  });
});

describe('a league on the pages', () => {
  it('shows a player their bucket, tier and zones, and the player page their tier history', async () => {
    const put = (path: string, body: unknown) => http(`${url}${path}`, { method: 'PUT', body });
    expect(
      (
        await put('/boards/lg', {
          bucket: { size: 4 },
          tiers: [{ name: 'bronze' }, { name: 'silver' }, { name: 'gold' }],
          promote: 1,
          relegate: 1,
        })
      ).status,
    ).toBe(201);
    // Week 1: two bronze buckets of 4; the best of each (p3, p7) goes up to silver.
    for (let i = 0; i < 8; i++)
      expect((await put('/boards/lg/scores', { user: `p${i}`, total: (i % 4) * 10 })).status).toBe(200);
    expect((await http(`${url}/boards/lg/reset`, { method: 'POST' })).status).toBe(200);
    // Week 2: p3 and p7 share a silver bucket: one is in the promotion zone, one in relegation's.
    for (let i = 0; i < 8; i++)
      expect((await put('/boards/lg/scores', { user: `p${i}`, total: i })).status).toBe(200);
    const page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
    await page.goto(`${url}/leaderboard?board=lg&player=p3`);
    await page.locator('#bucket:not([hidden])').waitFor({ timeout: 10_000 });
    expect(await page.locator('#bucket-caption').textContent()).toMatch(/silver · rank 2 of 2/);
    expect(await page.locator('#me').textContent()).toMatch(/silver/);
    const zone = (user: string) =>
      page.locator(`#bucket-rows tbody tr[data-user="${user}"]`).getAttribute('data-zone');
    expect(await zone('p7')).toBe('promote');
    expect(await zone('p3')).toBe('relegate');
    await page.screenshot({ path: join(SHOTS, 'league.png') });
    await page.goto(`${url}/players/p3/page`);
    const history = page.locator('section[data-board="lg"] table.tiers tbody tr');
    await history.first().waitFor({ timeout: 10_000 });
    expect(await history.first().getAttribute('data-tier')).toBe('bronze');
    expect(await history.first().getAttribute('data-next')).toBe('silver');
    await page.close();
  }, 60_000);
});

describe('the game and the player page', () => {
  it('asks a name once, submits a scripted run to the runner board, then shows rank and neighbours', async () => {
    const page = await browser.newPage({ viewport: { width: 900, height: 700 } });
    await page.goto(`${url}/`);
    await page.getByLabel('Your name').fill('Tester');
    await page.getByRole('button', { name: 'Play' }).click();
    await expect.poll(() => page.locator('#hud').textContent()).toContain('Hello Tester');
    await page.keyboard.press('Space'); // starts the run; nobody jumps, so the first rock ends it
    await page.locator('#result[data-rank]').waitFor({ timeout: 30_000 });
    const id = await page.evaluate<string>("JSON.parse(localStorage.getItem('scoreboard.runner')).id");
    const standing = await http(`${url}/boards/runner/users/${id}`);
    expect(standing).toMatchObject({ status: 200, body: { user: id, name: 'Tester', rank: 1 } });
    expect(await page.locator('#result').textContent()).toContain(`rank ${standing.body.rank}`);
    await page.locator(`#around tr.me-row[data-user="${id}"]`).waitFor();
    await page.screenshot({ path: join(SHOTS, 'game.png') });
    // The name is kept: a reload does not ask again.
    await page.reload();
    await expect.poll(() => page.locator('#hud').textContent()).toContain('Hello Tester');
    expect(await page.locator('#who').isHidden()).toBe(true);

    await page.goto(`${url}/players/${id}/page`);
    await page.locator('section[data-board="runner"] table.runs tbody tr').first().waitFor();
    expect(await page.locator('h1').textContent()).toBe('Tester');
    expect(
      await page.locator('section[data-board="runner"] tbody tr').first().getAttribute('data-total'),
    ).toBe(String(standing.body.total));
    await page.screenshot({ path: join(SHOTS, 'player.png') });
    await page.close();
  }, 60_000);

  it('fits a phone’s width', async () => {
    const page = await browser.newPage({ viewport: { width: 375, height: 740 } });
    for (const path of ['/', '/players/ann/page']) {
      await page.goto(`${url}${path}`);
      await page.locator('h1').waitFor();
      expect(
        await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth'),
      ).toBeLessThanOrEqual(0);
    }
    await page.close();
  });
});
