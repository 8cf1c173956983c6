/**
 * Encoding and validating request envelopes. A request message is one UTF-8 JSON frame holding an
 * array of envelopes (replies travel in the binary frame of reply-frame.ts). Each envelope's
 * arguments are checked against its command's schema from the command table (compiled once, at
 * load) — a mismatch is PROTOCOL_MALFORMED, a bug on the sending side — then by the command's own
 * check, which canonicalises them and answers the catalogue code of a rule they break. Decoding never throws: whatever arrives is either a valid
 * envelope or becomes an error reply with a catalogue code, so a malformed message can never crash
 * a process.
 */
import { Compile } from 'typebox/compile';
import { commandTable, isCommandName, type CommandName } from './commands/index.js';
import type { CommandSpec } from './commands/spec.js';
import type { AnyRequest, ErrorReply } from './envelopes.js';
import { ErrorCode, errorCatalogue } from './errors.js';
import { isIdempotencyKey } from './values.js';

/** A decoded request, or the error reply that answers it. */
export type DecodedRequest = { ok: true; request: AnyRequest } | { ok: false; reply: ErrorReply };

/** Each command's compiled argument check, built once from the table. */
const checks = Object.fromEntries(
  Object.entries(commandTable).map(([name, spec]) => [name, Compile(spec.args)]),
) as Record<CommandName, ReturnType<typeof Compile>>;

const ENVELOPE_FIELDS = new Set(['id', 'cmd', 'args', 'rid', 'deadline', 'key']);

/** O(size). One frame holding a batch of request envelopes. */
export function encodeRequests(envelopes: readonly unknown[]): Buffer {
  return Buffer.from(JSON.stringify(envelopes));
}

/** O(1). An error reply with the catalogue's message unless one is given. */
export function errorReply(
  id: number | null,
  code: ErrorCode,
  message?: string,
  retryAfter?: number,
): ErrorReply {
  const error: ErrorReply['error'] = { code, message: message ?? errorCatalogue[code].message };
  if (retryAfter !== undefined) error.retryAfter = retryAfter;
  return { id, ok: false, error };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isId(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

/** O(size of args). Why the arguments do not fit the command's schema, or undefined if they do. */
function argsProblem(cmd: CommandName, args: unknown): string | undefined {
  const check = checks[cmd];
  if (check.Check(args)) return undefined;
  const first = check.Errors(args)[0];
  const where = first?.instancePath ? `args${first.instancePath.replace(/\//g, '.')}` : 'args';
  return `${where} of "${cmd}" ${first?.message ?? 'are not valid'}`;
}

/** O(size of args). Validates one decoded request envelope and canonicalises its arguments. */
export function validateRequest(raw: unknown): DecodedRequest {
  if (!isRecord(raw)) return { ok: false, reply: malformed(null, 'a request must be an object') };
  const id = isId(raw['id']) ? raw['id'] : null;
  if (id === null) return { ok: false, reply: malformed(null, 'a request needs a numeric id') };
  const { cmd, args, rid, deadline, key } = raw;
  if (!isCommandName(cmd)) return { ok: false, reply: malformed(id, 'unknown command') };
  if (!isRecord(args)) return { ok: false, reply: malformed(id, 'args must be an object') };
  if (rid !== undefined && (typeof rid !== 'string' || rid.length > 128)) {
    return { ok: false, reply: malformed(id, 'rid must be a short string') };
  }
  if (deadline !== undefined && !isId(deadline)) {
    return { ok: false, reply: malformed(id, 'deadline must be epoch milliseconds') };
  }
  const spec: CommandSpec = commandTable[cmd];
  if (key !== undefined && (!isIdempotencyKey(key) || !spec.keyed)) {
    return { ok: false, reply: malformed(id, 'key must be a valid idempotency key on a keyed write') };
  }
  for (const field in raw) {
    if (!ENVELOPE_FIELDS.has(field)) return { ok: false, reply: malformed(id, 'unknown envelope field') };
  }
  const problem = argsProblem(cmd, args);
  if (problem !== undefined) return { ok: false, reply: malformed(id, problem) };
  // Rules a schema cannot state (a known country, a name after trimming) answer their own codes.
  const refused = spec.check?.(args);
  if (refused) return { ok: false, reply: errorReply(id, refused.code, refused.message) };
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
