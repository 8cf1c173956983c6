/**
 * The reads of a board's live period: pages of rows, a player's standing and placement, the window
 * around a player, a friends lookup, a range of totals, and the same within a country. Each is
 * O(log n + rows) over the board's entries; rows are formatted by views.ts.
 */
import type { BoardRow, CountryCount, Entry, RankStyle, Standing } from '@scoreboard/protocol';
import type { BoardEntries } from './entries.js';
import type { Players } from './players.js';
import type { Ranking } from './ranking.js';
import type { Rules } from './rules.js';
import type { SkipList } from './skip-list.js';
import { rowOf } from './views.js';

/** A player's total, rank and rank in the country; their bucket and tier where the board has them. */
export interface Placement {
  total: number;
  rank: number;
  countryRank?: number;
  bucket?: number;
  tier?: string;
}

/** The reads of one board. */
export class BoardReads {
  /** O(1). `rules` answers the board's rules as they are now. */
  constructor(
    private readonly entries: BoardEntries,
    private readonly players: Players,
    private readonly rules: () => Rules,
    /** The bucket a slot's player is placed in this period (undefined: none, or no buckets). */
    private readonly bucketOf: (slot: number) => number | undefined = () => undefined,
    /** The name of a bucket's tier (undefined: the board has no tiers). */
    private readonly tierOf: (bucket: number) => string | undefined = () => undefined,
  ) {}

  /** O(1). A row of a node of `list` as views.ts formats it, with its bucket on a board with buckets, and its tier on one with tiers. */
  private row(list: SkipList, node: number, rank: number): BoardRow {
    const slot = list.slotOf(node);
    const meta = this.entries.metaOf(slot);
    const row = rowOf(this.players, this.rules(), slot, list.scoreOf(node), rank, meta, list.subOf(node));
    const bucket = this.bucketOf(slot);
    if (bucket !== undefined) {
      row.bucket = bucket;
      const tier = this.tierOf(bucket);
      if (tier !== undefined) row.tier = tier;
    }
    return row;
  }

  /** O(1). An original-routes row: the user, the total (and subscore), the entry's metadata when it has one. */
  private plainRow(list: SkipList, node: number, rules: Rules): Entry {
    const slot = list.slotOf(node);
    const user = this.players.idOf(slot);
    const total = rules.total(list.scoreOf(node));
    const row: Entry = list.subscores
      ? { user, total, subscore: rules.subscore(list.subOf(node)) }
      : { user, total };
    const metadata = this.entries.metaOf(slot);
    if (metadata !== undefined) row.metadata = metadata;
    return row;
  }

  /** O(log n + count). The original routes' rows — `{user, total}` only — from position `from`. */
  plain(from: number, count: number): Entry[] {
    const out: Entry[] = [];
    const list = this.entries.list;
    const rules = this.rules();
    this.entries.main.walk(from, count, 'ordinal', (node) => out.push(this.plainRow(list, node, rules)));
    return out;
  }

  /** O(log n + n'). The `n` best rows. */
  top(n: number, style: RankStyle): BoardRow[] {
    return this.rows(this.entries.main, 1, n, style);
  }

  /** O(log n + 2·scope). Rows at positions max(1, p-scope) … min(size, p+scope). */
  window(position: number, scope: number, style: RankStyle): BoardRow[] {
    const from = Math.max(1, position - scope);
    const to = Math.min(this.entries.size, position + scope);
    return to < from ? [] : this.rows(this.entries.main, from, to - from + 1, style);
  }

  /** O(log n). A player's standing, or undefined when not on the board. */
  standing(slot: number, style: RankStyle): Standing | undefined {
    const node = this.entries.nodeOf(slot);
    if (node === undefined) return undefined;
    const { main, list } = this.entries;
    const ordinal = list.rankOf(node);
    const count = this.entries.size;
    const rank = style === 'ordinal' ? ordinal : main.rank(node, style);
    const row: Standing = {
      ...this.row(list, node, rank),
      count,
      percentile: (100 * (count - ordinal)) / count,
    };
    const countryRank = this.entries.countries.rank(node, this.players.countryOf(slot), style);
    if (countryRank !== undefined) row.countryRank = countryRank;
    return row;
  }

  /** O(log n). A player's total, rank and rank in the country, or undefined when not on the board. */
  placement(slot: number, style: RankStyle): Placement | undefined {
    const node = this.entries.nodeOf(slot);
    if (node === undefined) return undefined;
    const placed: Placement = {
      total: this.rules().total(this.entries.list.scoreOf(node)),
      rank: this.entries.main.rank(node, style),
    };
    const countryRank = this.entries.countries.rank(node, this.players.countryOf(slot), style);
    if (countryRank !== undefined) placed.countryRank = countryRank;
    const bucket = this.bucketOf(slot);
    if (bucket !== undefined) {
      placed.bucket = bucket;
      const tier = this.tierOf(bucket);
      if (tier !== undefined) placed.tier = tier;
    }
    return placed;
  }

  /**
   * O(log n + size). 2·size+1 consecutive rows containing the player (all of them on a smaller
   * board), centred on the player unless an end of the board shifts the window; or undefined when
   * the player is not on the board.
   */
  around(slot: number, size: number, style: RankStyle): BoardRow[] | undefined {
    const node = this.entries.nodeOf(slot);
    if (node === undefined) return undefined;
    return this.aroundPosition(this.entries.main, this.entries.list.rankOf(node), size, style);
  }

  /** O(k log n). The rows of those players who are on the board, best first. */
  rowsOf(slots: readonly number[], style: RankStyle): BoardRow[] {
    const found: Array<{ ordinal: number; row: BoardRow }> = [];
    const seen = new Set<number>();
    const { main, list } = this.entries;
    for (const slot of slots) {
      const node = this.entries.nodeOf(slot);
      if (node === undefined || seen.has(slot)) continue;
      seen.add(slot);
      const row = this.row(list, node, main.rank(node, style));
      found.push({ ordinal: list.rankOf(node), row });
    }
    return found.sort((a, b) => a.ordinal - b.ordinal).map((f) => f.row);
  }

  /** O(log n + limit). How many entries have min ≤ total ≤ max, and the first `limit` in board order. */
  range(min: number, max: number, limit: number, style: RankStyle): { count: number; entries: BoardRow[] } {
    if (min > max) return { count: 0, entries: [] };
    const [lo, hi] = this.rules().scoreRange(min, max);
    const list = this.entries.list;
    const above = list.countAbove(hi);
    const count = list.countAtLeast(lo) - above;
    return {
      count,
      entries: count === 0 ? [] : this.rows(this.entries.main, above + 1, Math.min(count, limit), style),
    };
  }

  /** O(countries log countries). The countries of the board's players and their counts, largest first. */
  countryCounts(): CountryCount[] {
    return this.entries.countries.counts();
  }

  /** O(log n + n'). The `n` best rows within one country; ranks within the country. */
  countryTop(country: number, n: number, style: RankStyle): BoardRow[] {
    const ranking = this.entries.countries.of(country);
    return ranking ? this.rows(ranking, 1, n, style) : [];
  }

  /** O(log n + size). Rows of one country around a player of that country; undefined if not there. */
  countryAround(country: number, slot: number, size: number, style: RankStyle): BoardRow[] | undefined {
    const node = this.entries.nodeOf(slot);
    const ranking = this.entries.countries.of(country);
    if (node === undefined || !ranking || this.players.countryOf(slot) !== country) return undefined;
    return this.aroundPosition(ranking, ranking.list.rankOf(this.entries.list.auxOf(node)), size, style);
  }

  private aroundPosition(ranking: Ranking, position: number, size: number, style: RankStyle): BoardRow[] {
    const want = 2 * size + 1;
    const from = Math.max(1, Math.min(position - size, ranking.size - want + 1));
    return this.rows(ranking, from, want, style);
  }

  private rows(ranking: Ranking, from: number, count: number, style: RankStyle): BoardRow[] {
    const out: BoardRow[] = [];
    const list = ranking.list;
    ranking.walk(from, count, style, (node, rank) => out.push(this.row(list, node, rank)));
    return out;
  }
}
