/** Players: write a profile, write many, read one with its placements, erase one everywhere. */
import { Type } from 'typebox';
import { checkProfileFields, type Problem, type ProfileFields } from '../profile.js';
import { ProfileFieldsSchema, UserIdSchema } from '../schemas.js';
import { canonicalUserId } from '../values.js';
import { eachItem } from './checks.js';
import type { PlayerView, Profile } from './rows.js';
import { MAX_BATCH } from './scores.js';
import { defineCommand } from './spec.js';

/** A profile write: the user and at least one field. */
export const PlayerWriteSchema = Type.Object(
  { user: UserIdSchema, ...ProfileFieldsSchema },
  { additionalProperties: false },
);

/** O(size). Canonical user id, normalised fields, at least one of them. */
function checkPlayer(p: { user: string | number } & ProfileFields, where = ''): Problem | undefined {
  p.user = canonicalUserId(p.user)!;
  return checkProfileFields(p, where);
}

/** Creates (`created`) or updates a profile; answers it. */
export const playerPutCommand = defineCommand<{ created: boolean; player: Profile }>()({
  name: 'player.put',
  args: PlayerWriteSchema,
  keyed: true,
  reads: false,
  spread: 'every',
  check: (args) => checkPlayer(args),
});

/** Writes 1–1 000 profiles in order, all or none; answers how many were created and updated. */
export const playerBatchCommand = defineCommand<{ created: number; updated: number }>()({
  name: 'player.batch',
  args: Type.Object(
    { players: Type.Array(PlayerWriteSchema, { minItems: 1, maxItems: MAX_BATCH }) },
    { additionalProperties: false },
  ),
  keyed: true,
  reads: false,
  spread: 'every',
  check: (args) => eachItem(args.players, 'players', checkPlayer),
});

/** A player's profile and placement on every board it is on. */
export const playerGetCommand = defineCommand<PlayerView>()({
  name: 'player.get',
  args: Type.Object({ user: UserIdSchema }, { additionalProperties: false }),
  keyed: false,
  reads: true,
  spread: 'every',
  check: (args) => {
    args.user = canonicalUserId(args.user)!;
    return undefined;
  },
});

/** Erases a player: the profile and every entry on every board; `erased` says whether any existed. */
export const playerDeleteCommand = defineCommand<{ erased: boolean }>()({
  name: 'player.delete',
  args: Type.Object({ user: UserIdSchema }, { additionalProperties: false }),
  keyed: false,
  reads: false,
  spread: 'every',
  check: (args) => {
    args.user = canonicalUserId(args.user)!;
    return undefined;
  },
});
