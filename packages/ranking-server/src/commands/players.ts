/**
 * Players: profile writes (one, or a batch checked whole before any applies), a player with every
 * placement, everything held about a player (the GDPR export: O(boards · kept periods · n) at
 * worst, finished periods being searched whole the first time), and erasure — the profile, every entry, every remembered answer that shows the player,
 * and, by asking for a snapshot, every log file that held them.
 */
import {
  ErrorCode,
  ScoreboardError,
  type PlayerBoardExport,
  type PlayerExport,
  type PlayerView,
  type ProfileFields,
  type Placement,
  type UserId,
} from '@scoreboard/protocol';
import { isoOf } from '@scoreboard/calendar';
import type { Board } from '../board/board.js';
import { periodInfo } from '../board/periods.js';
import type { CommandContext, HandlerTable } from '../engine/handler.js';
import { RecordType, type StoredProfile } from '../records/index.js';

/** O(boards of the player · log n). Writes a profile and logs the whole profile as it now is. */
/**
 * O(B + boards of the player · log n). Writes a profile — `fields` over what the player has, null
 * clearing — as a PROFILE record of the whole profile; answers whether it is new, and the profile.
 */
function writeProfile(ctx: CommandContext, user: UserId, fields: ProfileFields) {
  const players = ctx.data.players;
  const known = players.slotOf(user);
  const was = known === undefined ? undefined : players.profileOf(known);
  const created = known === undefined || !players.hasProfile(known);
  const profile: StoredProfile = {
    name: fields.name !== undefined ? fields.name : (was?.name ?? null),
    country: fields.country !== undefined ? fields.country : (was?.country ?? null),
    metadata: fields.metadata !== undefined ? fields.metadata : (was?.metadata ?? null),
  };
  ctx.apply({ type: RecordType.Profile, at: ctx.now, user, profile });
  return { created, profile: players.profileOf(players.slotOf(user)!) };
}

function ensureRoom(ctx: CommandContext, users: Iterable<UserId>): void {
  const players = ctx.data.players;
  const fresh = new Set<UserId>();
  for (const user of users) if (players.slotOf(user) === undefined) fresh.add(user);
  if (players.count + fresh.size > players.maxPlayers)
    throw new ScoreboardError(ErrorCode.PLAYER_LIMIT_REACHED);
}

/** O(B). The ids of the boards holding the player where `test` holds (what a ban or its lift changes). */
function boardsWhere(
  ctx: CommandContext,
  user: UserId,
  test: (board: Board, slot: number) => boolean,
): string[] {
  const slot = ctx.data.players.slotOf(user);
  if (slot === undefined) return [];
  return ctx.data
    .boardsOf(slot)
    .filter((b) => test(b, slot))
    .map((b) => b.id);
}

/** O(1). A player's ban as answered (reason, since when), or undefined. */
function banOf(ctx: CommandContext, user: UserId): { reason: string; at: string } | undefined {
  const ban = ctx.data.bans.get(user);
  return ban && { reason: ban.reason, at: isoOf(ban.at) };
}

/** Handlers of the player commands. */
export const playerHandlers = {
  'player.put': (args, ctx) => {
    const { user, ...fields } = args;
    ensureRoom(ctx, [user]);
    const { created, profile } = writeProfile(ctx, user, fields);
    return { created, player: profile };
  },
  'player.batch': (args, ctx) => {
    ensureRoom(
      ctx,
      args.players.map((p) => p.user),
    );
    let created = 0;
    let updated = 0;
    for (const { user, ...fields } of args.players) {
      if (writeProfile(ctx, user, fields).created) created++;
      else updated++;
    }
    return { created, updated };
  },
  'player.export': (args, ctx) => {
    const players = ctx.data.players;
    const user = args.user;
    const slot = players.slotOf(user);
    const boards: PlayerBoardExport[] = [];
    const sorted = [...ctx.data.list()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    for (const board of sorted) {
      const entry = (slot !== undefined && board.standing(slot, 'ordinal')) || null;
      const hiddenAt = slot === undefined ? undefined : board.hiddenOf(slot);
      const history =
        (slot !== undefined && (board.history(slot) ?? (hiddenAt && board.historyOf(slot)))) || [];
      const joined = board.participation.has(user);
      const attempts = board.participation.attempts(user);
      const periods = [...board.archives()].reverse().flatMap((p) => {
        // Everything held: a banned player's rows too, as the period ended.
        const held = p.standing(user, 'ordinal', players) ?? p.endedStanding(user, players);
        if (!held) return [];
        return [{ period: periodInfo(p), entry: held, history: p.endedHistory(user) ?? [] }];
      });
      if (entry || hiddenAt || history.length > 0 || joined || attempts > 0 || periods.length > 0)
        boards.push({
          board: board.id,
          period: periodInfo(board.period),
          entry,
          history,
          joined,
          attempts,
          ...(hiddenAt ? { hidden: hiddenAt } : {}),
          periods,
        });
    }
    const held = slot !== undefined && players.hasProfile(slot);
    const ban = banOf(ctx, user);
    if (!held && boards.length === 0 && !ban) throw new ScoreboardError(ErrorCode.PLAYER_NOT_FOUND);
    const { user: _user, ...profile } = held ? players.profileOf(slot) : { user };
    return { user, profile: held ? (profile as PlayerExport['profile']) : null, boards, ban: ban ?? null };
  },
  'player.get': (args, ctx) => {
    const players = ctx.data.players;
    const slot = players.slotOf(args.user);
    if (slot === undefined) throw new ScoreboardError(ErrorCode.PLAYER_NOT_FOUND);
    const boards: Record<string, Placement> = {};
    for (const board of ctx.data.boardsOf(slot)) {
      const placed = board.placement(slot, 'ordinal');
      if (placed) boards[board.id] = placed; // a banned player's hidden entries are no placements
    }
    const view: PlayerView = { ...players.profileOf(slot), boards };
    const ban = banOf(ctx, args.user);
    if (ban) view.ban = ban;
    return view;
  },
  'player.ban': (args, ctx) => {
    const boards = boardsWhere(ctx, args.user, (b, slot) => b.has(slot));
    ctx.apply({ type: RecordType.Ban, at: ctx.now, user: args.user, reason: args.reason, boards });
    return { user: args.user, ...banOf(ctx, args.user)! };
  },
  'player.unban': (args, ctx) => {
    if (!ctx.data.bans.has(args.user)) throw new ScoreboardError(ErrorCode.BAN_NOT_FOUND);
    const boards = boardsWhere(ctx, args.user, (b, slot) => b.isHidden(slot));
    ctx.apply({ type: RecordType.Unban, at: ctx.now, user: args.user, boards });
    return { unbanned: true as const };
  },
  'player.delete': (args, ctx) => {
    const erased = ctx.data.holds(args.user);
    // Applied (and logged) even when nothing is held: remembered answers naming the player go too.
    ctx.apply({ type: RecordType.Erase, at: ctx.now, user: args.user });
    if (erased) ctx.compactSoon();
    return { erased };
  },
} satisfies Partial<HandlerTable>;
