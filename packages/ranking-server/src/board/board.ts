/**
 * A board: one named leaderboard with its rules, its ranking of players, and a ranking per country.
 *
 * The skip list orders by score, higher first; a board's score is its total (`desc`) or the total
 * negated (`asc`), so both orders share one structure. Among equal totals the player who reached
 * the total first ranks higher: each entry carries the sequence number (from one counter for all
 * boards) stamped when its total last changed, and an update that leaves a total unchanged keeps
 * both. A player with a country is also in that country's ranking, the same key in a second skip
 * list whose node the main node keeps in its `aux` field, so a country rank costs one more descent
 * and moving a player between countries touches only their entries.
 *
 * Rules of a write (`submit`): operator `set` — a total replaces, a relative score adds; `best` —
 * a total is kept only when better in the board's order, a relative score is refused; `min`/`max`
 * bound the totals a write may leave, as does ±(2^53-1). A refused write changes nothing.
 *
 * The board tells one listener (its change hook) the key of every position a write leaves or
 * takes, so a page cache knows what a write invalidates.
 */
import {
  isOpen,
  isoOf,
  nextBoundary,
  nextChange,
  nextOpening,
  type ResetSchedule,
  type ServiceHours,
} from '@scoreboard/calendar';
import {
  DEFAULT_KEEP,
  ErrorCode,
  MAX_TOTAL,
  ScoreboardError,
  countryCode,
  type BoardOperator,
  type BoardOrder,
  type BoardRow,
  type BoardView,
  type CountryCount,
  type Entry,
  type PeriodView,
  type RankStyle,
  type ResetView,
  type ResultView,
  type Standing,
  type UserId,
} from '@scoreboard/protocol';
import { ArchivedPeriod, type Result } from './archive.js';
import type { Players } from './players.js';
import { Ranking } from './ranking.js';
import type { RandomSource } from './skip-list.js';
import { SlotIndex } from './slot-index.js';

/** A board's rules. */
export interface BoardConfig {
  order: BoardOrder;
  operator: BoardOperator;
  min: number | null;
  max: number | null;
  /** When periods end (null: never). */
  reset: ResetSchedule | null;
  /** Finished periods kept readable. */
  keep: number;
  /** Best results kept per player and period (0: none). */
  history: number;
  /** The open window: event start and end (epoch ms) and service hours. */
  start: number | null;
  end: number | null;
  hours: ServiceHours | null;
}

/** A period: ids count up from 1; `end` is null on a board that never resets. */
export interface Period {
  id: number;
  start: number;
  end: number | null;
}

/** The rules of a board nobody configured: the original scoreboard's. */
export const DEFAULT_CONFIG: BoardConfig = Object.freeze({
  reset: null,
  keep: DEFAULT_KEEP,
  history: 0,
  start: null,
  end: null,
  hours: null,
  order: 'desc',
  operator: 'set',
  min: null,
  max: null,
});

/** A write as submitted: an absolute total or a relative delta. */
export type ScoreWrite = { total: number } | { delta: number };

/** What a write left: the total kept, its tie-break sequence (what a log record stores), and the entry's node. */
export interface Written {
  total: number;
  seq: number;
  /** False when the entry's key did not move (same total, or a `best` board kept a better one). */
  changed: boolean;
  node: number;
}

/**
 * Called with the key (score, seq) of every position a write leaves or takes; `(Infinity, 0)`
 * when the whole board may have changed (a reset, a restored record), which ranks above every key.
 */
export type ChangeHook = (score: number, seq: number) => void;

/** The counter that stamps tie-break sequence numbers, shared by every board. */
export class Sequence {
  private nextSeq = 1;

  /** O(1). The next number to stamp. */
  get next(): number {
    return this.nextSeq;
  }

  /** O(1). Stamps one. */
  take(): number {
    return this.nextSeq++;
  }

  /** O(1). Makes the next stamp at least `seq + 1` (a replayed record used `seq`). */
  passed(seq: number): void {
    if (seq >= this.nextSeq) this.nextSeq = seq + 1;
  }

  /** O(1). Makes the next stamp at least `seq` (a snapshot's header). */
  atLeast(seq: number): void {
    if (seq > this.nextSeq) this.nextSeq = seq;
  }
}

const ignore: ChangeHook = () => undefined;
const NO_RESULTS: readonly Result[] = [];

/** One named board. */
export class Board {
  private readonly main: Ranking;
  /** Player slot → node of the main ranking. */
  private readonly nodes: SlotIndex;
  /** Country number → that country's ranking (only countries with entries). */
  private readonly countries = new Map<number, Ranking>();
  private changed: ChangeHook = ignore;
  private readonly random: RandomSource | undefined;
  /** The live period. */
  private live: Period;
  /** Finished periods kept readable, oldest first. */
  private archived: ArchivedPeriod[] = [];
  /** Each player's best results in the live period, best first (boards with `history`). */
  private results = new Map<number, Result[]>();

  /**
   * O(capacity). `created` (epoch ms) is when the board came to be: its first period starts then,
   * and `everySeconds` schedules count from it.
   */
  constructor(
    readonly id: string,
    private cfg: BoardConfig,
    private readonly players: Players,
    private readonly seq: Sequence,
    public created: number,
    options: { random?: RandomSource; capacity?: number } = {},
  ) {
    this.random = options.random;
    this.main = new Ranking(options);
    this.nodes = new SlotIndex(() => players.capacity);
    this.live = { id: 1, start: created, end: cfg.reset ? nextBoundary(cfg.reset, created, created) : null };
  }

  /** O(1). The live period. */
  get period(): Readonly<Period> {
    return this.live;
  }

  /** O(1). The board's rules. */
  get config(): Readonly<BoardConfig> {
    return this.cfg;
  }

  /** O(1). Entries on the board. */
  get size(): number {
    return this.main.size;
  }

  /** O(1). Sets the one listener told about every key a write moves (replacing any before). */
  setChangeHook(hook: ChangeHook): void {
    this.changed = hook;
  }

  /**
   * O(1). Takes the rules and live period a record says, as they are (replay: they were checked
   * when written).
   */
  restoreConfig(config: BoardConfig, created: number, period: Period): void {
    this.cfg = { ...config };
    this.created = created;
    this.live = { ...period };
    this.trimArchive();
  }

  /** O(1). The board as answered at `now`. */
  view(now: number): BoardView {
    const { order, operator, min, max, keep, history, start, end, hours } = this.cfg;
    const window = { start, end, hours };
    const change = nextChange(window, now);
    return {
      board: this.id,
      order,
      operator,
      min,
      max,
      count: this.size,
      reset: resetView(this.cfg.reset),
      keep,
      history,
      start: start === null ? null : isoOf(start),
      end: end === null ? null : isoOf(end),
      hours: hours && { from: hours.from, to: hours.to, days: [...hours.days], timezone: hours.timezone },
      period: periodInfo(this.live),
      open: isOpen(window, now),
      nextChange: change === null ? null : isoOf(change),
    };
  }

  /**
   * O(1). Refuses a write at `now` outside the open window (BOARD_CLOSED), saying when the board
   * opens (its Retry-After), if it ever does.
   */
  checkOpen(now: number): void {
    const { start, end, hours } = this.cfg;
    const window = { start, end, hours };
    if (isOpen(window, now)) return;
    const opens = nextOpening(window, now);
    if (opens === null) {
      throw new ScoreboardError(
        ErrorCode.BOARD_CLOSED,
        `The board "${this.id}" takes no more writes: it closed for good.`,
      );
    }
    throw new ScoreboardError(
      ErrorCode.BOARD_CLOSED,
      `The board "${this.id}" takes no writes until ${isoOf(opens)}.`,
      {
        retryAfter: Math.max(1, Math.ceil((opens - now) / 1000)),
      },
    );
  }

  /** O(1). True when the player has an entry here. */
  has(slot: number): boolean {
    return this.nodes.has(slot);
  }

  // ---------------------------------------------------------------- writes

  /**
   * O(1) checks, then O(log n). The total a write would leave, or a refusal (SCORE_OUT_OF_RANGE,
   * SCORE_RELATIVE_NOT_ALLOWED) — nothing changes. `current` is the player's total, if on the
   * board; `undefined` from a `best` board means the write keeps the current total.
   */
  resolve(current: number | undefined, write: ScoreWrite): number | undefined {
    const { operator, min, max, order } = this.cfg;
    let total: number;
    if ('delta' in write) {
      if (operator === 'best') throw new ScoreboardError(ErrorCode.SCORE_RELATIVE_NOT_ALLOWED);
      total = (current ?? 0) + write.delta;
    } else {
      total = write.total;
    }
    total += 0; // folds -0 into 0
    if (!Number.isSafeInteger(total) || Math.abs(total) > MAX_TOTAL) {
      throw new ScoreboardError(ErrorCode.SCORE_OUT_OF_RANGE);
    }
    if ((min !== null && total < min) || (max !== null && total > max)) {
      throw new ScoreboardError(
        ErrorCode.SCORE_OUT_OF_RANGE,
        `The resulting total ${total} is outside this board's range [${min ?? '-∞'}, ${max ?? '+∞'}].`,
      );
    }
    if (operator === 'best' && current !== undefined) {
      const better = order === 'desc' ? total > current : total < current;
      if (!better) return undefined;
    }
    return total;
  }

  /** O(1). The player's current total here, if on the board. */
  totalOf(slot: number): number | undefined {
    const node = this.nodes.get(slot);
    return node === undefined ? undefined : this.totalOfNode(node);
  }

  /**
   * O(log n). Puts a player at exactly (total, seq), as a log record says; replaying the same record
   * twice leaves the same board. No rules apply: they did when the record was written.
   */
  restore(slot: number, total: number, seq: number): void {
    this.place(slot, this.nodes.get(slot), total, seq);
    this.seq.passed(seq);
  }

  /**
   * O(n) for a run in rank order that ranks after every entry on the board (a snapshot's or an
   * import's: each entry is linked last with no search), O(n log n) otherwise. Leaves the board as
   * {@link restore} of each entry in turn would, duplicates and out-of-order keys included.
   */
  restoreRun(slots: Int32Array, totals: Float64Array, seqs: Float64Array): void {
    const n = slots.length;
    this.changed(Infinity, 0);
    const scores = this.cfg.order === 'desc' ? totals : totals.map((t) => 0 - t);
    const nodes = new Int32Array(n);
    let maxSeq = -1;
    for (let i = 0; i < n; i++) if (seqs[i]! > maxSeq) maxSeq = seqs[i]!;
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
            );
      const joined: number[] = [];
      for (let k = i; k < i + linked; k++) {
        const slot = slots[k]!;
        const node = nodes[k]!;
        const earlier = this.nodes.get(slot);
        if (earlier !== undefined) {
          // The same player twice in the run: its later key wins, as one restore after another.
          this.main.remove(node);
          this.place(slot, earlier, totals[k]!, seqs[k]);
          continue;
        }
        this.nodes.set(slot, node);
        this.players.join(slot);
        joined.push(node);
      }
      this.joinCountries(joined);
      i += linked;
      if (i < n) {
        this.place(slots[i]!, this.nodes.get(slots[i]!), totals[i]!, seqs[i]);
        i++;
      }
    }
    if (maxSeq >= 0) this.seq.passed(maxSeq);
  }

  /** O(n) once, when it needs more room. Makes room for `entries` entries in all (a hint). */
  reserve(entries: number): void {
    this.main.list.reserve(entries);
    this.nodes.reserve(entries);
  }

  /** O(log n). Removes a player's entry (erasure); answers whether there was one. */
  remove(slot: number): boolean {
    const node = this.nodes.get(slot);
    if (node === undefined) return false;
    const list = this.main.list;
    this.changed(list.scoreOf(node), list.seqOf(node));
    this.leaveCountry(node, this.players.countryOf(slot));
    this.main.remove(node);
    this.nodes.delete(slot);
    this.results.delete(slot);
    this.players.leave(slot);
    return true;
  }

  /** O(n). Removes every entry; answers how many there were. */
  reset(): number {
    const removed = this.size;
    this.changed(Infinity, 0);
    for (const [slot] of this.nodes.entries()) this.players.leave(slot, true); // leaves `nodes` be
    this.main.clear();
    this.nodes.clear();
    this.countries.clear();
    this.results.clear();
    return removed;
  }

  /** O(log n). Moves a player's entry from one country's ranking to another's (0: none). */
  moveCountry(slot: number, from: number, to: number): void {
    const node = this.nodes.get(slot);
    if (node === undefined || from === to) return;
    this.leaveCountry(node, from);
    this.joinCountry(node, slot, to);
  }

  /** O(log n). Tells the change hook that the player's row is shown differently (a new name). */
  touch(slot: number): void {
    const node = this.nodes.get(slot);
    if (node !== undefined) this.changed(this.main.list.scoreOf(node), this.main.list.seqOf(node));
  }

  // ---------------------------------------------------------------- reads

  /**
   * O(log n + count). The original routes' rows — `{user, total}` only — at positions `from` …
   * `from + count - 1` (fewer past the end).
   */
  entries(from: number, count: number): Entry[] {
    const out: Entry[] = [];
    const list = this.main.list;
    this.main.walk(from, count, 'ordinal', (node) =>
      out.push({ user: this.players.idOf(list.slotOf(node)), total: this.totalOfNode(node) }),
    );
    return out;
  }

  /** O(log n + n'). The `n` best rows. */
  top(n: number, style: RankStyle): BoardRow[] {
    return this.rows(this.main, 1, n, style);
  }

  /** O(log n + 2·scope). Rows at positions max(1, p-scope) … min(size, p+scope). */
  window(position: number, scope: number, style: RankStyle): BoardRow[] {
    const from = Math.max(1, position - scope);
    const to = Math.min(this.size, position + scope);
    return to < from ? [] : this.rows(this.main, from, to - from + 1, style);
  }

  /** O(log n). A player's standing, or undefined when not on the board. */
  standing(slot: number, style: RankStyle): Standing | undefined {
    const node = this.nodes.get(slot);
    if (node === undefined) return undefined;
    const ordinal = this.main.list.rankOf(node);
    const count = this.size;
    const row: Standing = {
      ...this.row(node, style === 'ordinal' ? ordinal : this.main.rank(node, style)),
      count,
      percentile: (100 * (count - ordinal)) / count,
    };
    const cnode = this.main.list.auxOf(node);
    if (cnode !== 0) row.countryRank = this.countries.get(this.players.countryOf(slot))!.rank(cnode, style);
    return row;
  }

  /** O(log n). A player's total, rank and rank in the country, or undefined when not on the board. */
  placement(
    slot: number,
    style: RankStyle,
  ): { total: number; rank: number; countryRank?: number } | undefined {
    const node = this.nodes.get(slot);
    if (node === undefined) return undefined;
    const placed: { total: number; rank: number; countryRank?: number } = {
      total: this.totalOfNode(node),
      rank: this.main.rank(node, style),
    };
    const cnode = this.main.list.auxOf(node);
    if (cnode !== 0)
      placed.countryRank = this.countries.get(this.players.countryOf(slot))!.rank(cnode, style);
    return placed;
  }

  /**
   * O(log n), O(1) right after the player's entry was placed (the skip list keeps the path it was
   * linked along). A player's ordinal rank: what a write answers. The player must be on the board.
   */
  rankOf(slot: number): number {
    return this.main.list.rankOf(this.nodes.get(slot)!);
  }

  /**
   * O(log n + size). 2·size+1 consecutive rows containing the player (all of them on a smaller
   * board), centred on the player unless the top or bottom of the board shifts the window; or
   * undefined when the player is not on the board.
   */
  around(slot: number, size: number, style: RankStyle): BoardRow[] | undefined {
    const node = this.nodes.get(slot);
    if (node === undefined) return undefined;
    return this.aroundNode(this.main, this.main.list.rankOf(node), size, style);
  }

  /** O(k log n). The rows of those players who are on the board, best first. */
  rowsOf(slots: readonly number[], style: RankStyle): BoardRow[] {
    const found: Array<{ ordinal: number; row: BoardRow }> = [];
    const seen = new Set<number>();
    for (const slot of slots) {
      const node = this.nodes.get(slot);
      if (node === undefined || seen.has(slot)) continue;
      seen.add(slot);
      found.push({ ordinal: this.main.list.rankOf(node), row: this.row(node, this.main.rank(node, style)) });
    }
    return found.sort((a, b) => a.ordinal - b.ordinal).map((f) => f.row);
  }

  /** O(log n + limit). How many entries have min ≤ total ≤ max, and the first `limit` in board order. */
  range(min: number, max: number, limit: number, style: RankStyle): { count: number; entries: BoardRow[] } {
    if (min > max) return { count: 0, entries: [] };
    const [lo, hi] = this.cfg.order === 'desc' ? [min, max] : [-max, -min];
    const list = this.main.list;
    const above = list.countAbove(hi);
    const count = list.countAtLeast(lo) - above;
    return {
      count,
      entries: count === 0 ? [] : this.rows(this.main, above + 1, Math.min(count, limit), style),
    };
  }

  /** O(countries log countries). The countries of the board's players and their counts, largest first. */
  countryCounts(): CountryCount[] {
    return [...this.countries]
      .map(([n, ranking]) => ({ country: countryCode(n)!, count: ranking.size }))
      .sort((a, b) => b.count - a.count || (a.country < b.country ? -1 : 1));
  }

  /** O(log n + n'). The `n` best rows within one country; ranks within the country. */
  countryTop(country: number, n: number, style: RankStyle): BoardRow[] {
    const ranking = this.countries.get(country);
    return ranking ? this.rows(ranking, 1, n, style) : [];
  }

  /** O(log n + size). Rows of one country around a player of that country; undefined if not there. */
  countryAround(country: number, slot: number, size: number, style: RankStyle): BoardRow[] | undefined {
    const node = this.nodes.get(slot);
    const ranking = this.countries.get(country);
    if (node === undefined || !ranking || this.players.countryOf(slot) !== country) return undefined;
    return this.aroundNode(ranking, ranking.list.rankOf(this.main.list.auxOf(node)), size, style);
  }

  /** O(log n). The key (score, seq) at 1-based `rank`, or undefined past the end: what a page cache watches. */
  keyAt(rank: number): { score: number; seq: number } | undefined {
    const node = this.main.list.atRank(rank);
    return node === 0 ? undefined : { score: this.main.list.scoreOf(node), seq: this.main.list.seqOf(node) };
  }

  /**
   * O(1) per step while the board is unchanged, O(log n) for the step after a change. Every (slot,
   * total, seq, live results) in rank order, live, for snapshots: loading them back links each entry
   * last, with no search. An entry and its results are read in one step, so they always agree. When
   * the board changed while the walk was paused, it resumes after the last key it gave: an entry that
   * moved may be given twice or not at all, but it changed during the walk, so its record is in the
   * log that is replayed over the snapshot; one that did not move keeps its key and is given once.
   */
  *states(): Generator<[number, number, number, readonly Result[]]> {
    const list = this.main.list;
    let node = list.next(0);
    while (node !== 0) {
      const changes = list.changes;
      const score = list.scoreOf(node);
      const seq = list.seqOf(node);
      const slot = list.slotOf(node);
      yield [slot, this.totalOfNode(node), seq, this.results.get(slot) ?? NO_RESULTS];
      node = list.changes === changes ? list.next(node) : list.firstAfter(score, seq);
    }
  }

  // ---------------------------------------------------------------- periods and results

  /**
   * O(n + players' results). Ends the live period at `at`: its rows and results become a finished
   * period (unless it holds nothing), the board empties, and period `next` begins. Finished
   * periods past `keep` are dropped, oldest first.
   */
  closePeriod(at: number, next: Period): void {
    if (this.size > 0 || this.results.size > 0) {
      const period = new ArchivedPeriod(
        this.live.id,
        this.live.start,
        at,
        this.cfg.order === 'desc' ? 1 : -1,
      );
      const { list } = this.main;
      const players = this.players;
      this.main.walk(1, this.size, 'ordinal', (node) => {
        const slot = list.slotOf(node);
        period.push(players.idOf(slot), this.totalOfNode(node), players.countryOf(slot));
      });
      for (const [slot, results] of this.results) period.results.set(this.players.idOf(slot), results);
      this.archived.push(period);
    }
    this.reset();
    this.live = { ...next };
    this.trimArchive();
  }

  /**
   * O(n). Applies a period's end read back from the log over a fuzzy snapshot, which may have
   * walked this board after the end: when the live period is already `next` (or later) nothing
   * is done; when the finished period is already held (the walk reached the archives after the
   * end, so its copy is whole) only the live period is emptied and moved on; otherwise the period
   * closes as it did when it ran.
   */
  restoreClose(at: number, next: Period): void {
    if (this.live.id >= next.id) return;
    if (this.archivedPeriod(this.live.id) === undefined) return this.closePeriod(at, next);
    this.reset();
    this.live = { ...next };
    this.trimArchive();
  }

  /**
   * O(1). Adds a finished period read back from a snapshot, in the order the board had then (its
   * rows follow in `archivedPeriod`).
   */
  restoreArchive(id: number, start: number, end: number, order: 'desc' | 'asc'): ArchivedPeriod {
    let period = this.archived.find((p) => p.id === id);
    if (!period) {
      period = new ArchivedPeriod(id, start, end, order === 'desc' ? 1 : -1);
      this.archived.push(period);
      this.archived.sort((a, b) => a.id - b.id);
    }
    return period;
  }

  /** O(periods). A finished period kept readable, by id. */
  archivedPeriod(id: number): ArchivedPeriod | undefined {
    return this.archived.find((p) => p.id === id);
  }

  /** O(periods). Every period, the live one first, then the finished ones newest first. */
  periods(): PeriodView[] {
    const out: PeriodView[] = [{ ...periodInfo(this.live), count: this.size }];
    for (let i = this.archived.length - 1; i >= 0; i--) {
      const p = this.archived[i]!;
      out.push({ id: p.id, start: isoOf(p.start), end: isoOf(p.end), count: p.count });
    }
    return out;
  }

  /** O(1) per step. The finished periods, oldest first (snapshots). */
  archives(): readonly ArchivedPeriod[] {
    return this.archived;
  }

  /** O(periods · n). True when a finished period holds a row or results of the player. */
  holdsArchived(user: UserId): boolean {
    return this.archived.some((p) => p.holds(user));
  }

  /** O(periods · n). Removes a player from every finished period (erasure); true if it was in one. */
  eraseArchived(user: UserId): boolean {
    let found = false;
    for (const p of this.archived) if (p.remove(user)) found = true;
    return found;
  }

  /**
   * O(history). Records a result of a player in the live period (`at`: when it was submitted; `seq`:
   * its number — a result already held is not added again, so replaying its record is harmless),
   * keeping the `history` best in the board's order, the earlier first among equals.
   */
  addResult(slot: number, total: number, at: number, seq: number): void {
    const keep = this.cfg.history;
    if (keep === 0) return;
    let list = this.results.get(slot);
    if (!list) this.results.set(slot, (list = []));
    if (list.some((r) => r.seq === seq)) return;
    const sign = this.cfg.order === 'desc' ? 1 : -1;
    let i = list.length;
    while (i > 0 && sign * list[i - 1]!.total < sign * total) i--;
    if (i >= keep) return;
    list.splice(i, 0, { total, at, seq });
    if (list.length > keep) list.length = keep;
  }

  /** O(history). A player's best results in the live period, or undefined when not on the board. */
  history(slot: number): ResultView[] | undefined {
    if (!this.nodes.has(slot)) return undefined;
    return (this.results.get(slot) ?? []).map((r) => ({ total: r.total, at: isoOf(r.at) }));
  }

  private trimArchive(): void {
    const keep = this.cfg.keep;
    if (this.archived.length > keep) this.archived.splice(0, this.archived.length - keep);
  }

  /** O(n log n). Checks every ranking and that nodes, players and countries agree. For tests. */
  checkValid(): void {
    this.main.checkValid();
    if (this.nodes.size !== this.main.size)
      throw new Error(`${this.id}: ${this.nodes.size} players, ${this.main.size} nodes`);
    let inCountries = 0;
    for (const [country, ranking] of this.countries) {
      ranking.checkValid();
      if (ranking.size === 0) throw new Error(`${this.id}: empty ranking kept for country ${country}`);
      inCountries += ranking.size;
    }
    let withCountry = 0;
    for (const [slot, node] of this.nodes.entries()) {
      if (this.main.list.slotOf(node) !== slot)
        throw new Error(`${this.id}: node ${node} does not hold slot ${slot}`);
      const country = this.players.countryOf(slot);
      const cnode = this.main.list.auxOf(node);
      if ((country === 0) !== (cnode === 0))
        throw new Error(`${this.id}: slot ${slot} country ${country} but node ${cnode}`);
      if (cnode !== 0) {
        withCountry++;
        const list = this.countries.get(country)!.list;
        if (list.slotOf(cnode) !== slot || list.scoreOf(cnode) !== this.main.list.scoreOf(node)) {
          throw new Error(`${this.id}: country entry of slot ${slot} is out of step`);
        }
      }
    }
    if (withCountry !== inCountries)
      throw new Error(`${this.id}: ${withCountry} entries with a country, ${inCountries} ranked`);
  }

  // ---------------------------------------------------------------- internals

  private totalOfNode(node: number): number {
    const score = this.main.list.scoreOf(node);
    return this.cfg.order === 'desc' ? score : 0 - score;
  }

  /** Puts a player at `total`, stamping a new sequence unless `seq` is given or nothing moves. */
  private place(slot: number, node: number | undefined, total: number, seq: number | undefined): Written {
    const score = this.cfg.order === 'desc' ? total : 0 - total;
    const list = this.main.list;
    if (node === undefined) {
      const s = seq ?? this.seq.take();
      this.changed(score, s);
      const fresh = this.main.insert(score, s, slot);
      this.nodes.set(slot, fresh);
      this.players.join(slot);
      this.joinCountry(fresh, slot, this.players.countryOf(slot));
      return { total, seq: s, changed: true, node: fresh };
    }
    if (list.scoreOf(node) === score && (seq === undefined || list.seqOf(node) === seq)) {
      return { total, seq: list.seqOf(node), changed: false, node };
    }
    const s = seq ?? this.seq.take();
    this.changed(list.scoreOf(node), list.seqOf(node));
    this.changed(score, s);
    this.main.update(node, score, s);
    const cnode = list.auxOf(node);
    if (cnode !== 0) this.countries.get(this.players.countryOf(slot))!.update(cnode, score, s);
    return { total, seq: s, changed: true, node };
  }

  /**
   * O(k) when the nodes (of the main ranking, in rank order, in no country's ranking yet) rank
   * after every entry of their countries — a run being restored — else O(k log n): each country's
   * nodes are appended to its ranking in one go, and where that stops, inserted.
   */
  private joinCountries(joined: readonly number[]): void {
    const list = this.main.list;
    const n = joined.length;
    // The nodes grouped by country (a counting sort: country numbers are bytes), in rank order.
    const country = new Uint8Array(n);
    const starts = new Int32Array(257);
    for (let i = 0; i < n; i++) starts[(country[i] = this.players.countryOf(list.slotOf(joined[i]!))) + 1]!++;
    if (starts[1] === n) return; // nobody has a country
    for (let c = 1; c <= 256; c++) starts[c]! += starts[c - 1]!;
    const at = starts.slice(0, 256);
    const nodes = new Int32Array(n);
    const scores = new Float64Array(n);
    const seqs = new Float64Array(n);
    const slots = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      if (country[i] === 0) continue;
      const node = joined[i]!;
      const j = at[country[i]!]!++;
      nodes[j] = node;
      scores[j] = list.scoreOf(node);
      seqs[j] = list.seqOf(node);
      slots[j] = list.slotOf(node);
    }
    const cnodes = new Int32Array(n);
    for (let c = 1; c < 256; c++) {
      const from = starts[c]!;
      const count = starts[c + 1]! - from;
      if (count === 0) continue;
      const ranking = this.countryRanking(c, count);
      const linked = ranking.appendRun(
        count,
        scores.subarray(from),
        seqs.subarray(from),
        slots.subarray(from),
        cnodes.subarray(from),
      );
      for (let j = from; j < from + count; j++) {
        list.setAux(
          nodes[j]!,
          j < from + linked ? cnodes[j]! : ranking.insert(scores[j]!, seqs[j]!, slots[j]!),
        );
      }
    }
  }

  /** O(1), O(capacity) when it makes one. A country's ranking, made (sized for `capacity`) if it has none yet. */
  private countryRanking(country: number, capacity: number): Ranking {
    let ranking = this.countries.get(country);
    if (!ranking) {
      ranking = new Ranking({ capacity, ...(this.random ? { random: this.random } : {}) });
      this.countries.set(country, ranking);
    }
    return ranking;
  }

  private joinCountry(node: number, slot: number, country: number): void {
    if (country === 0) return;
    const ranking = this.countryRanking(country, 16);
    const list = this.main.list;
    list.setAux(node, ranking.insert(list.scoreOf(node), list.seqOf(node), slot));
  }

  private leaveCountry(node: number, country: number): void {
    const cnode = this.main.list.auxOf(node);
    if (cnode === 0) return;
    const ranking = this.countries.get(country)!;
    ranking.remove(cnode);
    if (ranking.size === 0) this.countries.delete(country);
    this.main.list.setAux(node, 0);
  }

  private aroundNode(ranking: Ranking, position: number, size: number, style: RankStyle): BoardRow[] {
    const want = 2 * size + 1;
    const from = Math.max(1, Math.min(position - size, ranking.size - want + 1));
    return this.rows(ranking, from, want, style);
  }

  private rows(ranking: Ranking, from: number, count: number, style: RankStyle): BoardRow[] {
    const out: BoardRow[] = [];
    const list = ranking.list;
    ranking.walk(from, count, style, (node, rank) =>
      out.push(this.rowOf(list.slotOf(node), list.scoreOf(node), rank)),
    );
    return out;
  }

  private row(node: number, rank: number): BoardRow {
    const list = this.main.list;
    return this.rowOf(list.slotOf(node), list.scoreOf(node), rank);
  }

  private rowOf(slot: number, score: number, rank: number): BoardRow {
    const row: BoardRow = {
      user: this.players.idOf(slot),
      total: this.cfg.order === 'desc' ? score : 0 - score,
      rank,
    };
    const name = this.players.nameOf(slot);
    if (name !== undefined) row.name = name;
    const country = this.players.countryOf(slot);
    if (country !== 0) row.country = countryCode(country)!;
    return row;
  }
}

/** O(1). Bounds and window that cross are refused (BOARD_INVALID_CONFIG). */
export function checkConfig(c: BoardConfig): void {
  if (c.min !== null && c.max !== null && c.min > c.max) {
    throw new ScoreboardError(
      ErrorCode.BOARD_INVALID_CONFIG,
      `min (${c.min}) must not exceed max (${c.max}).`,
    );
  }
  if (c.start !== null && c.end !== null && c.start >= c.end) {
    throw new ScoreboardError(
      ErrorCode.BOARD_INVALID_CONFIG,
      `start (${isoOf(c.start)}) must come before end (${isoOf(c.end)}).`,
    );
  }
}

/** O(1). A reset schedule as answered: the calendar fields that apply to it. */
function resetView(r: ResetSchedule | null): ResetView {
  if (r === null) return null;
  if ('everySeconds' in r) return { everySeconds: r.everySeconds };
  const { every, at, timezone } = r;
  if (every === 'week') return { every, at, timezone, weekday: r.weekday };
  if (every === 'month') return { every, at, timezone, day: r.day };
  return { every, at, timezone };
}

/** O(1). A period as answered. */
function periodInfo(p: Period): { id: number; start: string; end: string | null } {
  return { id: p.id, start: isoOf(p.start), end: p.end === null ? null : isoOf(p.end) };
}
