import { describe, expect, it } from 'vitest';
import { ErrorCode } from './errors.js';
import { seededRandom } from '@scoreboard/random';
import { errorReply } from './codec.js';
import {
  REPLY_FRAME_TAG,
  decodeRawReplies,
  decodeReplies,
  encodeReplies,
  okReply,
  parseResult,
  type OutgoingReply,
  type RawResult,
} from './reply-frame.js';

const texts = ['plain', 'ünïcödé', '日本語', 'emoji 🏆', 'quote " and \\ slash', ''];

describe('reply frame', () => {
  it('round-trips random batches of results (text and bytes) and errors', () => {
    const random = seededRandom(7);
    for (let round = 0; round < 200; round++) {
      const expected: unknown[] = [];
      const out: OutgoingReply[] = [];
      const count = 1 + Math.floor(random() * 8);
      for (let i = 0; i < count; i++) {
        const id = Math.floor(random() * 2 ** 40);
        const pick = random();
        if (pick < 0.15) {
          const r = errorReply(random() < 0.3 ? null : id, ErrorCode.USER_NOT_FOUND);
          out.push(r);
          expected.push(r);
          continue;
        }
        const result = Array.from({ length: Math.floor(random() * 5) }, () => ({
          user: texts[Math.floor(random() * texts.length)]!,
          total: Math.floor((random() - 0.5) * 2 ** 53),
        }));
        const reply = okReply(id, result);
        // Results given as bytes (a cached page) must travel the same as text.
        out.push(pick < 0.5 && reply.ok ? { ...reply, json: Buffer.from(reply.json) } : reply);
        expected.push({ id, ok: true, result });
      }
      const frame = encodeReplies(out);
      expect(frame[0]).toBe(REPLY_FRAME_TAG);
      expect(decodeReplies(frame)).toEqual({ replies: expected, invalid: 0 });
    }
  });

  it('hands results over as views of the frame, parsed only on demand', () => {
    const frame = encodeReplies([okReply(3, [{ user: 'ann', total: 1 }])]);
    const { replies } = decodeRawReplies(frame);
    const first = replies[0]!;
    expect(first.ok).toBe(true);
    if (!first.ok) return;
    expect(first.raw.buffer).toBe(frame.buffer);
    expect(first.raw.toString()).toBe('[{"user":"ann","total":1}]');
    expect(parseResult(first.raw as RawResult<'top'>)).toEqual([{ user: 'ann', total: 1 }]);
  });

  it('decodes every cut-short frame without throwing, keeping only whole replies', () => {
    const out: OutgoingReply[] = [
      okReply(1, { user: 'a', total: 1 }),
      errorReply(2, ErrorCode.SCORE_OUT_OF_RANGE),
      okReply(3, { user: 'b', total: 2 }),
    ];
    const frame = encodeReplies(out);
    // Where each prefix of whole replies ends: a cut there is a shorter valid frame.
    const ends = out.map((_, k) => encodeReplies(out.slice(0, k + 1)).length);
    const all = decodeReplies(frame).replies;
    for (let cut = 1; cut < frame.length; cut++) {
      const whole = ends.filter((end) => end <= cut).length;
      const decoded = decodeReplies(frame.subarray(0, cut));
      expect(decoded.replies).toEqual(all.slice(0, whole));
      expect(decoded.invalid).toBe(cut === 1 || ends.includes(cut) ? 0 : 1);
    }
  });

  it('refuses a frame without the tag, a bad id, and an error body that is not a catalogue error', () => {
    expect(decodeRawReplies(Buffer.from('[{"id":1}]'))).toEqual({ replies: [], invalid: 1 });
    expect(decodeRawReplies(Buffer.alloc(0))).toEqual({ replies: [], invalid: 1 });
    const badId = encodeReplies([okReply(1, 1)]);
    badId.writeDoubleLE(1.5, 1);
    expect(decodeRawReplies(badId)).toEqual({ replies: [], invalid: 1 });
    const badError = encodeReplies([
      { id: 4, ok: false, error: { code: 'NOPE' as ErrorCode, message: 'x' } },
    ]);
    expect(decodeRawReplies(badError)).toEqual({ replies: [], invalid: 1 });
    const notJson = encodeReplies([{ id: 5, ok: true, json: '{' }]);
    expect(decodeRawReplies(notJson).invalid).toBe(0); // bytes pass through unread…
    expect(decodeReplies(notJson)).toEqual({ replies: [], invalid: 1 }); // …and fail when parsed
  });
});
