/** Players in the model: write one or many profiles, read one with its placements, export everything held about one, erase one. */
import { ErrorCode, type PlayerBoardExport, type PlayerView, type UserId } from '@scoreboard/protocol';
import { isoOf } from '@scoreboard/calendar';
import { Refusal, type ModelState, type Result } from '../state.js';
import type { ModelTable } from './handler.js';
import { info, periodHandlers } from './periods.js';

/** Requests whose arguments' JSON is longer than this are remembered by a hash (as the server does). */
const LONG_REQUEST = 256;

/** A player's ban as answered, or undefined. */
function banView(m: ModelState, user: UserId): { reason: string; at: string } | undefined {
  const ban = m.bans.get(user);
  return ban && { reason: ban.reason, at: isoOf(ban.at) };
}

/** A best result as the history reads answer it. */
const resultView = (r: Result) =>
  r.metadata
    ? { total: r.total, at: isoOf(r.at), metadata: r.metadata }
    : { total: r.total, at: isoOf(r.at) };

/** True when `value` holds, at any depth, an object whose `user` is `user`. */
function mentions(value: unknown, user: UserId): boolean {
  if (Array.isArray(value)) return value.some((v) => mentions(v, user));
  if (typeof value !== 'object' || value === null) return false;
  const o = value as Record<string, unknown>;
  return o['user'] === user || Object.values(o).some((v) => mentions(v, user));
}

/** The model's player commands. */
export const playerHandlers = {
  'player.put': (a, m) => {
    const { user, ...fields } = a;
    m.ensureRoom([user]);
    const created = m.writeProfile(user, fields);
    return { created, player: m.profileOf(user) };
  },
  'player.batch': (a, m) => {
    m.ensureRoom(a.players.map((p) => p.user));
    let created = 0;
    for (const { user, ...fields } of a.players) if (m.writeProfile(user, fields)) created++;
    return { created, updated: a.players.length - created };
  },
  'player.export': (a, m) => {
    // What the reads of each board answer about the player, none where they answer "not found".
    const unlessAbsent = <T>(read: () => T): T | undefined => {
      try {
        return read();
      } catch (err) {
        if (err instanceof Refusal) return undefined;
        throw err;
      }
    };
    const boards: PlayerBoardExport[] = [];
    for (const id of m.boardIds()) {
      const b = m.board(id);
      const user = a.user;
      const entry = unlessAbsent(() => m.standing(b, user, 'ordinal')) ?? null;
      const history = unlessAbsent(() => periodHandlers['board.history']({ board: id, user }, m)) ?? [];
      const joined = b.joined.includes(user);
      const attempts = b.attempts.get(user) ?? 0;
      const periods = [...b.archives].reverse().flatMap((p) => {
        if (!m.bans.has(user)) {
          const held = unlessAbsent(() =>
            periodHandlers['period.user']({ board: id, period: p.id, user }, m),
          );
          if (!held) return [];
          const results = periodHandlers['board.history']({ board: id, period: p.id, user }, m);
          return [{ period: info(p), entry: held, history: results }];
        }
        // Everything held: a banned player's rows too, ranked as the period ended (ordinal).
        if (!p.rows.some((r) => r.user === user)) return [];
        const entry = m.standing(m.endedBoard(b, p), user, 'ordinal', p.rows);
        const history = (p.results.get(user) ?? []).map((r) => ({ total: r.total, at: isoOf(r.at) }));
        return [{ period: info(p), entry, history }];
      });
      const row = b.hidden.get(user);
      const hidden = row && {
        total: row.total,
        ...(b.subscore ? { subscore: row.subscore ?? 0 } : {}),
        ...(row.metadata ? { metadata: row.metadata } : {}),
      };
      const kept = hidden ? (b.results.get(user) ?? []).map(resultView) : history;
      if (entry || hidden || kept.length > 0 || joined || attempts > 0 || periods.length > 0)
        boards.push({
          board: id,
          period: info(b.period),
          entry,
          history: kept,
          joined,
          attempts,
          ...(hidden ? { hidden } : {}),
          periods,
        });
    }
    const held = m.profiles.has(a.user);
    const ban = banView(m, a.user);
    if (!held && boards.length === 0 && !ban) throw new Refusal(ErrorCode.PLAYER_NOT_FOUND);
    const { user: _user, ...profile } = m.profileOf(a.user);
    return { user: a.user, profile: held ? profile : null, boards, ban: ban ?? null };
  },
  'player.get': (a, m) => {
    const boards: PlayerView['boards'] = {};
    for (const b of m.boards.values()) {
      const row = b.rows.find((r) => r.user === a.user);
      if (!row) continue;
      const place: PlayerView['boards'][string] = {
        total: row.total,
        rank: m.rankOf(b, b.rows, row, 'ordinal'),
      };
      const country = m.profiles.get(a.user)?.country;
      if (country) place.countryRank = m.rankOf(b, m.inCountry(b, country), row, 'ordinal');
      const bucket = b.placed.get(a.user);
      if (bucket !== undefined) {
        place.bucket = bucket;
        const tier = m.tierName(b, bucket);
        if (tier !== undefined) place.tier = tier;
      }
      boards[b.id] = place;
    }
    if (!m.isPlayer(a.user)) throw new Refusal(ErrorCode.PLAYER_NOT_FOUND);
    const ban = banView(m, a.user);
    return { ...m.profileOf(a.user), boards, ...(ban ? { ban } : {}) };
  },
  'player.ban': (a, m) => {
    m.ban(a.user, a.reason);
    return { user: a.user, ...banView(m, a.user)! };
  },
  'player.unban': (a, m) => {
    m.unban(a.user);
    return { unbanned: true as const };
  },
  'player.delete': (a, m) => {
    let erased = m.profiles.delete(a.user);
    if (m.bans.delete(a.user)) erased = true;
    for (const b of m.boards.values()) {
      const before = b.rows.length;
      b.rows = b.rows.filter((r) => r.user !== a.user);
      if (b.rows.length !== before) erased = true;
      b.results.delete(a.user);
      const joined = b.joined.length;
      b.joined = b.joined.filter((u) => u !== a.user);
      if (b.attempts.delete(a.user) || b.joined.length !== joined) erased = true;
      if (b.placed.delete(a.user)) erased = true;
      if (b.hidden.delete(a.user)) erased = true;
      if (b.tierOf.delete(a.user)) erased = true;
      for (const p of b.archives) {
        const had = p.rows.length;
        p.rows = p.rows.filter((r) => r.user !== a.user);
        if (p.results.delete(a.user) || p.rows.length !== had) erased = true;
        p.outcomes = p.outcomes.filter((r) => r.user !== a.user);
      }
    }
    const needle = `"user":${JSON.stringify(a.user)}`;
    for (const [key, entry] of m.keys) {
      // A long request is remembered by a hash of it, which shows no user.
      const plain = entry.fingerprint.length <= LONG_REQUEST + entry.fingerprint.indexOf(':') + 1;
      const asked =
        plain && (entry.fingerprint.includes(`${needle},`) || entry.fingerprint.includes(`${needle}}`));
      if (mentions(entry.result, a.user) || asked) m.keys.delete(key);
    }
    return { erased };
  },
} satisfies Partial<ModelTable>;
