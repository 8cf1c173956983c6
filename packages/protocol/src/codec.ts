/**
 * Encoding and validating request envelopes. A request message is one UTF-8 JSON frame holding an
 * array of envelopes (replies travel in the binary frame of reply-frame.ts). Decoding never
 * throws: whatever arrives is either a valid envelope or becomes an error reply with a catalogue
 * code, so a malformed message can never crash a process.
 */
import { Command, MAX_PAGE, type CommandName } from './commands.js';
import type { AnyRequest, ErrorReply } from './envelopes.js';
import { ErrorCode, errorCatalogue } from './errors.js';
import { canonicalUserId, isValidTotal } from './user-id.js';

/** A decoded request, or the error reply that answers it. */
export type DecodedRequest = { ok: true; request: AnyRequest } | { ok: false; reply: ErrorReply };

const commandNames = new Set<string>(Object.values(Command));

/** O(size). One frame holding a batch of request envelopes. */
export function encodeRequests(envelopes: readonly unknown[]): Buffer {
  return Buffer.from(JSON.stringify(envelopes));
}

/** O(1). An error reply with the catalogue's message unless one is given. */
export function errorReply(id: number | null, code: ErrorCode, message?: string): ErrorReply {
  return { id, ok: false, error: { code, message: message ?? errorCatalogue[code].message } };
}

const idempotencyKeyRe = /^[\x21-\x7e]{1,128}$/;

/** O(length). An idempotency key: 1–128 visible ASCII characters. */
export function isIdempotencyKey(v: unknown): v is string {
  return typeof v === 'string' && idempotencyKeyRe.test(v);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isCount(v: unknown, max: number): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 && v <= max;
}

function isId(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

function hasOnlyKeys(obj: Record<string, unknown>, keys: readonly string[]): boolean {
  for (const k in obj) if (!keys.includes(k)) return false;
  return true;
}

/** O(1). The canonical args of `cmd`, or a reason they are not valid. */
function validateArgs(cmd: CommandName, args: Record<string, unknown>): string | undefined {
  switch (cmd) {
    case Command.SetTotal: {
      const user = canonicalUserId(args['user']);
      if (user === undefined || !isValidTotal(args['total'])) return 'set needs {user, total}';
      args['user'] = user;
      return hasOnlyKeys(args, ['user', 'total']) ? undefined : 'set takes {user, total}';
    }
    case Command.AddScore: {
      const user = canonicalUserId(args['user']);
      if (user === undefined || !isValidTotal(args['delta'])) return 'add needs {user, delta}';
      args['user'] = user;
      return hasOnlyKeys(args, ['user', 'delta']) ? undefined : 'add takes {user, delta}';
    }
    case Command.GetUser: {
      const user = canonicalUserId(args['user']);
      if (user === undefined) return 'get needs {user}';
      args['user'] = user;
      return hasOnlyKeys(args, ['user']) ? undefined : 'get takes {user}';
    }
    case Command.Top:
      return isCount(args['n'], MAX_PAGE) && hasOnlyKeys(args, ['n'])
        ? undefined
        : `top needs {n} with 0 ≤ n ≤ ${MAX_PAGE}`;
    case Command.Around:
      return isId(args['position']) &&
        args['position'] >= 1 &&
        isCount(args['scope'], MAX_PAGE) &&
        hasOnlyKeys(args, ['position', 'scope'])
        ? undefined
        : `around needs {position ≥ 1, scope ≤ ${MAX_PAGE}}`;
    case Command.Reset:
    case Command.Ping:
      return hasOnlyKeys(args, []) ? undefined : `${cmd} takes no arguments`;
  }
}

/** O(1) per field. Validates one decoded request envelope and canonicalises its user id. */
export function validateRequest(raw: unknown): DecodedRequest {
  if (!isRecord(raw)) return { ok: false, reply: malformed(null, 'a request must be an object') };
  const id = isId(raw['id']) ? raw['id'] : null;
  if (id === null) return { ok: false, reply: malformed(null, 'a request needs a numeric id') };
  const { cmd, args, rid, deadline, key } = raw;
  if (typeof cmd !== 'string' || !commandNames.has(cmd)) {
    return { ok: false, reply: malformed(id, 'unknown command') };
  }
  if (!isRecord(args)) return { ok: false, reply: malformed(id, 'args must be an object') };
  if (rid !== undefined && (typeof rid !== 'string' || rid.length > 128)) {
    return { ok: false, reply: malformed(id, 'rid must be a short string') };
  }
  if (deadline !== undefined && !isId(deadline)) {
    return { ok: false, reply: malformed(id, 'deadline must be epoch milliseconds') };
  }
  if (
    key !== undefined &&
    (!isIdempotencyKey(key) || (cmd !== Command.SetTotal && cmd !== Command.AddScore))
  ) {
    return { ok: false, reply: malformed(id, 'key must be a valid idempotency key on set or add') };
  }
  if (!hasOnlyKeys(raw, ['id', 'cmd', 'args', 'rid', 'deadline', 'key'])) {
    return { ok: false, reply: malformed(id, 'unknown envelope field') };
  }
  const problem = validateArgs(cmd as CommandName, args);
  if (problem !== undefined) return { ok: false, reply: malformed(id, problem) };
  return { ok: true, request: raw as unknown as AnyRequest };
}

function malformed(id: number | null, why: string): ErrorReply {
  return errorReply(id, ErrorCode.PROTOCOL_MALFORMED, `Malformed request: ${why}.`);
}

/**
 * O(size). Decodes a request frame into one entry per envelope. A frame that is not a JSON array
 * decodes to a single error reply with a null id.
 */
export function decodeRequests(frame: Uint8Array): DecodedRequest[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength).toString());
  } catch {
    return [{ ok: false, reply: malformed(null, 'not JSON') }];
  }
  if (!Array.isArray(parsed) || parsed.length === 0) {
    return [{ ok: false, reply: malformed(null, 'a message must be a non-empty array') }];
  }
  return parsed.map(validateRequest);
}
