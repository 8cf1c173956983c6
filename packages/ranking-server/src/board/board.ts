/**
 * A board: one named leaderboard, put together from one room per idea, and kept in step here:
 * - its rules and the one sign convention between totals and scores (rules.ts);
 * - the ranking of its entries, in the main ranking and within countries (entries.ts, countries.ts);
 * - its reads (reads.ts), answered as views.ts formats them;
 * - its periods and their archives (periods.ts, archive.ts), and its best-K history (history.ts).
 *
 * Writes arrive as records (a total with its tie-break sequence): the rules decided them before
 * (`resolve`, `checkOpen`). The board tells one listener (its change hook) the key of every
 * position a write leaves or takes, so a page cache knows what a write invalidates.
 *
 * Invariants, checked by number in {@link Board.checkValid}:
 * - B1 the main ranking is a valid skip list (order, spans, counts);
 * - B2 every player slot with an entry maps to its node, and every node to its slot;
 * - B3 an entry is in its player's country ranking exactly when the player has a country, with the
 *   same key; no country ranking is empty, and together they hold exactly the entries with one;
 * - B4 every player with best results has an entry; each list is best first, no result twice;
 * - B5 the finished periods come in id order, before the live one, at most `keep` of them.
 */
import { isoOf, nextBoundary } from '@scoreboard/calendar';
import type {
  BoardRow,
  BoardView,
  CountryCount,
  Entry,
  PeriodView,
  RankStyle,
  ResultView,
  Standing,
  UserId,
} from '@scoreboard/protocol';
import { movedCount, rewardIndex } from '@scoreboard/protocol';
import { ArchivedPeriod, type BanView, type Result } from './archive.js';
import { BoardEntries, type ChangeHook } from './entries.js';
import { BestResults } from './history.js';
import { Periods, type Period } from './periods.js';
import type { Players } from './players.js';
import { BoardReads, type Placement } from './reads.js';
import { Rules, signOf, type BoardConfig, type Held, type ScoreWrite } from './rules.js';
import type { Sequence } from './sequence.js';
import { Buckets } from './buckets.js';
import { Outcomes } from './outcomes.js';
import type { StoredHook } from '../records/index.js';
import { Participation } from './participation.js';
import type { RandomSource } from './skip-list.js';
import { boardView } from './views.js';

export { DEFAULT_CONFIG, checkConfig, type BoardConfig, type Held, type ScoreWrite } from './rules.js';
export type { Period } from './periods.js';
export type { ChangeHook } from './entries.js';
export { Sequence } from './sequence.js';

const ignore: ChangeHook = () => undefined;

/** A banned player's hidden entry: its total, subscore (0 without), tie-break sequence and metadata. */
interface HiddenEntry {
  total: number;
  subscore: number;
  seq: number;
  metadata?: Readonly<Record<string, unknown>>;
}

/** O(1). A hidden entry, without a `metadata` key when there is none. */
function hiddenEntry(
  total: number,
  subscore: number,
  seq: number,
  metadata: Readonly<Record<string, unknown>> | undefined,
): HiddenEntry {
  return metadata === undefined ? { total, subscore, seq } : { total, subscore, seq, metadata };
}

/** One named board. */
export class Board {
  private rules: Rules;
  private readonly entries: BoardEntries;
  private readonly reads: BoardReads;
  private readonly periodsOf: Periods;
  private readonly results = new BestResults();
  /** Joins and attempts of the live period. */
  readonly participation = new Participation();
  /** Bucket placements of the live period. */
  readonly buckets: Buckets;
  /** Whether a slot's player is banned now: their entry is hidden (see {@link hide}). */
  private readonly banned: (slot: number) => boolean;
  /** The bans by player id: finished periods hide banned players' rows. */
  private readonly bans: BanView | undefined;
  /**
   * The live entries of banned players, out of every ranking (so every read and rank is as if they
   * were absent), with what restores them: the key, the metadata, and the bucket's player id.
   */
  private readonly hidden = new Map<number, HiddenEntry>();
  /** The board's webhook and its delivery cursor (null: none). */
  webhook: StoredHook | null = null;
  /** Each player's tier index on a board with tiers, kept across periods (absent: the lowest). */
  readonly tierOf = new Map<UserId, number>();
  private changed: ChangeHook = ignore;

  /** O(capacity). `created` (epoch ms): its first period starts then; `everySeconds` counts from it. */
  constructor(
    readonly id: string,
    config: BoardConfig,
    private readonly players: Players,
    private readonly seq: Sequence,
    public created: number,
    options: {
      random?: RandomSource;
      capacity?: number;
      banned?: (slot: number) => boolean;
      bans?: BanView;
    } = {},
  ) {
    this.banned = options.banned ?? (() => false);
    this.bans = options.bans;
    this.rules = new Rules({ ...config });
    this.entries = new BoardEntries(players, () => this.changed, {
      ...options,
      subscores: config.subscore !== null,
    });
    this.buckets = new Buckets((slot) => {
      const node = this.entries.nodeOf(slot);
      if (node === undefined) return undefined;
      const list = this.entries.list;
      return { score: list.scoreOf(node), seq: list.seqOf(node), sub: list.subOf(node) };
    });
    // Rows of a board with buckets say each player's bucket: one lookup per row, none without.
    this.reads = new BoardReads(
      this.entries,
      players,
      () => this.rules,
      (slot) => (this.buckets.count === 0 ? undefined : this.buckets.bucketOf(players.idOf(slot))),
      (bucket) => this.tierName(bucket),
    );
    const end = config.reset ? nextBoundary(config.reset, created, created) : null;
    this.periodsOf = new Periods({ id: 1, start: created, end });
  }

  /** O(1). The live period. */
  get period(): Readonly<Period> {
    return this.periodsOf.current;
  }

  /** O(1). The board's rules. */
  get config(): Readonly<BoardConfig> {
    return this.rules.config;
  }

  /** O(1). Entries on the board. */
  get size(): number {
    return this.entries.size;
  }

  /** O(1). Sets the one listener told about every key a write moves (replacing any before). */
  setChangeHook(hook: ChangeHook): void {
    this.changed = hook;
  }

  /** O(archives). Takes the rules, creation time and live period a record says, as they are. */
  restoreConfig(config: BoardConfig, created: number, period: Period): void {
    // A smaller `history` trims the results kept at once, so a replay under it keeps the same.
    if (config.history < this.rules.config.history) this.results.trim(config.history);
    this.rules = new Rules({ ...config });
    // Only an empty board takes or drops a subscore (planPut refuses it otherwise).
    this.entries.setSubscores(config.subscore !== null);
    this.created = created;
    this.periodsOf.begin(period);
    this.periodsOf.trim(config.keep);
  }

  /** O(1). The board as answered at `now`. */
  view(now: number): BoardView {
    return boardView(
      this.id,
      this.config,
      this.rules,
      this.size,
      this.period,
      now,
      this.participation.players,
    );
  }

  /** O(1). BOARD_CLOSED (with when it opens) for a write at `now` outside the open window. */
  checkOpen(now: number): void {
    this.rules.checkOpen(this.id, now);
  }

  /** O(1). The total and subscore a write would leave under the rules, or a refusal (see {@link Rules.resolve}). */
  resolve(current: Held | undefined, write: ScoreWrite): Held | undefined {
    return this.rules.resolve(current, write);
  }

  /** O(1). The player's total and subscore here (0 without subscores), shown or hidden (a ban), if any. */
  heldOf(slot: number): Held | undefined {
    const node = this.entries.nodeOf(slot);
    if (node === undefined) {
      const h = this.hidden.get(slot);
      return h && { total: h.total, subscore: h.subscore };
    }
    const list = this.entries.list;
    return { total: this.rules.total(list.scoreOf(node)), subscore: this.rules.subscore(list.subOf(node)) };
  }

  /** O(1). True when the player has an entry here. */
  has(slot: number): boolean {
    return this.entries.nodeOf(slot) !== undefined;
  }

  /** O(1). The player's current total here, if on the board (a banned player's hidden entry too: their writes resolve against it). */
  totalOf(slot: number): number | undefined {
    const node = this.entries.nodeOf(slot);
    if (node !== undefined) return this.rules.total(this.entries.list.scoreOf(node));
    return this.hidden.get(slot)?.total;
  }

  /**
   * O(log n + s). Takes a banned player's entry out of every ranking (the board's, its country's,
   * its bucket's), keeping its key and metadata to show it again; whether there was one.
   */
  hide(slot: number): boolean {
    const node = this.entries.nodeOf(slot);
    if (node === undefined) return false;
    // Kept as a total: the board's order may change while it has no entry shown.
    const list = this.entries.list;
    const total = this.rules.total(list.scoreOf(node));
    const subscore = this.rules.subscore(list.subOf(node));
    this.hidden.set(slot, hiddenEntry(total, subscore, list.seqOf(node), this.entries.metaOf(slot)));
    this.buckets.leave(this.players.idOf(slot), slot);
    // A hidden entry still holds the player here: held before the entry goes, so a player with
    // nothing else (no profile, no other board) keeps their slot.
    this.players.join(slot);
    this.entries.remove(slot);
    return true;
  }

  /** O(log n + s). Shows a hidden entry again, at the same key, with its metadata; whether there was one. */
  unhide(slot: number): boolean {
    const hidden = this.hidden.get(slot);
    if (hidden === undefined) return false;
    this.hidden.delete(slot);
    this.entries.place(slot, this.rules.score(hidden.total), hidden.seq, this.rules.sub(hidden.subscore));
    this.players.leave(slot); // the entry holds the player again, not the hidden one
    this.entries.setMeta(slot, hidden.metadata);
    this.buckets.enter(this.players.idOf(slot), slot);
    return true;
  }

  /** O(1). A banned player's hidden entry as exported (total, subscore on a board with one, metadata), or undefined. */
  hiddenOf(
    slot: number,
  ): { total: number; subscore?: number; metadata?: Record<string, unknown> } | undefined {
    const h = this.hidden.get(slot);
    if (!h) return undefined;
    return {
      total: h.total,
      ...(this.rules.subscores ? { subscore: h.subscore } : {}),
      ...(h.metadata === undefined ? {} : { metadata: { ...h.metadata } }),
    };
  }

  /** O(history). A player's best results here whatever their entry (a hidden one's too), as answered. */
  historyOf(slot: number): ResultView[] {
    return this.results.of(slot).map((r) => {
      const view: ResultView = { total: r.total, at: isoOf(r.at) };
      if (r.metadata !== undefined) view.metadata = r.metadata;
      return view;
    });
  }

  /** O(1). Whether the player has an entry here, shown or hidden (a ban): what holds their slot. */
  holds(slot: number): boolean {
    return this.has(slot) || this.hidden.has(slot);
  }

  /** O(1). Whether the player has a hidden entry here (a ban). */
  isHidden(slot: number): boolean {
    return this.hidden.has(slot);
  }

  /** O(hidden). The hidden entries as (slot, entry, best results), for snapshots. */
  *hiddenEntries(): Generator<[number, Readonly<HiddenEntry>, readonly Result[]]> {
    for (const [slot, h] of this.hidden) yield [slot, h, this.results.of(slot)];
  }

  /**
   * O(log n). Puts a player at exactly (total, seq) — and `subscore` on a board with one — as a
   * SCORE record says (twice: the same board), with the metadata of the write that earned it (a
   * SCORE_META record), or none.
   */
  restore(
    slot: number,
    total: number,
    seq: number,
    metadata?: Readonly<Record<string, unknown>>,
    subscore = 0,
  ): void {
    if (this.banned(slot)) {
      // A banned player's write moves their hidden entry: no ranking sees it.
      if (this.has(slot)) this.hide(slot);
      else if (!this.hidden.has(slot)) this.players.join(slot);
      this.hidden.set(slot, hiddenEntry(total, subscore, seq, metadata));
      this.seq.passed(seq);
      return;
    }
    const user = this.players.idOf(slot);
    this.buckets.leave(user, slot);
    this.entries.place(slot, this.rules.score(total), seq, this.rules.sub(subscore));
    this.buckets.enter(user, slot);
    this.entries.setMeta(slot, metadata);
    this.seq.passed(seq);
  }

  /** O(1). The metadata of a player's entry, or undefined. */
  metaOf(slot: number): Readonly<Record<string, unknown>> | undefined {
    return this.entries.metaOf(slot);
  }

  /** O(1). Sets the metadata of a player's entry (an ENTRY_META record of a snapshot); no entry: nothing. */
  restoreMeta(slot: number, metadata: Readonly<Record<string, unknown>>): void {
    this.entries.setMeta(slot, metadata);
  }

  /** O(n) for a run in rank order (a snapshot's, an import's), O(n log n) otherwise; see {@link BoardEntries.placeRun}. */
  restoreRun(slots: Int32Array, totals: Float64Array, seqs: Float64Array, subscores?: Float64Array): void {
    // Placements read back before these entries (a fuzzy snapshot's order) follow them.
    const placed = this.buckets.count > 0;
    if (placed) for (const slot of slots) this.buckets.leave(this.players.idOf(slot), slot);
    this.entries.placeRun(
      slots,
      totals.map((t) => this.rules.score(t)),
      seqs,
      subscores?.map((s) => this.rules.sub(s)),
    );
    if (placed) for (const slot of slots) this.buckets.enter(this.players.idOf(slot), slot);
    let maxSeq = -1;
    for (const s of seqs) if (s > maxSeq) maxSeq = s;
    if (maxSeq >= 0) this.seq.passed(maxSeq);
  }

  /** O(n) once, when it needs more room. Makes room for `entries` entries in all (a hint). */
  reserve(entries: number): void {
    this.entries.reserve(entries);
  }

  /** O(log n). Removes a player's entry and results (erasure); answers whether there was an entry. */
  remove(slot: number): boolean {
    this.buckets.leave(this.players.idOf(slot), slot);
    this.results.delete(slot);
    const hidden = this.hidden.delete(slot);
    if (hidden) this.players.leave(slot);
    return this.entries.remove(slot) || hidden;
  }

  /** O(n). Removes every entry, result, join and attempt; answers how many entries there were. */
  reset(): number {
    for (const slot of this.hidden.keys()) this.players.leave(slot, true);
    this.hidden.clear();
    this.results.clear();
    this.participation.clear();
    this.buckets.clear();
    return this.entries.clear();
  }

  /** O(log n). Moves a player's entry from one country's ranking to another's (0: none). */
  moveCountry(slot: number, from: number, to: number): void {
    this.entries.moveCountry(slot, from, to);
  }

  /** O(1). Tells the change hook that the player's row is shown differently (a new name). */
  touch(slot: number): void {
    this.entries.touch(slot);
  }

  /** O(log n), O(1) right after the entry was placed. A player's ordinal rank (on the board). */
  rankOf(slot: number): number {
    const node = this.entries.nodeOf(slot);
    if (node !== undefined) return this.entries.list.rankOf(node);
    // A hidden entry's rank as if it were shown (what a banned player's write answers).
    const hidden = this.hidden.get(slot)!;
    const { rules } = this;
    const after = this.entries.list.firstAfter(
      rules.score(hidden.total),
      hidden.seq,
      rules.sub(hidden.subscore),
    );
    return after === 0 ? this.size + 1 : this.entries.list.rankOf(after);
  }

  /** O(log n). The key (score, seq, sub) at 1-based `rank`, or undefined past the end: what a page cache watches. */
  sortKeyAt(rank: number): { score: number; seq: number; sub: number } | undefined {
    return this.entries.sortKeyAt(rank);
  }

  /**
   * O(1) per step while unchanged. Every (slot, total, seq, live results, subscore) in rank order,
   * live, for snapshots (see {@link BoardEntries.walk}: an entry that moves during the walk is in
   * the log).
   */
  *states(): Generator<[number, number, number, readonly Result[], number]> {
    for (const [slot, score, seq, sub] of this.entries.walk()) {
      yield [slot, this.rules.total(score), seq, this.results.of(slot), this.rules.subscore(sub)];
    }
  }

  // ---------------------------------------------------------------- reads (reads.ts)

  /** See {@link BoardReads.plain}. */
  plain(from: number, count: number): Entry[] {
    return this.reads.plain(from, count);
  }
  /** See {@link BoardReads.top}. */
  top(n: number, style: RankStyle): BoardRow[] {
    return this.reads.top(n, style);
  }
  /** See {@link BoardReads.window}. */
  window(position: number, scope: number, style: RankStyle): BoardRow[] {
    return this.reads.window(position, scope, style);
  }
  /** See {@link BoardReads.standing}. */
  standing(slot: number, style: RankStyle): Standing | undefined {
    return this.reads.standing(slot, style);
  }
  /** See {@link BoardReads.placement}. */
  placement(slot: number, style: RankStyle): Placement | undefined {
    return this.reads.placement(slot, style);
  }
  /** See {@link BoardReads.around}. */
  around(slot: number, size: number, style: RankStyle): BoardRow[] | undefined {
    return this.reads.around(slot, size, style);
  }
  /** See {@link BoardReads.rowsOf}. */
  rowsOf(slots: readonly number[], style: RankStyle): BoardRow[] {
    return this.reads.rowsOf(slots, style);
  }
  /** See {@link BoardReads.range}. */
  range(min: number, max: number, limit: number, style: RankStyle): { count: number; entries: BoardRow[] } {
    return this.reads.range(min, max, limit, style);
  }
  /** See {@link BoardReads.countryCounts}. */
  countryCounts(): CountryCount[] {
    return this.reads.countryCounts();
  }
  /** See {@link BoardReads.countryTop}. */
  countryTop(country: number, n: number, style: RankStyle): BoardRow[] {
    return this.reads.countryTop(country, n, style);
  }
  /** See {@link BoardReads.countryAround}. */
  countryAround(country: number, slot: number, size: number, style: RankStyle): BoardRow[] | undefined {
    return this.reads.countryAround(country, slot, size, style);
  }

  // ---------------------------------------------------------------- periods and results

  /**
   * O(n + players' results). Ends the live period at `at`: its rows and results become a finished
   * period (unless it holds nothing), the board empties, and period `next` begins.
   */
  closePeriod(at: number, next: Period): void {
    if (this.size > 0 || this.results.size > 0) {
      const live = this.period;
      const { subscore } = this.config;
      const subOrder = subscore && subscore.order;
      const period = new ArchivedPeriod(live.id, live.start, at, this.rules.sign, subOrder, this.bans);
      // One walk of the ranking (memory-bound on a large board): the rows, kept in order for the results.
      const n = this.size;
      const ranked = { slots: new Int32Array(n), scores: new Float64Array(n), subs: new Float64Array(n) };
      let k = 0;
      this.entries.forEach((slot, score, sub) => {
        ranked.slots[k] = slot;
        ranked.subs[k] = sub;
        ranked.scores[k++] = score;
        const user = this.players.idOf(slot);
        period.push(user, this.rules.total(score), this.players.countryOf(slot), this.rules.subscore(sub));
        // A row keeps the metadata of the write that earned its total.
        const metadata = this.entries.metaOf(slot);
        if (metadata !== undefined) period.metadata.set(user, metadata);
      });
      // A finished period keeps each result's total and time (its log records hold no more).
      for (const [slot, results] of this.results.entries())
        period.results.set(
          this.players.idOf(slot),
          results.map(({ total, at, seq }) => ({ total, at, seq })),
        );
      period.outcomes = this.outcomes(ranked);
      this.advanceTiers(period.outcomes);
      this.periodsOf.keep(period);
    }
    this.reset();
    this.periodsOf.begin(next);
    this.periodsOf.trim(this.config.keep);
  }

  /**
   * O(n + bands). The live period's results as they stand (see {@link Outcomes}): with buckets,
   * each bucket in turn with its ranks inside it; without, the board's order (`ranked`: its slots,
   * scores and subs, best first) with ordinal ranks. On a board with a subscore each says it.
   */
  private outcomes(ranked: { slots: Int32Array; scores: Float64Array; subs: Float64Array }): Outcomes {
    const { rewards, tiers } = this.config;
    const subscored = this.rules.subscores;
    const out = new Outcomes(tiers && tiers.map((t) => t.name), rewards, subscored);
    const push = (
      slot: number,
      score: number,
      sub: number,
      rank: number,
      bucket: number,
      tier = -1,
      next = -1,
    ): void => {
      const total = this.rules.total(score);
      const user = this.players.idOf(slot);
      const reward = rewardIndex(rewards, rank);
      const subscore = subscored ? { subscore: this.rules.subscore(sub) } : {};
      out.push({ user, total, ...subscore, rank, bucket, tier, next, reward });
    };
    if (this.buckets.count > 0) {
      // By tier (low to high), then bucket, then rank; without tiers, one tier of every bucket.
      const top = tiers === null ? 0 : tiers.length - 1;
      for (let tier = 0; tier <= top; tier++) {
        for (let bucket = 1; bucket <= this.buckets.count; bucket++) {
          if (Math.min(this.buckets.tierOf(bucket), top) !== tier) continue;
          const members = this.buckets.members(bucket);
          const moves = this.movesOf(tier, top, members.length, bucket);
          members.forEach((slot, i) => {
            const node = this.entries.nodeOf(slot)!;
            const { list } = this.entries;
            const [score, sub] = [list.scoreOf(node), list.subOf(node)];
            if (tiers === null) return push(slot, score, sub, i + 1, bucket);
            const next = i < moves.up ? tier + 1 : i >= members.length - moves.down ? tier - 1 : tier;
            push(slot, score, sub, i + 1, bucket, tier, next);
          });
        }
      }
    } else {
      for (let i = 0; i < ranked.slots.length; i++)
        push(ranked.slots[i]!, ranked.scores[i]!, ranked.subs[i]!, i + 1, 0);
    }
    return out;
  }

  /**
   * O(1). How many of a bucket of `ranked` players in `tier` (of 0 … `top`) move up and down: the
   * tier's own `promote`/`relegate`, else the board's. The top tier promotes nobody, the lowest
   * relegates nobody, and promotion comes first: nobody moves both ways.
   */
  private movesOf(tier: number, top: number, ranked: number, bucket: number): { up: number; down: number } {
    const { tiers, promote, relegate } = this.config;
    const size = this.config.bucket?.size;
    const full = size !== undefined && this.buckets.sizeOf(bucket) >= size;
    const up = tier === top ? 0 : movedCount(tiers?.[tier]?.promote ?? promote, ranked, full);
    const down = tier === 0 ? 0 : movedCount(tiers?.[tier]?.relegate ?? relegate, ranked, full);
    return { up, down: Math.min(down, ranked - up) };
  }

  /** O(results). Each player with a result plays the next period in their next tier. */
  private advanceTiers(outcomes: Outcomes): void {
    if (outcomes.tiers === null) return;
    for (const [user, next] of outcomes.nextTiers()) {
      if (next < 0) continue;
      if (next === 0) this.tierOf.delete(user);
      else this.tierOf.set(user, next);
    }
  }

  /**
   * O(1). The tier index a player plays in now: 0 (the lowest) without tiers or a tier of their
   * own; the top one when the tiers have shrunk below theirs.
   */
  tierIndexOf(user: UserId): number {
    const tiers = this.config.tiers;
    return tiers === null ? 0 : Math.min(this.tierOf.get(user) ?? 0, tiers.length - 1);
  }

  /** O(1). The name of a bucket's tier, or undefined on a board without tiers. */
  tierName(bucket: number): string | undefined {
    const tiers = this.config.tiers;
    return tiers === null ? undefined : tiers[Math.min(this.buckets.tierOf(bucket), tiers.length - 1)]!.name;
  }

  /** O(s). Places a player in `bucket` in their tier (a PLACED record; again changes nothing). */
  place(user: UserId, bucket: number, slot: number | undefined): void {
    this.buckets.assign(user, bucket, slot, this.tierIndexOf(user));
  }

  /** O(1). The bucket a player placed now would go to (the board has buckets of `size`). */
  nextBucket(user: UserId, size: number): number {
    return this.buckets.nextFor(size, this.tierIndexOf(user));
  }

  /**
   * O(n). A period's end read back over a fuzzy snapshot, which may have walked this board after the
   * end: nothing when the live period is already `next` or later; only emptying and moving on when
   * the finished period is already held; else the period closes as it did when it ran.
   */
  restoreClose(at: number, next: Period): void {
    if (this.period.id >= next.id) return;
    const finished = this.periodsOf.finished(this.period.id);
    if (finished === undefined) return this.closePeriod(at, next);
    // The tiers the snapshot holds may be from before the end: the results say the ones after.
    if (finished.outcomes) this.advanceTiers(finished.outcomes);
    this.reset();
    this.periodsOf.begin(next);
    this.periodsOf.trim(this.config.keep);
  }

  /** O(1). A finished period read back from a snapshot, in the order the board had then. */
  restoreArchive(
    id: number,
    start: number,
    end: number,
    order: 'desc' | 'asc',
    subOrder: 'desc' | 'asc' | null = null,
  ): ArchivedPeriod {
    return this.periodsOf.restore(id, start, end, signOf(order), subOrder, this.bans);
  }

  /** O(periods). A finished period kept readable, by id. */
  archivedPeriod(id: number): ArchivedPeriod | undefined {
    return this.periodsOf.finished(id);
  }

  /** O(periods). Every period, the live one first, then the finished ones newest first. */
  periods(): PeriodView[] {
    return this.periodsOf.views(this.size);
  }

  /** O(1) per step. The finished periods, oldest first (snapshots). */
  archives(): readonly ArchivedPeriod[] {
    return this.periodsOf.all();
  }

  /** O(periods · n). True when a finished period holds a row or results of the player. */
  holdsArchived(user: UserId): boolean {
    return this.periodsOf.holds(user);
  }

  /** O(periods · n). Removes a player from every finished period (erasure); true if it was in one. */
  eraseArchived(user: UserId): boolean {
    return this.periodsOf.erase(user);
  }

  /** O(history). Records a result of a player in the live period (see {@link BestResults.add}), with the write's metadata. */
  addResult(
    slot: number,
    total: number,
    at: number,
    seq: number,
    metadata?: Readonly<Record<string, unknown>>,
  ): void {
    const result: Result = { total, at, seq };
    if (metadata !== undefined) result.metadata = metadata;
    this.results.add(slot, result, this.config.history, this.rules);
  }

  /** O(history). A player's best results in the live period, or undefined when not on the board. */
  history(slot: number): ResultView[] | undefined {
    return this.has(slot) ? this.historyOf(slot) : undefined;
  }

  /** O(n log n). Checks invariants B1–B5 (see the header); throws naming the first broken. For tests. */
  checkValid(): void {
    const check = (invariant: string, fn: () => void): void => {
      try {
        fn();
      } catch (err) {
        throw new Error(`${this.id}: ${invariant}: ${(err as Error).message}`);
      }
    };
    this.entries.checkValid(check); // B1–B3
    check('B4', () => this.results.checkValid(this.rules, (slot) => this.holds(slot)));
    check('B5', () => this.periodsOf.checkValid(this.config.keep));
  }
}
