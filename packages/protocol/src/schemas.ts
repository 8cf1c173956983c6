/**
 * TypeBox schemas of the values every process shares, built from the rules in values.ts. The
 * ranking server validates command arguments with them and the HTTP routes build their bodies from
 * them, so a rule is written once and checked the same way on both sides of the hop.
 */
import { Type } from 'typebox';
import { MAX_TOTAL, USER_ID_PATTERN } from './values.js';

/** A user id: a non-negative safe integer or a 1–64 character string of [A-Za-z0-9_.:@-]. */
export const UserIdSchema = Type.Union([
  Type.Integer({ minimum: 0, maximum: MAX_TOTAL }),
  Type.String({ pattern: USER_ID_PATTERN }),
]);

/** A total: an integer within ±(2^53-1). */
export const TotalSchema = Type.Integer({ minimum: -MAX_TOTAL, maximum: MAX_TOTAL });

/** A count within [0, max]. */
export function CountSchema(max: number) {
  return Type.Integer({ minimum: 0, maximum: max });
}

/** No arguments at all. */
export const NoArgs = Type.Object({}, { additionalProperties: false });
