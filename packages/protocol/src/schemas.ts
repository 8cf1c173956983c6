/**
 * TypeBox schemas of the values every process shares, built from the rules in values.ts and
 * profile.ts. The ranking server validates command arguments with them and the HTTP routes build
 * their bodies from them, so a rule is written once and checked the same way on both sides of the
 * hop.
 */
import { Type } from 'typebox';
import { MAX_METADATA_BYTES } from './profile.js';
import { BOARD_ID_PATTERN, MAX_TOTAL, RANK_STYLES, USER_ID_PATTERN } from './values.js';

/** A user id: a non-negative safe integer or a 1–64 character string of [A-Za-z0-9_.:@-]. */
export const UserIdSchema = Type.Union([
  Type.Integer({ minimum: 0, maximum: MAX_TOTAL }),
  Type.String({ pattern: USER_ID_PATTERN }),
]);

/** A board id: 1–64 characters of [A-Za-z0-9_.-]. */
export const BoardIdSchema = Type.String({ pattern: BOARD_ID_PATTERN });

/** A total: an integer within ±(2^53-1). */
export const TotalSchema = Type.Integer({ minimum: -MAX_TOTAL, maximum: MAX_TOTAL });

/** A count within [0, max]. */
export function CountSchema(max: number) {
  return Type.Integer({ minimum: 0, maximum: max });
}

/** No arguments at all. */
export const NoArgs = Type.Object({}, { additionalProperties: false });

/** How ranks are numbered: `ordinal` (default), `standard` or `dense` (the names of RANK_STYLES). */
export const RankStyleSchema = Type.Union([
  Type.Literal(RANK_STYLES[0]),
  Type.Literal(RANK_STYLES[1]),
  Type.Literal(RANK_STYLES[2]),
]);

/** A country as written: two letters, any case (the list itself is checked in profile.ts). */
export const CountrySchema = Type.String({ pattern: '^[A-Za-z]{2}$' });

/** A name as written (the rules apply after normalisation, in profile.ts). */
export const NameSchema = Type.String({ minLength: 1, maxLength: 256 });

/** Free metadata: a JSON object (size checked in profile.ts). */
export const MetadataSchema = Type.Record(Type.String(), Type.Unknown(), {
  description: `a JSON object of at most ${MAX_METADATA_BYTES} bytes serialised`,
});

/** Profile fields of a write: each optional, `null` clears it. */
export const ProfileFieldsSchema = {
  name: Type.Optional(Type.Union([NameSchema, Type.Null()])),
  country: Type.Optional(Type.Union([CountrySchema, Type.Null()])),
  metadata: Type.Optional(Type.Union([MetadataSchema, Type.Null()])),
};
