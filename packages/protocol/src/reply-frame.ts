/**
 * The reply frame: how a batch of replies crosses the hop back to a client.
 *
 * Requests are small JSON envelopes, but results can be long (a top-10 000 page is ~300 KB), and
 * each one is exactly the HTTP body the client will answer. So a reply frame carries every result
 * as its JSON text behind a small binary header, and a client hands those bytes to its HTTP
 * response without parsing or serialising them again. The server can reuse the same bytes for
 * every reader of an unchanged top page.
 *
 * Layout (little-endian): the tag byte 0x52 ('R'), then per reply
 *   f64 id (NaN when the request could not be read) · u8 kind (1 ok, 0 error) · u32 length · bytes
 * where the bytes are UTF-8 JSON: the result when ok, `{code, message}` when an error.
 */
import type { CommandName, ResultOf } from './commands/index.js';
import type { ErrorReply, Reply } from './envelopes.js';
import { isErrorCode } from './errors.js';

/** The first byte of every reply frame. */
export const REPLY_FRAME_TAG = 0x52;
const HEADER = 13; // f64 id + u8 kind + u32 length

/**
 * The JSON text of command `C`'s result, as bytes. The phantom type keeps the command's result
 * type attached, so {@link parseResult} gives it back typed.
 */
export type RawResult<C extends CommandName = CommandName> = Buffer & { readonly __result?: ResultOf<C> };

/** A reply about to be encoded: a result as JSON text (string or bytes), or an error. */
export type OutgoingReply = { id: number; ok: true; json: string | Uint8Array } | ErrorReply;

/** A decoded reply whose result is still JSON bytes. */
export type RawReply = { id: number; ok: true; raw: RawResult } | ErrorReply;

/** O(size of result). A successful reply carrying `result` serialised once, here. */
export function okReply(id: number, result: unknown): OutgoingReply {
  return { id, ok: true, json: JSON.stringify(result) };
}

/** O(size). Encodes replies into one frame; bytes given as results are copied, not re-encoded. */
export function encodeReplies(replies: readonly OutgoingReply[]): Buffer {
  const bodies: Array<string | Uint8Array> = [];
  let size = 1;
  for (const r of replies) {
    const body = r.ok ? r.json : JSON.stringify(r.error);
    bodies.push(body);
    size += HEADER + (typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength);
  }
  const out = Buffer.allocUnsafe(size);
  out[0] = REPLY_FRAME_TAG;
  let at = 1;
  for (let i = 0; i < replies.length; i++) {
    const r = replies[i]!;
    const body = bodies[i]!;
    out.writeDoubleLE(r.id ?? NaN, at);
    out[at + 8] = r.ok ? 1 : 0;
    const len =
      typeof body === 'string' ? out.write(body, at + HEADER) : (out.set(body, at + HEADER), body.byteLength);
    out.writeUInt32LE(len, at + 9);
    at += HEADER + len;
  }
  return out;
}

/**
 * O(replies), not O(bytes): results are views into `frame`, not copies. Never throws; a reply
 * that is cut short or not well formed ends the decoding and is counted in `invalid` (the
 * requests it would have answered then time out).
 */
export function decodeRawReplies(frame: Uint8Array): { replies: RawReply[]; invalid: number } {
  const buf = Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength);
  if (buf.length === 0 || buf[0] !== REPLY_FRAME_TAG) return { replies: [], invalid: 1 };
  const replies: RawReply[] = [];
  let at = 1;
  while (at < buf.length) {
    if (at + HEADER > buf.length) return { replies, invalid: 1 };
    const rawId = buf.readDoubleLE(at);
    const kind = buf[at + 8];
    const len = buf.readUInt32LE(at + 9);
    const end = at + HEADER + len;
    const id = Number.isNaN(rawId) ? null : rawId;
    if (end > buf.length || (id !== null && !(Number.isSafeInteger(id) && id >= 0))) {
      return { replies, invalid: 1 };
    }
    const body = buf.subarray(at + HEADER, end);
    at = end;
    if (kind === 1 && id !== null) {
      replies.push({ id, ok: true, raw: body });
      continue;
    }
    const error = kind === 0 ? parseError(body) : undefined;
    if (!error) return { replies, invalid: 1 };
    replies.push({ id, ok: false, error });
  }
  return { replies, invalid: 0 };
}

function parseError(body: Buffer): ErrorReply['error'] | undefined {
  try {
    const e: unknown = JSON.parse(body.toString());
    if (typeof e !== 'object' || e === null) return undefined;
    const { code, message, retryAfter } = e as Record<string, unknown>;
    if (!isErrorCode(code) || typeof message !== 'string') return undefined;
    if (typeof retryAfter === 'number' && Number.isSafeInteger(retryAfter) && retryAfter >= 0) {
      return { code, message, retryAfter };
    }
    return { code, message };
  } catch {
    return undefined;
  }
}

/** O(size). The result a {@link RawResult} holds; throws SyntaxError on bytes that are not JSON. */
export function parseResult<C extends CommandName>(raw: RawResult<C>): ResultOf<C> {
  return JSON.parse(raw.toString()) as ResultOf<C>;
}

/** O(size). Decodes a reply frame with every result parsed (tools and tests; clients pass bytes on). */
export function decodeReplies(frame: Uint8Array): { replies: Reply[]; invalid: number } {
  const { replies, invalid } = decodeRawReplies(frame);
  const out: Reply[] = [];
  let bad = invalid;
  for (const r of replies) {
    if (!r.ok) {
      out.push(r);
      continue;
    }
    try {
      out.push({ id: r.id, ok: true, result: parseResult(r.raw) });
    } catch {
      bad++;
    }
  }
  return { replies: out, invalid: bad };
}
