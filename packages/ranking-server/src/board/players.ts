/**
 * The players: every user who has a profile or an entry on some board, interned into a slot (a
 * small integer) that the boards' skip lists carry as their payload, so a page of rows reads ids,
 * names and countries by index with no hash lookup.
 *
 * Per slot: the user id, an optional name, a country (a byte: 0 none, 1 … 249 ISO 3166-1), optional
 * metadata (kept as its JSON text), whether a profile exists, and on how many boards the player has
 * an entry (two bytes: the boards themselves are found by asking each board, which costs O(B) for
 * the rare commands that need them — erasure, a new country, a player's page — instead of a list
 * per player on the hot path). A slot is freed when its player has neither a profile nor an entry,
 * and reused. When a whole board empties at once (a period's end, a reset), the players it leaves
 * without anything are freed a few thousand per turn rather than all at once — deleting a
 * million keys from the id map would stall the server for half a second — and they do not count
 * towards the cap meanwhile.
 */
import {
  ErrorCode,
  ScoreboardError,
  countryCode,
  countryNumber,
  type Profile,
  type ProfileFields,
  type UserId,
} from '@scoreboard/protocol';
import { IdIndex } from './id-index.js';

/** What a profile write changed, so boards can follow. */
export interface ProfileChange {
  created: boolean;
  /** Country number before and after (0: none). */
  countryBefore: number;
  countryAfter: number;
  /** Name or country changed: rows that show them must be rendered again. */
  shownChanged: boolean;
}

/** The player table. */
export class Players {
  /** A snapshot's walk of the profiles in progress: how far it got, and profiles as they were. */
  private walk: { cursor: number; kept: Map<number, [UserId, ProfileFields] | null> } | undefined;
  private readonly slots = new IdIndex();
  private ids: Array<UserId | undefined> = [];
  private names: Array<string | undefined> = [];
  private metadata: Array<string | undefined> = [];
  private countries = new Uint8Array(1024);
  private profiled = new Uint8Array(1024);
  private boardCounts = new Uint16Array(1024);
  private free: number[] = [];
  /** Slots left unused by a bulk leave, to be freed by {@link drain} (1 in `pendingFlags`). */
  private pending: number[] = [];
  private pendingFlags = new Uint8Array(1024);
  /** Pending slots that are still unused: held in the map, not counted as players. */
  private unusedPending = 0;

  /** O(1). At most `maxPlayers` players at once. */
  constructor(readonly maxPlayers: number) {}

  /** O(1). Players held (with a profile or an entry). */
  get count(): number {
    return this.slots.size - this.unusedPending;
  }

  /** O(1). Slots in the table (live or free): the range of slot numbers. */
  get capacity(): number {
    return this.countries.length;
  }

  /** O(1). What a snapshot keeps to size the tables at load: players held, integer ids covered. */
  get sizes(): { players: number; ids: number } {
    return { players: this.count, ids: this.slots.range };
  }

  /** O(players + ids) once. Sizes the tables for what {@link sizes} said (hints: they grow past them). */
  reserve(sizes: { players?: number; ids?: number }): void {
    if ((sizes.players ?? 0) > this.countries.length) this.grow(sizes.players!);
    if ((sizes.ids ?? 0) > 0) this.slots.reserve(Math.min(sizes.ids!, 1 << 30));
  }

  /** O(1). The slot of a user, if held. */
  slotOf(user: UserId): number | undefined {
    const slot = this.slots.get(user);
    return slot === undefined || this.waiting(slot) ? undefined : slot;
  }

  /**
   * O(1) amortised. The slot of a user, taking a new one if needed; PLAYER_LIMIT_REACHED past the
   * cap unless `force` (replaying what was accepted before).
   */
  acquire(user: UserId, force = false): number {
    const known = this.slots.get(user);
    if (known !== undefined && !this.waiting(known)) return known;
    if (!force && this.count >= this.maxPlayers) throw new ScoreboardError(ErrorCode.PLAYER_LIMIT_REACHED);
    if (known !== undefined) return known; // a slot waiting to be freed: it is used again
    const slot = this.free.pop() ?? this.ids.length;
    if (slot >= this.countries.length) this.grow(slot + 1);
    this.slots.set(user, slot);
    this.ids[slot] = user;
    return slot;
  }

  /** O(1). True while `user` could be acquired without passing the cap. */
  hasRoomFor(user: UserId): boolean {
    return this.slotOf(user) !== undefined || this.count < this.maxPlayers;
  }

  /** O(1). The user id of a live slot. */
  idOf(slot: number): UserId {
    return this.ids[slot]!;
  }

  /** O(1). The player's name, if any. */
  nameOf(slot: number): string | undefined {
    return this.names[slot];
  }

  /** O(1). The player's country number (0: none). */
  countryOf(slot: number): number {
    return this.countries[slot]!;
  }

  /** O(1). True when the player has a profile (perhaps with every field empty). */
  hasProfile(slot: number): boolean {
    return this.profiled[slot] === 1;
  }

  /** O(1). On how many boards the player has an entry. */
  boardCount(slot: number): number {
    return this.boardCounts[slot]!;
  }

  /** O(1). Records that the player has an entry on one more board. */
  join(slot: number): void {
    this.reused(slot);
    this.boardCounts[slot]!++;
  }

  /** O(1). Records that the player left a board; frees the slot if nothing is left. */
  leave(slot: number, bulk = false): void {
    this.boardCounts[slot]!--;
    this.releaseIfUnused(slot, bulk);
  }

  /**
   * O(budget). Frees up to `budget` of the slots bulk leaves left unused; answers how many are
   * still waiting. Called between request batches.
   */
  drain(budget: number): number {
    const pending = this.pending;
    for (let n = 0; n < budget && pending.length > 0; n++) {
      const slot = pending.pop()!;
      if (this.pendingFlags[slot] !== 1) continue;
      this.pendingFlags[slot] = 0;
      if (this.unused(slot)) {
        this.unusedPending--;
        this.release(slot);
      }
    }
    return pending.length;
  }

  /** O(size). Applies a profile write (absent: unchanged, null: cleared). */
  writeProfile(slot: number, fields: ProfileFields): ProfileChange {
    this.keepForWalk(slot);
    this.reused(slot);
    const created = this.profiled[slot] !== 1;
    const countryBefore = this.countries[slot]!;
    const nameBefore = this.names[slot];
    this.profiled[slot] = 1;
    if (fields.name !== undefined) this.names[slot] = fields.name ?? undefined;
    if (fields.country !== undefined)
      this.countries[slot] = fields.country === null ? 0 : countryNumber(fields.country);
    if (fields.metadata !== undefined) {
      this.metadata[slot] = fields.metadata === null ? undefined : JSON.stringify(fields.metadata);
    }
    const countryAfter = this.countries[slot]!;
    return {
      created,
      countryBefore,
      countryAfter,
      shownChanged: countryBefore !== countryAfter || nameBefore !== this.names[slot],
    };
  }

  /** O(1). Removes the profile (entries stay); frees the slot if nothing is left. */
  dropProfile(slot: number): void {
    this.keepForWalk(slot);
    this.profiled[slot] = 0;
    this.names[slot] = undefined;
    this.metadata[slot] = undefined;
    this.countries[slot] = 0;
    this.releaseIfUnused(slot);
  }

  /** O(size of metadata). The profile as answered. */
  profileOf(slot: number): Profile {
    const meta = this.metadata[slot];
    return {
      user: this.ids[slot]!,
      name: this.names[slot] ?? null,
      country: countryCode(this.countries[slot]!) ?? null,
      metadata: meta === undefined ? null : (JSON.parse(meta) as Record<string, unknown>),
    };
  }

  /** O(1) per step. Every profile, as (user, fields), for snapshots; live. */
  profiles(): Generator<[UserId, ProfileFields]> {
    // By slot, not by id: a profile that stays put during a snapshot's walk keeps its slot. The
    // walk yields every profile as it was when this call was made — the snapshot's start, where
    // its log begins (see keepForWalk), even if it only runs later: the log records after that
    // moment replay each change in order, so a period that ended meanwhile is closed on replay
    // with the countries it had then, never later ones.
    const walk = { cursor: -1, kept: new Map<number, [UserId, ProfileFields] | null>() };
    this.walk = walk;
    return this.walkProfiles(walk);
  }

  /** O(players) over the whole walk. The walk {@link profiles} began, as it proceeds. */
  private *walkProfiles(walk: {
    cursor: number;
    kept: Map<number, [UserId, ProfileFields] | null>;
  }): Generator<[UserId, ProfileFields]> {
    try {
      for (let slot = 0; slot < this.ids.length; slot++) {
        walk.cursor = slot;
        if (walk.kept.has(slot)) {
          const was = walk.kept.get(slot);
          if (was) yield was;
          continue;
        }
        const now = this.profileAt(slot);
        if (now) yield now;
      }
    } finally {
      if (this.walk === walk) this.walk = undefined;
    }
  }

  /** O(size of metadata). The profile a slot holds now, or undefined. */
  private profileAt(slot: number): [UserId, ProfileFields] | undefined {
    const user = this.ids[slot];
    if (user === undefined || this.profiled[slot] !== 1) return undefined;
    const meta = this.metadata[slot];
    return [
      user,
      {
        name: this.names[slot] ?? null,
        country: countryCode(this.countries[slot]!) ?? null,
        metadata: meta === undefined ? null : (JSON.parse(meta) as Record<string, unknown>),
      },
    ];
  }

  /**
   * O(size of metadata). Before a profile not yet walked changes (or comes, or goes) during a
   * snapshot's walk, keeps what it was when the walk began: the walk yields that (or nothing).
   */
  private keepForWalk(slot: number): void {
    const walk = this.walk;
    if (!walk || slot <= walk.cursor || walk.kept.has(slot)) return;
    walk.kept.set(slot, this.profileAt(slot) ?? null);
  }

  /** O(players · boards). Checks that slots, ids and board counts agree. For tests. */
  checkValid(boards: Iterable<{ holds(slot: number): boolean }>): void {
    const all = [...boards];
    let unusedPending = 0;
    for (const [user, slot] of this.slots.entries()) {
      if (this.ids[slot] !== user) throw new Error(`slot ${slot} does not hold ${user}`);
      if (this.unused(slot)) {
        if (this.pendingFlags[slot] !== 1)
          throw new Error(`player ${user} has neither a profile nor an entry but holds a slot`);
        unusedPending++;
      }
      const on = all.filter((b) => b.holds(slot)).length;
      if (on !== this.boardCounts[slot])
        throw new Error(`player ${user} is on ${on} boards, counted ${this.boardCounts[slot]}`);
    }
    if (unusedPending !== this.unusedPending)
      throw new Error(`${unusedPending} unused slots wait to be freed, counted ${this.unusedPending}`);
  }

  private unused(slot: number): boolean {
    return this.profiled[slot] !== 1 && this.boardCounts[slot] === 0 && this.ids[slot] !== undefined;
  }

  /** True for a slot left unused by a bulk leave and not freed yet: no player holds it. */
  private waiting(slot: number): boolean {
    return this.unusedPending > 0 && this.pendingFlags[slot] === 1 && this.unused(slot);
  }

  /** A pending slot about to be used again counts as a player again. */
  private reused(slot: number): void {
    if (this.pendingFlags[slot] === 1 && this.unused(slot)) this.unusedPending--;
  }

  /** Frees a slot left unused: now, or (`bulk`) by a later {@link drain}. */
  private releaseIfUnused(slot: number, bulk = false): void {
    if (!this.unused(slot)) return;
    if (bulk) {
      if (this.pendingFlags[slot] !== 1) {
        this.pendingFlags[slot] = 1;
        this.pending.push(slot);
      }
      this.unusedPending++;
      return;
    }
    this.pendingFlags[slot] = 0; // freed now: a later drain skips it
    this.release(slot);
  }

  private release(slot: number): void {
    const user = this.ids[slot]!;
    this.slots.delete(user);
    this.ids[slot] = undefined;
    this.names[slot] = undefined;
    this.metadata[slot] = undefined;
    this.countries[slot] = 0;
    this.free.push(slot);
  }

  private grow(min: number): void {
    const size = Math.max(min, this.countries.length * 2);
    const countries = new Uint8Array(size);
    countries.set(this.countries);
    this.countries = countries;
    const profiled = new Uint8Array(size);
    profiled.set(this.profiled);
    this.profiled = profiled;
    const boardCounts = new Uint16Array(size);
    boardCounts.set(this.boardCounts);
    this.boardCounts = boardCounts;
    const pendingFlags = new Uint8Array(size);
    pendingFlags.set(this.pendingFlags);
    this.pendingFlags = pendingFlags;
  }
}
