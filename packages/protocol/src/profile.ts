/**
 * Player profiles: a display name, a country and free metadata, each optional; `null` clears a
 * field. The rules (checked the same way by the HTTP routes and, as the trust boundary, by the
 * ranking server's codec):
 * - name: Unicode NFC, trimmed, then 1–32 characters (code points), with no control (Cc), format
 *   (Cf), lone surrogate (Cs) or line/paragraph separator (Zl, Zp) characters;
 * - country: an ISO 3166-1 alpha-2 code from the real list, any case in, upper case out;
 * - metadata: a JSON object of at most 1 KiB serialised.
 */
import { canonicalCountry } from './countries.js';
import { ErrorCode } from './errors.js';

/** Longest name, in code points, after normalisation. */
export const MAX_NAME_LENGTH = 32;
/** Largest metadata object, in bytes of its JSON. */
export const MAX_METADATA_BYTES = 1024;

/** O(size). Whether metadata (a profile's or a score's) serialises to at most {@link MAX_METADATA_BYTES}. */
export function metadataFits(metadata: object): boolean {
  return Buffer.byteLength(JSON.stringify(metadata)) <= MAX_METADATA_BYTES;
}

/** Profile fields as written: absent means unchanged, null means cleared. */
export interface ProfileFields {
  name?: string | null;
  country?: string | null;
  metadata?: Record<string, unknown> | null;
}

/** Why a value was refused: a catalogue code and a message that names it. */
export interface Problem {
  code: ErrorCode;
  message: string;
}

const forbiddenInNames = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/u;

/** O(length). The normalised name, or undefined when it breaks the rules. */
export function normalizeName(raw: unknown): string | undefined {
  if (typeof raw !== 'string') return undefined;
  const name = raw.normalize('NFC').trim();
  let length = 0;
  for (const _ of name) if (++length > MAX_NAME_LENGTH) return undefined;
  if (length === 0 || forbiddenInNames.test(name)) return undefined;
  return name;
}

/**
 * O(size). Normalises the fields of a profile write in place (name NFC and trimmed, country upper
 * case); answers the first problem, prefixed with `where` (e.g. "players[3].") when given.
 */
export function checkProfileFields(fields: ProfileFields, where = ''): Problem | undefined {
  if (fields.name !== undefined && fields.name !== null) {
    const name = normalizeName(fields.name);
    if (name === undefined) {
      return {
        code: ErrorCode.PLAYER_INVALID_NAME,
        message: `${where}name must be 1–${MAX_NAME_LENGTH} characters after trimming, without control or format characters.`,
      };
    }
    fields.name = name;
  }
  if (fields.country !== undefined && fields.country !== null) {
    const country = canonicalCountry(fields.country);
    if (country === undefined) {
      return {
        code: ErrorCode.PLAYER_UNKNOWN_COUNTRY,
        message: `${where}country must be an ISO 3166-1 alpha-2 code such as "US" or "de".`,
      };
    }
    fields.country = country;
  }
  if (fields.metadata !== undefined && fields.metadata !== null) {
    const m = fields.metadata as unknown;
    if (typeof m !== 'object' || m === null || Array.isArray(m)) {
      return { code: ErrorCode.PLAYER_INVALID_METADATA, message: `${where}metadata must be a JSON object.` };
    }
    if (!metadataFits(m)) {
      return {
        code: ErrorCode.PLAYER_INVALID_METADATA,
        message: `${where}metadata must be at most ${MAX_METADATA_BYTES} bytes of JSON.`,
      };
    }
  }
  if (fields.name === undefined && fields.country === undefined && fields.metadata === undefined) {
    return {
      code: ErrorCode.HTTP_VALIDATION,
      message: `${where}a profile write needs at least one of name, country and metadata.`,
    };
  }
  return undefined;
}
