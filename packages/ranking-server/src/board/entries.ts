/**
 * The ranking of one board: its entries, by player slot, in the main ranking and in the rankings of
 * their countries, kept in step — one entry per player, the same key (score, seq) in both, or
 * (score, sub, seq) on a board with subscores. Every
 * change tells the board's change hook the keys it moved, so a page cache knows what it
 * invalidates. Scores, never totals: the board's rules convert (rules.ts).
 */
import { CountryRankings } from './countries.js';
import type { Players } from './players.js';
import { Ranking } from './ranking.js';
import type { RandomSource, SkipList } from './skip-list.js';
import { SlotIndex } from './slot-index.js';

/** What a change tells the board's listener: the key of a position it leaves or takes (sub: 0 without subscores). */
export type ChangeHook = (score: number, seq: number, sub: number) => void;

/** The entries of one board. */
export class BoardEntries {
  /** The main ranking (a new one when the board takes or drops subscores, empty). */
  main: Ranking;
  /** The rankings within countries. */
  countries: CountryRankings;
  /** Player slot → node of the main ranking. */
  private readonly nodes: SlotIndex;
  /**
   * Player slot → the metadata of the write that earned the entry's total, only for entries that
   * have one: an entry without metadata costs nothing here.
   */
  private readonly meta = new Map<number, Readonly<Record<string, unknown>>>();

  /** O(capacity). `subscores`: keys are (score, sub, seq). */
  constructor(
    private readonly players: Players,
    private readonly changed: () => ChangeHook,
    private readonly options: { random?: RandomSource; capacity?: number; subscores?: boolean } = {},
  ) {
    this.main = new Ranking(options);
    this.nodes = new SlotIndex(() => players.capacity);
    this.countries = new CountryRankings(this.main.list, options.random);
  }

  /** O(1). Whether keys are (score, sub, seq). */
  get subscores(): boolean {
    return this.main.subscores;
  }

  /**
   * O(1) when nothing changes. Makes the rankings key by (score, sub, seq) or by (score, seq): new,
   * empty rankings. Throws unless the board is empty (the rules refuse the change otherwise).
   */
  setSubscores(subscores: boolean): void {
    if (subscores === this.subscores) return;
    if (this.size > 0) throw new Error('subscores change on a board with entries');
    this.main = new Ranking({ ...this.options, subscores });
    this.countries = new CountryRankings(this.main.list, this.options.random);
  }

  /** O(1). The main ranking's skip list. */
  get list(): SkipList {
    return this.main.list;
  }

  /** O(1). Entries held. */
  get size(): number {
    return this.main.size;
  }

  /** O(1). The main node of a player's entry, or undefined. */
  nodeOf(slot: number): number | undefined {
    return this.nodes.get(slot);
  }

  /** O(1). The metadata an entry holds, or undefined. */
  metaOf(slot: number): Readonly<Record<string, unknown>> | undefined {
    return this.meta.size === 0 ? undefined : this.meta.get(slot);
  }

  /** O(1). Sets (or with undefined, drops) the metadata of a player's entry, which must exist. */
  setMeta(slot: number, metadata: Readonly<Record<string, unknown>> | undefined): void {
    if (metadata === undefined) {
      if (this.meta.size > 0) this.meta.delete(slot);
    } else if (this.nodes.has(slot)) this.meta.set(slot, metadata);
  }

  /** O(1) per step. Every (slot, node). */
  all(): IterableIterator<[number, number]> {
    return this.nodes.entries();
  }

  /**
   * O(log n). Puts a player's entry at (score, seq) — (score, sub, seq) with subscores, else `sub`
   * is ignored; nothing moves when the key is the same.
   */
  place(slot: number, score: number, seq: number, sub = 0): void {
    const list = this.main.list;
    if (!list.subscores) sub = 0;
    const node = this.nodes.get(slot);
    const hook = this.changed();
    if (node === undefined) {
      hook(score, seq, sub);
      const fresh = this.main.insert(score, seq, slot, sub);
      this.nodes.set(slot, fresh);
      this.players.join(slot);
      this.countries.join(fresh, slot, this.players.countryOf(slot));
      return;
    }
    if (list.scoreOf(node) === score && list.seqOf(node) === seq && list.subOf(node) === sub) return;
    hook(list.scoreOf(node), list.seqOf(node), list.subOf(node));
    hook(score, seq, sub);
    this.main.update(node, score, seq, sub);
    this.countries.update(node, this.players.countryOf(slot), score, seq, sub);
  }

  /**
   * O(n) for a run in rank order that ranks after every entry (a snapshot's or an import's: each
   * entry is linked last with no search), O(n log n) otherwise. Leaves the entries as placing each
   * in turn would, duplicates and out-of-order keys included.
   */
  placeRun(slots: Int32Array, scores: Float64Array, seqs: Float64Array, subs?: Float64Array): void {
    const n = slots.length;
    const subAt = (k: number): number => (subs === undefined ? 0 : subs[k]!);
    this.changed()(Infinity, 0, 0);
    const nodes = new Int32Array(n);
    for (let i = 0; i < n;) {
      // The players not on the board yet are linked in one go, while their keys rank last.
      let j = i;
      while (j < n && !this.nodes.has(slots[j]!)) j++;
      const linked =
        j === i
          ? 0
          : this.main.appendRun(
              j - i,
              scores.subarray(i),
              seqs.subarray(i),
              slots.subarray(i),
              nodes.subarray(i),
              subs?.subarray(i),
            );
      const joined: number[] = [];
      for (let k = i; k < i + linked; k++) {
        const slot = slots[k]!;
        if (this.nodes.has(slot)) {
          // The same player twice in the run: its later key wins, as one place after another.
          this.main.remove(nodes[k]!);
          this.place(slot, scores[k]!, seqs[k]!, subAt(k));
          continue;
        }
        this.nodes.set(slot, nodes[k]!);
        this.players.join(slot);
        joined.push(nodes[k]!);
      }
      this.countries.joinRun(joined, (slot) => this.players.countryOf(slot));
      i += linked;
      if (i < n) {
        this.place(slots[i]!, scores[i]!, seqs[i]!, subAt(i));
        i++;
      }
    }
  }

  /** O(n) once, when it needs more room. Makes room for `entries` entries in all (a hint). */
  reserve(entries: number): void {
    this.main.list.reserve(entries);
    this.nodes.reserve(entries);
  }

  /** O(log n). Removes a player's entry; answers whether there was one. */
  remove(slot: number): boolean {
    const node = this.nodes.get(slot);
    if (node === undefined) return false;
    const list = this.main.list;
    this.changed()(list.scoreOf(node), list.seqOf(node), list.subOf(node));
    this.countries.leave(node, this.players.countryOf(slot));
    this.main.remove(node);
    this.nodes.delete(slot);
    this.meta.delete(slot);
    this.players.leave(slot);
    return true;
  }

  /** O(n). Removes every entry; answers how many there were. */
  clear(): number {
    const removed = this.size;
    this.changed()(Infinity, 0, 0);
    for (const [slot] of this.nodes.entries()) this.players.leave(slot, true); // leaves `nodes` be
    this.main.clear();
    this.nodes.clear();
    this.meta.clear();
    this.countries.clear();
    return removed;
  }

  /** O(log n). Moves a player's entry from one country's ranking to another's (0: none). */
  moveCountry(slot: number, from: number, to: number): void {
    const node = this.nodes.get(slot);
    if (node === undefined || from === to) return;
    this.countries.leave(node, from);
    this.countries.join(node, slot, to);
  }

  /** O(1). Tells the change hook that a player's row is shown differently (a new name). */
  touch(slot: number): void {
    const node = this.nodes.get(slot);
    const list = this.main.list;
    if (node !== undefined) this.changed()(list.scoreOf(node), list.seqOf(node), list.subOf(node));
  }

  /** O(log n). The key (score, seq, sub) at 1-based `rank`, or undefined past the end. */
  sortKeyAt(rank: number): { score: number; seq: number; sub: number } | undefined {
    const list = this.main.list;
    const node = list.atRank(rank);
    return node === 0
      ? undefined
      : { score: list.scoreOf(node), seq: list.seqOf(node), sub: list.subOf(node) };
  }

  /**
   * O(n). Visits every entry in rank order as (slot, score, sub), with no allocation per entry:
   * for a pass that nothing interleaves with (a period's end); `visit` must not change the entries.
   */
  forEach(visit: (slot: number, score: number, sub: number) => void): void {
    const list = this.main.list;
    for (let node = list.next(0); node !== 0; node = list.next(node))
      visit(list.slotOf(node), list.scoreOf(node), list.subOf(node));
  }

  /**
   * O(1) per step while unchanged, O(log n) for the step after a change. Every (slot, score, seq,
   * sub) in rank order, live: when the entries changed while the walk was paused, it resumes after
   * the last key it gave (an entry that moved may be given twice or not at all). The rankings stay
   * those the walk began with (a board that changes subscores is empty: the walk then ends).
   */
  *walk(): Generator<[number, number, number, number]> {
    const list = this.main.list;
    let node = list.next(0);
    while (node !== 0) {
      const changes = list.changes;
      const score = list.scoreOf(node);
      const seq = list.seqOf(node);
      const sub = list.subOf(node);
      yield [list.slotOf(node), score, seq, sub];
      if (list !== this.main.list) return;
      node = list.changes === changes ? list.next(node) : list.firstAfter(score, seq, sub);
    }
  }

  /**
   * O(n log n). Checks the main ranking (B1), that slots and nodes map to each other (B2), and that
   * each entry is in its player's country ranking exactly when the player has a country (B3).
   */
  checkValid(check: (invariant: string, fn: () => void) => void): void {
    check('B1', () => this.main.checkValid());
    check('B2', () => {
      if (this.nodes.size !== this.main.size)
        throw new Error(`${this.nodes.size} players, ${this.main.size} nodes`);
      for (const [slot, node] of this.nodes.entries()) {
        if (this.main.list.slotOf(node) !== slot) throw new Error(`node ${node} does not hold slot ${slot}`);
      }
    });
    check('B3', () => {
      let withCountry = 0;
      for (const [slot, node] of this.nodes.entries()) {
        const country = this.players.countryOf(slot);
        const cnode = this.main.list.auxOf(node);
        if ((country === 0) !== (cnode === 0))
          throw new Error(`slot ${slot} country ${country} but node ${cnode}`);
        if (cnode === 0) continue;
        withCountry++;
        const list = this.countries.of(country)?.list;
        if (list?.slotOf(cnode) !== slot || list.scoreOf(cnode) !== this.main.list.scoreOf(node)) {
          throw new Error(`country entry of slot ${slot} is out of step`);
        }
      }
      let inCountries = 0;
      for (const [country, ranking] of this.countries.entries()) {
        ranking.checkValid();
        if (ranking.size === 0) throw new Error(`empty ranking kept for country ${country}`);
        inCountries += ranking.size;
      }
      if (withCountry !== inCountries)
        throw new Error(`${withCountry} entries with a country, ${inCountries} ranked`);
    });
  }
}
