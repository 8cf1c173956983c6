/**
 * Players: profile writes (one, or a batch checked whole before any applies), a player with every
 * placement, and erasure — the profile, every entry, every remembered answer that shows the player,
 * and, by asking for a snapshot, every log file that held them.
 */
import {
  ErrorCode,
  ScoreboardError,
  type PlayerView,
  type Placement,
  type UserId,
} from '@scoreboard/protocol';
import type { CommandContext, HandlerTable } from '../engine/handler.js';
import { RecordType, type StoredProfile } from '../records/index.js';

/** O(boards of the player · log n). Writes a profile and logs the whole profile as it now is. */
function writeProfile(
  ctx: CommandContext,
  user: UserId,
  fields: Parameters<CommandContext['data']['writeProfile']>[1],
) {
  const change = ctx.data.writeProfile(user, fields);
  const players = ctx.data.players;
  const profile = players.profileOf(players.slotOf(user)!);
  const stored: StoredProfile = { name: profile.name, country: profile.country, metadata: profile.metadata };
  ctx.log({ type: RecordType.Profile, at: ctx.now, user, profile: stored });
  return { change, profile };
}

/** O(1). A new player past the cap is refused before anything changes. */
function ensureRoom(ctx: CommandContext, users: Iterable<UserId>): void {
  const players = ctx.data.players;
  const fresh = new Set<UserId>();
  for (const user of users) if (players.slotOf(user) === undefined) fresh.add(user);
  if (players.count + fresh.size > players.maxPlayers)
    throw new ScoreboardError(ErrorCode.PLAYER_LIMIT_REACHED);
}

/** Handlers of the player commands. */
export const playerHandlers = {
  'player.put': (args, ctx) => {
    const { user, ...fields } = args;
    ensureRoom(ctx, [user]);
    const { change, profile } = writeProfile(ctx, user, fields);
    return { created: change.created, player: profile };
  },
  'player.batch': (args, ctx) => {
    ensureRoom(
      ctx,
      args.players.map((p) => p.user),
    );
    let created = 0;
    let updated = 0;
    for (const { user, ...fields } of args.players) {
      if (writeProfile(ctx, user, fields).change.created) created++;
      else updated++;
    }
    return { created, updated };
  },
  'player.get': (args, ctx) => {
    const players = ctx.data.players;
    const slot = players.slotOf(args.user);
    if (slot === undefined) throw new ScoreboardError(ErrorCode.PLAYER_NOT_FOUND);
    const boards: Record<string, Placement> = {};
    for (const board of ctx.data.boardsOf(slot)) boards[board.id] = board.placement(slot, 'ordinal')!;
    const view: PlayerView = { ...players.profileOf(slot), boards };
    return view;
  },
  'player.delete': (args, ctx) => {
    const erased = ctx.data.erase(args.user);
    ctx.keys.forgetUser(args.user);
    if (erased) {
      ctx.log({ type: RecordType.Erase, at: ctx.now, user: args.user });
      ctx.compactSoon();
    }
    return { erased };
  },
} satisfies Partial<HandlerTable>;
