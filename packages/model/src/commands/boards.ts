/** Boards in the model: create or change, read, list, end a period by hand, delete. */
import { periodAt } from '@scoreboard/calendar';
import { DEFAULT_BOARD, ErrorCode } from '@scoreboard/protocol';
import { Refusal } from '../state.js';
import type { ModelTable } from './handler.js';

/** The model's board commands. */
export const boardHandlers = {
  'board.put': (a, m) => m.putBoard(a),
  'board.get': (a, m) => m.boardView(m.board(a.board)),
  'board.list': (_a, m) => m.boardIds().map((id) => m.boardView(m.board(id))),
  'board.reset': (a, m) => {
    const b = m.board(a.board);
    const end = b.reset ? periodAt(b.reset, b.created, m.now, m.now).end : null;
    m.close(b, m.now, { id: b.period.id + 1, start: m.now, end });
    return m.boardView(b);
  },
  'board.join': (a, m) => {
    const b = m.board(a.board);
    if (!b.join) throw new Refusal(ErrorCode.BOARD_CONFLICT);
    const created = !b.joined.includes(a.user);
    if (created) {
      if (b.maxPlayers !== null && b.joined.length >= b.maxPlayers) throw new Refusal(ErrorCode.BOARD_FULL);
      b.joined.push(a.user);
    }
    return { board: b.id, user: a.user, period: b.period.id, created, players: b.joined.length };
  },
  'bucket.user': (a, m) => {
    const b = m.board(a.board);
    if (b.bucket === null && b.lastBucket === 0) throw new Refusal(ErrorCode.BUCKET_NOT_FOUND);
    const bucket = b.placed.get(a.user);
    const entries = bucket === undefined ? [] : m.bucketRows(b, bucket);
    const mine = entries.find((r) => r.user === a.user);
    if (bucket === undefined || !mine) throw new Refusal(ErrorCode.USER_NOT_FOUND);
    return { bucket, tier: m.tierName(b, bucket) ?? null, entries, rank: mine.rank };
  },
  'bucket.top': (a, m) => {
    const b = m.board(a.board);
    if (b.bucket === null && b.lastBucket === 0) throw new Refusal(ErrorCode.BUCKET_NOT_FOUND);
    if (a.bucket > b.lastBucket) throw new Refusal(ErrorCode.BUCKET_NOT_FOUND);
    return m.bucketRows(b, a.bucket).slice(0, a.n);
  },
  'board.attempts': (a, m) => {
    const b = m.board(a.board);
    const attempts = b.attempts.get(a.user) ?? 0;
    return {
      board: b.id,
      user: a.user,
      period: b.period.id,
      joined: b.joined.includes(a.user),
      attempts,
      maxAttempts: b.maxAttempts,
      remaining: b.maxAttempts === null ? null : Math.max(0, b.maxAttempts - attempts),
    };
  },
  'board.delete': (a, m) => {
    if (a.board === DEFAULT_BOARD) throw new Refusal(ErrorCode.BOARD_PROTECTED);
    m.board(a.board);
    m.boards.delete(a.board);
    return { deleted: true };
  },
} satisfies Partial<ModelTable>;
