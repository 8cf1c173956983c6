import { Command } from '@scoreboard/protocol';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { RankingApi } from '../ranking-client.js';
import { LiveBoards, type Stream } from './live-boards.js';

/** A ranking whose top page is whatever `page` holds when the read answers, after `gate` opens. */
function slowRanking() {
  const state = { page: 'v0', gate: Promise.resolve() };
  const ranking = {
    callRaw: async (cmd: string) => {
      expect(cmd).toBe(Command.BoardTop);
      const asked = state.page; // the state as the server reads it, when the request arrives
      await state.gate;
      return Buffer.from(JSON.stringify([{ top: asked }]));
    },
  } as unknown as RankingApi;
  return { state, ranking };
}

describe('live boards', () => {
  it('sends the newest top page when the top moves again while a refresh is reading', async () => {
    const { state, ranking } = slowRanking();
    const live = new LiveBoards(ranking, [], pino({ level: 'silent' }));
    const got: string[] = [];
    const stream: Stream = { n: 3, user: undefined, write: (text) => void got.push(text), end: () => {} };
    await live.open('b', stream);
    const notice = (version: number): void =>
      (live as unknown as { notice(board: string, top: number): void }).notice('b', version);

    // Version 1: its read is held back; meanwhile the board moves again (version 2).
    let release!: () => void;
    state.gate = new Promise((r) => (release = r));
    state.page = 'v1';
    notice(1);
    state.page = 'v2';
    notice(2);
    state.gate = Promise.resolve();
    release();
    await expect.poll(() => got.at(-1)).toContain('"top":"v2"');
    expect(got.map((m) => /"top":"(v\d)"/.exec(m)?.[1])).toEqual(['v0', 'v1', 'v2']);
  });

  it('tries a failed refresh again, so a stream is not left behind until the next change', async () => {
    const { state, ranking } = slowRanking();
    let fail = false;
    const flaky = {
      callRaw: async (cmd: string, body: unknown) => {
        if (fail) throw new Error('did not answer in time');
        return (ranking as unknown as { callRaw(c: string, b: unknown): Promise<Buffer> }).callRaw(cmd, body);
      },
    } as unknown as RankingApi;
    const live = new LiveBoards(flaky, [], pino({ level: 'silent' }));
    const got: string[] = [];
    await live.open('b', { n: 3, user: undefined, write: (text) => void got.push(text), end: () => {} });
    fail = true;
    state.page = 'v1';
    (live as unknown as { notice(board: string, top: number): void }).notice('b', 1);
    await new Promise((r) => setTimeout(r, 50));
    fail = false; // the server answers again; no further notice comes
    await expect.poll(() => got.at(-1), { timeout: 2000 }).toContain('"top":"v1"');
    await live.stop();
  });

  it('brings a stream opened during a refresh up to the page the others were sent', async () => {
    const { state, ranking } = slowRanking();
    const live = new LiveBoards(ranking, [], pino({ level: 'silent' }));
    const first: string[] = [];
    await live.open('b', { n: 3, user: undefined, write: (text) => void first.push(text), end: () => {} });
    // The second stream's first read is held back with the old page; a notice refreshes the first.
    let release!: () => void;
    state.gate = new Promise((r) => (release = r));
    const second: string[] = [];
    const opened = live.open('b', {
      n: 3,
      user: undefined,
      write: (text) => void second.push(text),
      end: () => {},
    });
    state.page = 'v1';
    state.gate = Promise.resolve();
    (live as unknown as { notice(board: string, top: number): void }).notice('b', 1);
    await expect.poll(() => first.at(-1)).toContain('"top":"v1"');
    release();
    await opened;
    await expect.poll(() => second.at(-1)).toContain('"top":"v1"');
  });
});
