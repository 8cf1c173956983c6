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
 * and reused.
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
  private readonly slots = new Map<UserId, number>();
  private ids: Array<UserId | undefined> = [];
  private names: Array<string | undefined> = [];
  private metadata: Array<string | undefined> = [];
  private countries = new Uint8Array(1024);
  private profiled = new Uint8Array(1024);
  private boardCounts = new Uint16Array(1024);
  private free: number[] = [];

  /** O(1). At most `maxPlayers` players at once. */
  constructor(readonly maxPlayers: number) {}

  /** O(1). Players held. */
  get count(): number {
    return this.slots.size;
  }

  /** O(1). Slots in the table (live or free): the range of slot numbers. */
  get capacity(): number {
    return this.countries.length;
  }

  /** O(1). The slot of a user, if held. */
  slotOf(user: UserId): number | undefined {
    return this.slots.get(user);
  }

  /**
   * O(1) amortised. The slot of a user, taking a new one if needed; PLAYER_LIMIT_REACHED past the
   * cap unless `force` (replaying what was accepted before).
   */
  acquire(user: UserId, force = false): number {
    const known = this.slots.get(user);
    if (known !== undefined) return known;
    if (!force && this.slots.size >= this.maxPlayers)
      throw new ScoreboardError(ErrorCode.PLAYER_LIMIT_REACHED);
    const slot = this.free.pop() ?? this.ids.length;
    if (slot >= this.countries.length) this.grow(slot + 1);
    this.slots.set(user, slot);
    this.ids[slot] = user;
    return slot;
  }

  /** O(1). True while `user` could be acquired without passing the cap. */
  hasRoomFor(user: UserId): boolean {
    return this.slots.has(user) || this.slots.size < this.maxPlayers;
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
    this.boardCounts[slot]!++;
  }

  /** O(1). Records that the player left a board; frees the slot if nothing is left. */
  leave(slot: number): void {
    this.boardCounts[slot]!--;
    this.releaseIfUnused(slot);
  }

  /** O(size). Applies a profile write (absent: unchanged, null: cleared). */
  writeProfile(slot: number, fields: ProfileFields): ProfileChange {
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
  *profiles(): Generator<[UserId, ProfileFields]> {
    for (const [user, slot] of this.slots) {
      if (this.profiled[slot] !== 1) continue;
      const meta = this.metadata[slot];
      yield [
        user,
        {
          name: this.names[slot] ?? null,
          country: countryCode(this.countries[slot]!) ?? null,
          metadata: meta === undefined ? null : (JSON.parse(meta) as Record<string, unknown>),
        },
      ];
    }
  }

  /** O(players · boards). Checks that slots, ids and board counts agree. For tests. */
  checkValid(boards: Iterable<{ has(slot: number): boolean }>): void {
    const all = [...boards];
    for (const [user, slot] of this.slots) {
      if (this.ids[slot] !== user) throw new Error(`slot ${slot} does not hold ${user}`);
      if (this.profiled[slot] !== 1 && this.boardCounts[slot] === 0) {
        throw new Error(`player ${user} has neither a profile nor an entry but holds a slot`);
      }
      const on = all.filter((b) => b.has(slot)).length;
      if (on !== this.boardCounts[slot])
        throw new Error(`player ${user} is on ${on} boards, counted ${this.boardCounts[slot]}`);
    }
  }

  private releaseIfUnused(slot: number): void {
    if (this.profiled[slot] === 1 || this.boardCounts[slot] !== 0) return;
    const user = this.ids[slot];
    if (user === undefined) return;
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
  }
}
