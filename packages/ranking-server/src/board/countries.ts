/**
 * A board's rankings within countries: one {@link Ranking} per country that has entries, holding
 * the same (score, seq) keys as the board's main ranking. A main node keeps its country node in its
 * `aux` field, so a country rank costs one more descent and a player changing country moves only
 * their entries. Country numbers are bytes (0: none; see the protocol's countries).
 */
import { countryCode, type CountryCount, type RankStyle } from '@scoreboard/protocol';
import { Ranking } from './ranking.js';
import type { RandomSource, SkipList } from './skip-list.js';

/** The country rankings of one board. */
export class CountryRankings {
  private readonly byCountry = new Map<number, Ranking>();

  /** O(1). `main` is the board's skip list (whose nodes keep their country node in `aux`). */
  constructor(
    private readonly main: SkipList,
    private readonly random: RandomSource | undefined,
  ) {}

  /** O(1). A country's ranking, or undefined when it has no entries. */
  of(country: number): Ranking | undefined {
    return this.byCountry.get(country);
  }

  /** O(log n). A main node's rank within `country` (its country), in a style. */
  rank(node: number, country: number, style: RankStyle): number | undefined {
    const cnode = this.main.auxOf(node);
    return cnode === 0 ? undefined : this.byCountry.get(country)!.rank(cnode, style);
  }

  /** O(log n). Puts a main node into `country`'s ranking (0: none). */
  join(node: number, slot: number, country: number): void {
    if (country === 0) return;
    const ranking = this.ranking(country, 16);
    const { main } = this;
    main.setAux(node, ranking.insert(main.scoreOf(node), main.seqOf(node), slot, main.subOf(node)));
  }

  /** O(log n). Takes a main node out of its country's ranking (a country without entries goes). */
  leave(node: number, country: number): void {
    const cnode = this.main.auxOf(node);
    if (cnode === 0) return;
    const ranking = this.byCountry.get(country)!;
    ranking.remove(cnode);
    if (ranking.size === 0) this.byCountry.delete(country);
    this.main.setAux(node, 0);
  }

  /** O(log n). Moves a main node's country entry to its key now (score, seq, sub). */
  update(node: number, country: number, score: number, seq: number, sub = 0): void {
    const cnode = this.main.auxOf(node);
    if (cnode !== 0) this.byCountry.get(country)!.update(cnode, score, seq, sub);
  }

  /**
   * O(k) when the nodes (of the main ranking, in rank order, in no country's ranking yet) rank
   * after every entry of their countries — a run being restored — else O(k log n): each country's
   * nodes are appended to its ranking in one go, and where that stops, inserted.
   */
  joinRun(joined: readonly number[], countryOf: (slot: number) => number): void {
    const list = this.main;
    const n = joined.length;
    // The nodes grouped by country (a counting sort: country numbers are bytes), in rank order.
    const country = new Uint8Array(n);
    const starts = new Int32Array(257);
    for (let i = 0; i < n; i++) starts[(country[i] = countryOf(list.slotOf(joined[i]!))) + 1]!++;
    if (starts[1] === n) return; // nobody has a country
    for (let c = 1; c <= 256; c++) starts[c]! += starts[c - 1]!;
    const at = starts.slice(0, 256);
    const nodes = new Int32Array(n);
    const scores = new Float64Array(n);
    const seqs = new Float64Array(n);
    const subs = new Float64Array(n);
    const slots = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      if (country[i] === 0) continue;
      const node = joined[i]!;
      const j = at[country[i]!]!++;
      nodes[j] = node;
      scores[j] = list.scoreOf(node);
      seqs[j] = list.seqOf(node);
      subs[j] = list.subOf(node);
      slots[j] = list.slotOf(node);
    }
    const cnodes = new Int32Array(n);
    for (let c = 1; c < 256; c++) {
      const from = starts[c]!;
      const count = starts[c + 1]! - from;
      if (count === 0) continue;
      const ranking = this.ranking(c, count);
      const linked = ranking.appendRun(
        count,
        scores.subarray(from),
        seqs.subarray(from),
        slots.subarray(from),
        cnodes.subarray(from),
        subs.subarray(from),
      );
      for (let j = from; j < from + count; j++) {
        list.setAux(
          nodes[j]!,
          j < from + linked ? cnodes[j]! : ranking.insert(scores[j]!, seqs[j]!, slots[j]!, subs[j]),
        );
      }
    }
  }

  /** O(countries log countries). The countries with entries and their counts, largest first. */
  counts(): CountryCount[] {
    return [...this.byCountry]
      .map(([n, ranking]) => ({ country: countryCode(n)!, count: ranking.size }))
      .sort((a, b) => b.count - a.count || (a.country < b.country ? -1 : 1));
  }

  /** O(1). Forgets every country's ranking (the board emptied). */
  clear(): void {
    this.byCountry.clear();
  }

  /** O(1) per step. Every country ranking, with its country. */
  entries(): IterableIterator<[number, Ranking]> {
    return this.byCountry.entries();
  }

  /** O(1), O(capacity) when it makes one. A country's ranking, made (sized for `capacity`) if it has none yet. */
  private ranking(country: number, capacity: number): Ranking {
    let ranking = this.byCountry.get(country);
    if (!ranking) {
      ranking = new Ranking({
        capacity,
        subscores: this.main.subscores,
        ...(this.random ? { random: this.random } : {}),
      });
      this.byCountry.set(country, ranking);
    }
    return ranking;
  }
}
