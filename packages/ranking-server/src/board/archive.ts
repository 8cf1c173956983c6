/**
 * A finished period of a board: read-only, so it is kept as sorted arrays rather than a skip list —
 * the rows in rank order (user ids, scores, the country each player had when the period ended) and
 * the players' best results. About 17 bytes a row plus the user id; the indexes a read may need (a
 * user's row, dense ranks, a country's rows) are built the first time one is asked for.
 *
 * Reads answer exactly as the live board's do: the same rows, rank styles and standings. Names come
 * from the player table as it is now; countries are as they were when the period ended.
 */
import {
  countryCode,
  type BoardRow,
  type RankStyle,
  type ResultView,
  type Standing,
  type UserId,
} from '@scoreboard/protocol';
import { isoOf } from '@scoreboard/calendar';
import type { ArchivedRow } from '../records/index.js';
import type { Outcomes } from './outcomes.js';
import type { Players } from './players.js';

/**
 * Who is banned now, and a number that changes whenever that does: a finished period hides banned
 * players' rows from every read (ranks as if they were absent) and shows them again on a lift.
 */
export interface BanView {
  readonly size: number;
  readonly version: number;
  has(user: UserId): boolean;
}

/** Positions of the rows a read sees, in rank order: `at(k)` is a row index, `pos(i)` its position (−1: hidden). */
interface Shown {
  length: number;
  at: (k: number) => number;
  pos: (i: number) => number;
}

/** A best result: the total, when it was submitted (epoch ms), and its own number. */
export interface Result {
  total: number;
  at: number;
  seq: number;
  /** The metadata of the write (live period only: a finished period keeps total and time). */
  metadata?: Readonly<Record<string, unknown>>;
}

/** One finished period. */
export class ArchivedPeriod {
  private users: UserId[] = [];
  /** Scores (the board's order folded in: higher is better), in rank order. */
  private scores: number[] = [];
  private countries: number[] = [];
  private index: Map<UserId, number> | undefined;
  private dense: Int32Array | undefined;
  private byCountry: Map<number, number[]> | undefined;
  /** Each player's best results, best first. */
  readonly results = new Map<UserId, Result[]>();
  /** The period's results, written when it ended (undefined: ended before results existed). */
  outcomes: Outcomes | undefined;
  /** The metadata of each row whose entry had some when the period ended. */
  readonly metadata = new Map<UserId, Readonly<Record<string, unknown>>>();
  /** Subs (the subscore's order folded in: higher is better), in rank order, on a board with a subscore. */
  private subs: number[] | undefined;
  /** The rows shown while some player is banned, for the bans' version it was built at. */
  private view: { version: number; order: Int32Array; pos: Int32Array } | undefined;
  /** The bans' version the dense ranks and country rows were built for (−1: nobody banned). */
  private builtFor = -1;

  /**
   * O(1). `sign` is 1 for a desc board, -1 for asc: score = sign · total; `subOrder` is the
   * subscore's order when the board had one (rows then order by total, then subscore); `bans`
   * hides banned players' rows from reads.
   */
  constructor(
    readonly id: number,
    readonly start: number,
    readonly end: number,
    private readonly sign: 1 | -1,
    readonly subOrder: 'desc' | 'asc' | null = null,
    private readonly bans?: BanView,
  ) {
    if (subOrder !== null) this.subs = [];
  }

  /** O(1). The order the board had when the period ended (a later change of order leaves it be). */
  get order(): 'desc' | 'asc' {
    return this.sign === 1 ? 'desc' : 'asc';
  }

  /** O(1), O(n) the first time after a ban or its lift. Rows shown: all but banned players'. */
  get count(): number {
    return this.shown().length;
  }

  /** O(1) amortised. Appends a row that ranks after the ones held (building the period); `subscore` counts only with a subscore. */
  push(user: UserId, total: number, country: number, subscore = 0): void {
    this.users.push(user);
    this.scores.push(this.sign * total + 0);
    this.countries.push(country);
    this.subs?.push((this.subOrder === 'asc' ? -subscore : subscore) + 0);
  }

  /** O(k). Appends rows that rank after the ones held (loading the period from a snapshot). */
  append(rows: readonly ArchivedRow[]): void {
    for (const row of rows) this.push(row.user, row.total, row.country, row.subscore);
    this.dropIndexes();
  }

  /**
   * O(n). Every row in rank order, in chunks of `size`, for snapshots; one empty chunk for a period
   * whose rows were all erased, so the period itself is still written.
   */
  *chunks(size: number): Generator<ArchivedRow[]> {
    if (this.users.length === 0) yield [];
    for (let from = 0; from < this.users.length; from += size) {
      const rows: ArchivedRow[] = [];
      for (let i = from; i < Math.min(this.users.length, from + size); i++) {
        const row: ArchivedRow = {
          user: this.users[i]!,
          total: this.totalAt(i),
          country: this.countries[i]!,
        };
        if (this.subs) row.subscore = this.subscoreAt(i);
        rows.push(row);
      }
      yield rows;
    }
  }

  /** O(n). True when the period holds a row or results of the player (what {@link remove} removes). */
  holds(user: UserId): boolean {
    return this.results.has(user) || this.users.includes(user);
  }

  /** O(n). Removes a player's row and results (erasure); answers whether there was anything. */
  remove(user: UserId): boolean {
    this.metadata.delete(user);
    this.outcomes?.remove(user);
    const had = this.results.delete(user);
    const i = this.users.indexOf(user);
    if (i < 0) return had;
    this.users.splice(i, 1);
    this.scores.splice(i, 1);
    this.countries.splice(i, 1);
    this.subs?.splice(i, 1);
    this.dropIndexes();
    return true;
  }

  /** O(log n + n'). The `n` best rows. */
  top(n: number, style: RankStyle, players: Players): BoardRow[] {
    return this.rows(this.shown(), 0, n, style, players);
  }

  /** O(log n + 2·scope). Rows at positions max(1, p-scope) … min(count, p+scope). */
  window(position: number, scope: number, style: RankStyle, players: Players): BoardRow[] {
    const from = Math.max(1, position - scope);
    const to = Math.min(this.count, position + scope);
    return to < from ? [] : this.rows(this.shown(), from - 1, to - from + 1, style, players);
  }

  /** O(log n), O(n) the first time. A user's standing, or undefined when not in the period (or banned). */
  standing(user: UserId, style: RankStyle, players: Players): Standing | undefined {
    const i = this.indexOf(user);
    if (i === undefined) return undefined;
    const shown = this.shown();
    const k = shown.pos(i);
    const count = shown.length;
    const row: Standing = {
      ...this.row(i, this.rankIn(shown, k, i, style), players),
      count,
      percentile: (100 * (count - (k + 1))) / count,
    };
    const country = this.countries[i]!;
    if (country !== 0) {
      const mine = this.countryRows(country);
      row.countryRank = this.rankIn(mine, mine.indexOf(i), i, style);
    }
    return row;
  }

  /** O(log n + size), O(n) the first time. The rows around a user, as the live board's around-me. */
  around(user: UserId, size: number, style: RankStyle, players: Players): BoardRow[] | undefined {
    const i = this.indexOf(user);
    if (i === undefined) return undefined;
    const shown = this.shown();
    const k = shown.pos(i);
    const want = 2 * size + 1;
    const start = Math.max(0, Math.min(k - size, shown.length - want));
    return this.rows(shown, start, want, style, players);
  }

  /**
   * O(n). A player's row as the period ended — ordinal ranks among every row, banned players'
   * included — or undefined without one: what the GDPR export holds of a banned player.
   */
  endedStanding(user: UserId, players: Players): Standing | undefined {
    const i = this.users.indexOf(user);
    if (i < 0) return undefined;
    const count = this.users.length;
    const row: Standing = {
      ...this.row(i, i + 1, players),
      count,
      percentile: (100 * (count - (i + 1))) / count,
    };
    const country = this.countries[i]!;
    if (country !== 0) row.countryRank = 1 + this.countries.slice(0, i).filter((c) => c === country).length;
    return row;
  }

  /** O(n + results). A player's best results as the period ended, banned or not; undefined without a row. */
  endedHistory(user: UserId): ResultView[] | undefined {
    if (!this.users.includes(user)) return undefined;
    return (this.results.get(user) ?? []).map((r) => ({ total: r.total, at: isoOf(r.at) }));
  }

  /** O(results). A player's best results, best first, or undefined without a row in the period (or banned). */
  history(user: UserId): ResultView[] | undefined {
    if (this.indexOf(user) === undefined) return undefined;
    return (this.results.get(user) ?? []).map((r) => ({ total: r.total, at: isoOf(r.at) }));
  }

  // ---------------------------------------------------------------- internals

  private totalAt(i: number): number {
    return this.sign * this.scores[i]! + 0;
  }

  private subscoreAt(i: number): number {
    const sub = this.subs![i]!;
    return (this.subOrder === 'asc' ? -sub : sub) + 0;
  }

  /** Whether rows `i` and `j` hold equal keys (total, and subscore where there is one): equal ranks. */
  private tied(i: number, j: number): boolean {
    return this.scores[i] === this.scores[j] && (!this.subs || this.subs[i] === this.subs[j]);
  }

  /** Whether row `i` ranks strictly better than row `j` by key (the tie-break sequence aside). */
  private better(i: number, j: number): boolean {
    const a = this.scores[i]!;
    const b = this.scores[j]!;
    return a > b || (a === b && this.subs !== undefined && this.subs[i]! > this.subs[j]!);
  }

  /** A shown row's index (a banned player's row is not shown). */
  private indexOf(user: UserId): number | undefined {
    if (this.bans?.has(user)) return undefined;
    this.index ??= new Map(this.users.map((u, i) => [u, i]));
    return this.index.get(user);
  }

  /**
   * The rows a read sees: every row, or while some player is banned, all but theirs (built once
   * per change of the bans, O(n); the dense ranks and country rows follow it).
   */
  private shown(): Shown {
    const bans = this.bans;
    const version = bans && bans.size > 0 ? bans.version : -1;
    if (version !== this.builtFor) {
      this.dense = undefined;
      this.byCountry = undefined;
      this.builtFor = version;
    }
    if (version === -1) return { length: this.users.length, at: (k) => k, pos: (i) => i };
    if (this.view?.version !== version) {
      const order: number[] = [];
      const pos = new Int32Array(this.users.length).fill(-1);
      this.users.forEach((u, i) => {
        if (bans!.has(u)) return;
        pos[i] = order.length;
        order.push(i);
      });
      this.view = { version, order: Int32Array.from(order), pos };
    }
    const { order, pos } = this.view;
    return { length: order.length, at: (k) => order[k]!, pos: (i) => pos[i]! };
  }

  /** The shown rows of one country, as indexes into the period's rows, in rank order. */
  private countryRows(country: number): number[] {
    const shown = this.shown();
    if (!this.byCountry) {
      this.byCountry = new Map();
      this.countries.forEach((c, i) => {
        if (c === 0 || shown.pos(i) < 0) return;
        const list = this.byCountry!.get(c);
        if (list) list.push(i);
        else this.byCountry!.set(c, [i]);
      });
    }
    return this.byCountry.get(country) ?? [];
  }

  /**
   * The rank of the row at position `k` of `list` (row index `i`) in `style`: ordinal is k + 1;
   * standard, 1 + the rows of the list with a better score (a binary search); dense, 1 + the
   * distinct better scores (counted once per list, then kept for the whole period).
   */
  private rankIn(
    list: { length: number; at: (k: number) => number } | number[],
    k: number,
    i: number,
    style: RankStyle,
  ): number {
    if (style === 'ordinal') return k + 1;
    const at = Array.isArray(list) ? (j: number) => list[j]! : list.at;
    if (style === 'standard') {
      let lo = 0;
      let hi = k;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (this.better(at(mid), i)) lo = mid + 1;
        else hi = mid;
      }
      return lo + 1;
    }
    if (!Array.isArray(list)) {
      if (!this.dense) {
        // By row index, over the shown rows in order (a hidden row's stays 0).
        this.dense = new Int32Array(this.users.length);
        for (let k = 0, r = 0; k < list.length; k++) {
          if (k === 0 || !this.tied(list.at(k), list.at(k - 1))) r++;
          this.dense[list.at(k)] = r;
        }
      }
      return this.dense[i]!;
    }
    let r = 0;
    for (let j = 0; j <= k; j++) if (j === 0 || !this.tied(list[j]!, list[j - 1]!)) r++;
    return r;
  }

  private rows(
    list: { length: number; at: (k: number) => number },
    start: number,
    count: number,
    style: RankStyle,
    players: Players,
  ): BoardRow[] {
    const out: BoardRow[] = [];
    const end = Math.min(list.length, start + count);
    let rank = 0;
    for (let k = start; k < end; k++) {
      const i = list.at(k);
      if (k === start || style === 'ordinal') rank = this.rankIn(list, k, i, style);
      else if (!this.tied(i, list.at(k - 1))) rank = style === 'standard' ? k + 1 : rank + 1;
      out.push(this.row(i, rank, players));
    }
    return out;
  }

  private row(i: number, rank: number, players: Players): BoardRow {
    const user = this.users[i]!;
    const row: BoardRow = this.subs
      ? { user, total: this.totalAt(i), subscore: this.subscoreAt(i), rank }
      : { user, total: this.totalAt(i), rank };
    const slot = players.slotOf(user);
    const name = slot === undefined ? undefined : players.nameOf(slot);
    if (name !== undefined) row.name = name;
    const country = this.countries[i]!;
    if (country !== 0) row.country = countryCode(country)!;
    const metadata = this.metadata.get(user);
    if (metadata !== undefined) row.metadata = metadata;
    return row;
  }

  private dropIndexes(): void {
    this.index = undefined;
    this.dense = undefined;
    this.byCountry = undefined;
    this.view = undefined;
  }
}
