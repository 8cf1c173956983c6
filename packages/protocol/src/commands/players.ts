/** Players: write a profile, write many, read one with its placements, erase one everywhere. */
import { Type } from 'typebox';
import { checkProfileFields, type Problem, type ProfileFields } from '../profile.js';
import { ProfileFieldsSchema, UserIdSchema } from '../schemas.js';
import { canonicalUserId } from '../values.js';
import { canonicalUser, eachItem } from './checks.js';
import type { BanView, PlayerExport, PlayerView, Profile } from './rows.js';
import { MAX_BATCH } from './scores.js';
import { argsOf, defineCommand, everyKeyedWrite, everyRead, everyWrite } from './spec.js';

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

/** The players commands, by readable name. */
export const playerCommands = {
  /** Creates (`created`) or updates a profile; answers it. */
  PlayerPut: defineCommand<{ created: boolean; player: Profile }>()({
    name: 'player.put',
    args: PlayerWriteSchema,
    ...everyKeyedWrite,
    check: (args) => checkPlayer(args),
  }),
  /** Writes 1–1 000 profiles in order, all or none; answers how many were created and updated. */
  PlayerBatch: defineCommand<{ created: number; updated: number }>()({
    name: 'player.batch',
    args: argsOf({ players: Type.Array(PlayerWriteSchema, { minItems: 1, maxItems: MAX_BATCH }) }),
    ...everyKeyedWrite,
    check: (args) => eachItem(args.players, 'players', checkPlayer),
  }),
  /**
   * Everything held about a player (GDPR export): the profile, and on every board the live entry,
   * its best results, joins and attempts, and each finished period kept that holds them.
   * PLAYER_NOT_FOUND when nothing is held.
   */
  PlayerExport: defineCommand<PlayerExport>()({
    name: 'player.export',
    args: argsOf({ user: UserIdSchema }),
    ...everyRead,
    check: canonicalUser,
  }),
  /** A player's profile and placement on every board it is on. */
  PlayerGet: defineCommand<PlayerView>()({
    name: 'player.get',
    args: argsOf({ user: UserIdSchema }),
    ...everyRead,
    check: canonicalUser,
  }),
  /**
   * Bans a player (moderation): their live entries are hidden from every read and rank on every
   * board until the ban is lifted; answers the ban. Banning again replaces the reason.
   */
  PlayerBan: defineCommand<BanView>()({
    name: 'player.ban',
    args: argsOf({ user: UserIdSchema, reason: Type.String({ minLength: 1, maxLength: 500 }) }),
    ...everyWrite,
    check: canonicalUser,
  }),
  /** Lifts a ban: the entries show again with the same totals. BAN_NOT_FOUND when not banned. */
  PlayerUnban: defineCommand<{ unbanned: true }>()({
    name: 'player.unban',
    args: argsOf({ user: UserIdSchema }),
    ...everyWrite,
    check: canonicalUser,
  }),
  /** Erases a player: the profile and every entry on every board; `erased` says whether any existed. */
  PlayerDelete: defineCommand<{ erased: boolean }>()({
    name: 'player.delete',
    args: argsOf({ user: UserIdSchema }),
    ...everyWrite,
    check: canonicalUser,
  }),
};
