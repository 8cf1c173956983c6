/** Board reads: the top N, the window around a position, one user's row. */
import { Type } from 'typebox';
import { CountSchema, UserIdSchema } from '../schemas.js';
import { canonicalUserId } from '../values.js';
import type { Entry, RankedEntry } from './rows.js';
import { defineCommand } from './spec.js';

/** The largest N of `top` and the largest scope S of `around`. */
export const MAX_PAGE = 10_000;

/** The `n` best entries, best first. */
export const topCommand = defineCommand<Entry[]>()({
  name: 'top',
  args: Type.Object({ n: CountSchema(MAX_PAGE) }, { additionalProperties: false }),
  write: false,
});

/** The entries at positions max(1, position-scope) … position+scope. */
export const aroundCommand = defineCommand<Entry[]>()({
  name: 'around',
  args: Type.Object(
    {
      position: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }),
      scope: CountSchema(MAX_PAGE),
    },
    { additionalProperties: false },
  ),
  write: false,
});

/** One user's total and rank. */
export const getCommand = defineCommand<RankedEntry>()({
  name: 'get',
  args: Type.Object({ user: UserIdSchema }, { additionalProperties: false }),
  write: false,
  canonicalize: (args) => {
    args.user = canonicalUserId(args.user)!;
  },
});
