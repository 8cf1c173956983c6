/** Score writes: `set` an absolute total, `add` a relative score. Both answer the new total. */
import { Type } from 'typebox';
import { TotalSchema, UserIdSchema } from '../schemas.js';
import { canonicalUserId } from '../values.js';
import type { Entry } from './rows.js';
import { defineCommand } from './spec.js';

/** O(length). Canonicalises `args.user` of a validated write in place. */
function canonicalUser(args: { user: string | number }): void {
  args.user = canonicalUserId(args.user)!;
}

/** Sets a user's absolute total; a new user is added. */
export const setCommand = defineCommand<Entry>()({
  name: 'set',
  args: Type.Object({ user: UserIdSchema, total: TotalSchema }, { additionalProperties: false }),
  write: true,
  canonicalize: canonicalUser,
});

/** Adds a relative score to a user's total (an unknown user starts at 0). */
export const addCommand = defineCommand<Entry>()({
  name: 'add',
  args: Type.Object({ user: UserIdSchema, delta: TotalSchema }, { additionalProperties: false }),
  write: true,
  canonicalize: canonicalUser,
});
