/**
 * Everything the ranking server owns: the boards and players, their pages' cache, and the
 * idempotency keys. It is what the store loads into and snapshots (a {@link Replayable}): the one
 * place that knows what each log record means.
 */
import { createHash } from 'node:crypto';
import { DEFAULT_BOARD, type UserId } from '@scoreboard/protocol';
import type { Board } from '../board/board.js';
import { Leaderboards } from '../board/leaderboards.js';
import type { RandomSource } from '../board/skip-list.js';
import {
  RecordType,
  encodeRecord,
  readRecord,
  type ChangeRecord,
  type LogRecord,
  type ParticipantRun,
  type PlacementRun,
  type TierRun,
  type StoredProfile,
} from '../records/index.js';
import type { SnapshotSource } from '../persistence/snapshot.js';
import type { Replayable } from '../persistence/store.js';
import { boardFromRecord, boardRecord } from './board-records.js';
import { IdempotencyStore } from './idempotency.js';
import { KeyRing } from './key-ring.js';
import { ShardState, type ShardHeader } from '../shards/shard-state.js';
import { PageCaches } from './top-pages.js';
import { Outcomes } from '../board/outcomes.js';
import type { DeliveryStatus } from '../commands/webhooks.js';

/** Rows of a finished period per snapshot record. */
const ARCHIVE_CHUNK = 10_000;
/** Entries, or profiles, per snapshot record. */
const RUN = 4096;

/** Boards with at least this many entries get a size hint in a snapshot's header. */
const SIZE_HINT_FROM = 4 * RUN;

/** What a snapshot's header says of the sizes to reserve when it is loaded. */
interface SizeHints {
  players?: number;
  ids?: number;
  boards?: Record<string, number>;
}

/** What a snapshot's header keeps of the state besides its records, as the walk began. */
export interface SnapshotState extends ShardHeader {
  /** Each board's live period (see {@link RankingState.snapshotLoaded}). */
  periods?: Record<string, number>;
  /** The API key table's version. */
  keyVersion?: number;
  /** Sizes to reserve when loading (hints: the walk is fuzzy). */
  sizes?: SizeHints;
}

/** How big the state may grow, and knobs for tests. */
export interface StateOptions {
  maxBoards: number;
  maxPlayers: number;
  random?: RandomSource;
  capacity?: number;
  idempotency?: IdempotencyStore;
  /** Entries or profiles per snapshot record (default {@link RUN}); small in tests, so walks interleave with writes. */
  snapshotRun?: number;
  /** Shards in the deployment: the shard map a fresh data folder starts with (default 1). */
  shards?: number;
  /** This server's index among them (default 0). */
  shard?: number;
  /** What a banned player's writes get: `accept` (default; applied, hidden) or `refuse` (PLAYER_BANNED). */
  banWrites?: 'accept' | 'refuse';
}

/** The ranking server's state. */
export class RankingState implements Replayable<SnapshotState> {
  readonly data: Leaderboards;
  readonly pages = new PageCaches();
  /** Webhook deliveries' state since this server started, by board. */
  readonly deliveries = new Map<string, DeliveryStatus>();
  readonly idempotency: IdempotencyStore;
  /** The API keys. */
  readonly apiKeys = new KeyRing();
  /** This shard's index, shard map and frozen boards. */
  readonly shard: ShardState;
  /** Boards whose log records are skipped until a period's end (see {@link snapshotLoaded}). */
  private readonly stale = new Map<string, number>();
  /** Each big board's size as the snapshot being loaded said, until its first run of entries. */
  private sizeHints = new Map<string, number>();

  private readonly run: number;

  /** O(capacity). Starts with the default board. */
  constructor(options: StateOptions) {
    this.run = options.snapshotRun ?? RUN;
    this.shard = new ShardState(options.shard ?? 0, options.shards ?? 1);
    this.data = new Leaderboards(options);
    this.data.onBoardCreated((board) => this.pages.attach(board));
    this.idempotency = options.idempotency ?? new IdempotencyStore();
  }

  /** O(1). The default board (the original routes' board). */
  get defaultBoard(): Board {
    return this.data.defaultBoard;
  }

  /**
   * O(log n) per change. THE state change: every change of the server's state is the application
   * of a record — a command's handler decides, checks and builds the record, then applies it here
   * (and the engine logs it); a restart replays the log through here; a standby will apply shipped
   * records through here. Applying a record twice leaves the same state.
   */
  apply(rec: LogRecord): void {
    this.applyRecord(rec, false);
  }

  /**
   * O(log n) per change. {@link apply} for a record read back from a snapshot or the log: the
   * records a fuzzy snapshot already holds (see {@link snapshotLoaded}) are skipped.
   */
  replay(rec: LogRecord): void {
    this.applyRecord(rec, true);
  }

  private applyRecord(rec: LogRecord, replaying: boolean): void {
    switch (rec.type) {
      case RecordType.Batch:
        for (const inner of rec.records) this.applyChange(inner, replaying);
        if (rec.key) this.idempotency.remember(rec.key, rec.at);
        break;
      case RecordType.Answer:
        this.idempotency.remember(rec.key, rec.at);
        break;
      case RecordType.Bans:
        rec.run.users.forEach((user, i) => this.data.ban(user, rec.run.reasons[i]!, rec.run.ats[i]!));
        break;
      case RecordType.Profiles:
        rec.run.users.forEach((user, i) => this.data.writeProfile(user, rec.run.profiles[i]!, true));
        break;
      case RecordType.Entries:
      case RecordType.SubEntries:
        this.restoreEntries(rec);
        break;
      case RecordType.EntryMeta: {
        const slot = this.data.players.slotOf(rec.user);
        if (slot !== undefined) this.data.board(rec.board).restoreMeta(slot, rec.metadata);
        break;
      }
      case RecordType.Placements: {
        const buckets = this.data.board(rec.board).buckets;
        const { users, buckets: placed, tiers, last, lasts } = rec.run;
        const players = this.data.players;
        users.forEach((user, i) => buckets.assign(user, placed[i]!, players.slotOf(user), tiers?.[i] ?? 0));
        if (lasts) for (const [tier, bucket] of lasts) buckets.opened(last, tier, bucket);
        else buckets.opened(last);
        break;
      }
      case RecordType.Tiers: {
        const tierOf = this.data.board(rec.board).tierOf;
        rec.run.users.forEach((user, i) => tierOf.set(user, rec.run.tiers[i]!));
        break;
      }
      case RecordType.Participants: {
        const taking = this.data.board(rec.board).participation;
        rec.run.users.forEach((user, i) => {
          if (rec.run.joined[i] === 1) taking.join(user);
          taking.setAttempts(user, rec.run.attempts[i]!);
        });
        break;
      }
      case RecordType.Archive:
        this.data.board(rec.board).restoreArchive(rec.id, rec.start, rec.end, rec.order).append(rec.rows);
        break;
      case RecordType.ArchiveSub:
        this.data
          .board(rec.board)
          .restoreArchive(rec.id, rec.start, rec.end, rec.order, rec.subOrder)
          .append(rec.rows);
        break;
      case RecordType.PeriodResults: {
        const period = this.data.board(rec.board).archivedPeriod(rec.id);
        const subscored = rec.run.subscores !== undefined;
        if (period)
          (period.outcomes ??= new Outcomes(rec.run.tiers, rec.run.rewards, subscored)).append(rec.run);
        break;
      }
      case RecordType.ArchiveMeta:
        this.data.board(rec.board).archivedPeriod(rec.id)?.metadata.set(rec.user, rec.metadata);
        break;
      case RecordType.ArchivedResults: {
        const results = rec.results.map((r) => ({ ...r, seq: 0 }));
        this.data.board(rec.board).archivedPeriod(rec.id)?.results.set(rec.user, results);
        break;
      }
      case RecordType.End:
        break;
      case RecordType.Set: // the first version's single board: now the default board
        this.restore(DEFAULT_BOARD, rec.user, rec.total, rec.seq);
        if (rec.key) this.rememberEntry(rec.key, rec.user, rec.total, rec.at);
        break;
      case RecordType.Reset:
        this.data.defaultBoard.reset();
        break;
      case RecordType.Key:
        this.rememberEntry(rec.key, rec.user, rec.total, rec.at);
        break;
      default:
        this.applyChange(rec, replaying);
    }
  }

  /** O(1). Makes the next tie-break sequence at least `seq` (a snapshot's header). */
  advanceSeq(seq: number): void {
    this.data.seq.atLeast(seq);
  }

  /**
   * O(1). What a snapshot holds, as live record iterators: every profile, then each board's
   * configuration followed by its entries, then the remembered keys.
   */
  snapshotSource(): SnapshotSource<SnapshotState> {
    const { data, idempotency, apiKeys, run } = this;
    const boardRecords = (board: Board): Generator<LogRecord> => this.boardRecords(board);
    // Boards created after the walk begins are wholly in the newer log generations.
    const boards = data.list();
    const periods = Object.fromEntries(boards.map((b) => [b.id, b.period.id]));
    // The profiles as they are now, however late the walk reads them (see Players.profiles).
    const walk = data.players.profiles();
    function* records(): Generator<LogRecord> {
      let users: UserId[] = [];
      let profiles: StoredProfile[] = [];
      for (const [user, fields] of walk) {
        users.push(user);
        profiles.push(fields as StoredProfile);
        if (users.length === run) {
          yield { type: RecordType.Profiles, run: { users, profiles } };
          users = [];
          profiles = [];
        }
      }
      if (users.length > 0) yield { type: RecordType.Profiles, run: { users, profiles } };
      // Before the boards: their banned players' entries are read back hidden.
      if (data.bans.size > 0) {
        const bans = [...data.bans];
        yield {
          type: RecordType.Bans,
          run: {
            users: bans.map(([u]) => u),
            reasons: bans.map(([, b]) => b.reason),
            ats: bans.map(([, b]) => b.at),
          },
        };
      }
      for (const board of boards) yield* boardRecords(board);
      for (const key of apiKeys.stored()) yield { type: RecordType.KeyPut, at: key.created, key };
      for (const [key, e] of idempotency.entries()) {
        yield {
          type: RecordType.Answer,
          at: e.at,
          key: { key, fingerprint: e.fingerprint, answer: e.answer },
        };
      }
    }
    const keyVersion = apiKeys.version;
    const shard = this.shard.header();
    // Sizes to reserve at load (hints: the walk is fuzzy), for boards big enough to grow a lot.
    const sizes = {
      ...data.players.sizes,
      boards: Object.fromEntries(boards.filter((b) => b.size >= SIZE_HINT_FROM).map((b) => [b.id, b.size])),
    };
    return {
      records: records(),
      nextSeq: () => data.seq.next,
      state: () => ({ periods, keyVersion, sizes, ...shard }),
    };
  }

  /**
   * O(n of the board). A board's records as a snapshot holds them: its configuration, its entries
   * in rank order (in runs), its finished periods. Live: a run is read in one step of the walk.
   */
  *boardRecords(board: Board): Generator<LogRecord> {
    const { data, run } = this;
    yield boardRecord(board, 0);
    if (board.webhook)
      yield { type: RecordType.Webhook, at: 0, board: board.id, hook: structuredClone(board.webhook) };
    const states = board.states();
    for (let step = states.next(); !step.done;) {
      const users: UserId[] = [];
      const totals: number[] = [];
      const seqs: number[] = [];
      const subscores: number[] = [];
      const counts: number[] = [];
      const results: number[] = [];
      const metas: LogRecord[] = [];
      for (; !step.done && users.length < run; step = states.next()) {
        const [slot, total, seq, kept, subscore] = step.value;
        const metadata = board.metaOf(slot);
        if (metadata !== undefined)
          metas.push({
            type: RecordType.EntryMeta,
            board: board.id,
            user: data.players.idOf(slot),
            metadata,
          });
        for (const r of kept) {
          if (r.metadata === undefined) continue;
          metas.push({
            type: RecordType.ResultMeta,
            at: r.at,
            board: board.id,
            user: data.players.idOf(slot),
            total: r.total,
            seq: r.seq,
            metadata: r.metadata,
          });
        }
        users.push(data.players.idOf(slot));
        totals.push(total);
        seqs.push(seq);
        subscores.push(subscore);
        counts.push(kept.length);
        for (const r of kept) results.push(r.total, r.at, r.seq);
      }
      const entries = {
        users,
        totals: Float64Array.from(totals),
        seqs: Float64Array.from(seqs),
        resultCounts: Uint16Array.from(counts),
        results: Float64Array.from(results),
      };
      yield board.config.subscore === null
        ? { type: RecordType.Entries, board: board.id, run: entries }
        : {
            type: RecordType.SubEntries,
            board: board.id,
            run: { ...entries, subscores: Float64Array.from(subscores) },
          };
      yield* metas;
    }
    yield* participantRecords(board, run);
    // Banned players' hidden entries, with their best results (a BANS record came first).
    for (const [slot, { total, subscore, seq, metadata }, kept] of board.hiddenEntries()) {
      const user = data.players.idOf(slot);
      const entry = { at: 0, board: board.id, user, total, seq };
      yield board.config.subscore !== null
        ? { type: RecordType.ScoreSub, ...entry, subscore, metadata: metadata ?? null }
        : metadata === undefined
          ? { type: RecordType.Score, ...entry }
          : { type: RecordType.ScoreMeta, ...entry, metadata };
      for (const r of kept) {
        const result = { at: r.at, board: board.id, user, total: r.total, seq: r.seq };
        yield r.metadata === undefined
          ? { type: RecordType.Result, ...result }
          : { type: RecordType.ResultMeta, ...result, metadata: r.metadata };
      }
    }
    yield* tierRecords(board, run);
    yield* placementRecords(board, run);
    for (const period of board.archives()) {
      const { id, start, end, order, subOrder } = period;
      for (const rows of period.chunks(ARCHIVE_CHUNK)) {
        yield subOrder === null
          ? { type: RecordType.Archive, board: board.id, id, start, end, order, rows }
          : {
              type: RecordType.ArchiveSub,
              board: board.id,
              id,
              start,
              end,
              order,
              subOrder,
              rows: rows.map((r) => ({ ...r, subscore: r.subscore ?? 0 })),
            };
      }
      for (const [user, metadata] of period.metadata) {
        yield { type: RecordType.ArchiveMeta, board: board.id, id, user, metadata };
      }
      for (const run of period.outcomes?.chunks(ARCHIVE_CHUNK) ?? []) {
        yield { type: RecordType.PeriodResults, board: board.id, id, run };
      }
      for (const [user, results] of period.results) {
        const plain = results.map((r) => ({ total: r.total, at: r.at }));
        yield { type: RecordType.ArchivedResults, board: board.id, id, user, results: plain };
      }
    }
  }

  /**
   * O(n of the board + keys). A board whole, as framed records (see {@link boardRecords}),
   * followed by every remembered idempotency key: a retry of a write acknowledged here may reach
   * the board's next shard. BOARD_NOT_FOUND when it is not held.
   */
  exportBoard(id: string): { records: Buffer; entries: number } {
    const board = this.data.board(id);
    const parts: Buffer[] = [];
    for (const rec of this.boardRecords(board)) parts.push(encodeRecord(rec));
    for (const [key, e] of this.idempotency.entries()) {
      const answer = { key, fingerprint: e.fingerprint, answer: e.answer };
      parts.push(encodeRecord({ type: RecordType.Answer, at: e.at, key: answer }));
    }
    return { records: Buffer.concat(parts), entries: board.size };
  }

  /**
   * O(bytes). The records of an export, checked: every one whole and importable, the board's
   * configuration first. Throws RangeError naming the first fault.
   */
  static readExport(board: string, bytes: Buffer): LogRecord[] {
    const records: LogRecord[] = [];
    for (let at = 0; at < bytes.length;) {
      const read = readRecord(bytes, at);
      if (read.kind !== 'record') throw new RangeError(`the export is ${read.kind} at byte ${at}`);
      records.push(read.record);
      at = read.next;
    }
    const first = records[0];
    if (first?.type !== RecordType.Board || first.board !== board) {
      throw new RangeError(`an export of board "${board}" starts with its configuration`);
    }
    // The same check a log's IMPORT record gets when it is read back.
    const whole = readRecord(encodeRecord({ type: RecordType.Import, at: 0, board, records }), 0);
    if (whole.kind !== 'record')
      throw new RangeError(`the export ${whole.kind === 'corrupt' ? whole.reason : 'is cut'}`);
    return records;
  }

  /** O(players + ids) once. Sizes the player tables and remembers each board's size, from a snapshot's header. */
  snapshotHeader(state: SnapshotState | undefined): void {
    const sizes = state?.sizes;
    if (!sizes) return;
    // Hints, never trusted past the caps: a damaged header must not ask for terabytes.
    const cap = (n: unknown, max: number): number =>
      typeof n === 'number' && Number.isFinite(n) && n > 0 ? Math.min(Math.floor(n), max) : 0;
    const maxPlayers = this.data.players.maxPlayers;
    this.data.players.reserve({
      players: cap(sizes.players, maxPlayers),
      ids: cap(sizes.ids, 4 * maxPlayers),
    });
    this.sizeHints = new Map(
      Object.entries(sizes.boards ?? {}).map(([id, n]) => [id, cap(n, maxPlayers)] as const),
    );
  }

  /**
   * O(boards). Marks the boards whose period ended while the snapshot just loaded was walked and
   * before the walk reached them: the snapshot holds them as they were after the end, so their
   * records in the log up to the end belong to the finished period and are skipped.
   */
  snapshotLoaded(header: SnapshotState | undefined): void {
    this.apiKeys.atLeast(header?.keyVersion ?? 0);
    this.shard.loadHeader(header);
    const periods = header?.periods ?? {};
    for (const [id, was] of Object.entries(periods)) {
      const now = this.data.find(id)?.period.id;
      if (now !== undefined && now > was) this.stale.set(id, now);
    }
  }

  /**
   * O(n log n). A SHA-256 over every record a snapshot would hold, in the snapshot's order (the
   * profiles sorted by user), and its header (next tie-break sequence, periods, key version): equal
   * digests, equal states.
   */
  digest(): { digest: string; records: number } {
    const source = this.snapshotSource();
    const hash = createHash('sha256');
    let records = 0;
    // Profiles come in the order of the slots they hold, which depends on when freed slots were
    // reused (not on what is held): they are hashed sorted by user, so a replay of the same records
    // — a restart, a standby — digests the same.
    const profiles: Array<[string, UserId, StoredProfile]> = [];
    for (let r = source.records.next(); !r.done; r = source.records.next()) {
      const rec = r.value;
      records++;
      if (rec.type !== RecordType.Profiles) {
        hash.update(encodeRecord(rec));
        continue;
      }
      rec.run.users.forEach((user, i) =>
        profiles.push([`${typeof user}:${user}`, user, rec.run.profiles[i]!]),
      );
    }
    profiles.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    hash.update(
      encodeRecord({
        type: RecordType.Profiles,
        run: { users: profiles.map((p) => p[1]), profiles: profiles.map((p) => p[2]) },
      }),
    );
    // The size hints are how the tables grew, not what they hold.
    const { sizes: _hints, ...state } = source.state?.() ?? {};
    hash.update(JSON.stringify({ seq: source.nextSeq(), state }));
    return { digest: hash.digest('hex'), records };
  }

  /** O(everything). Checks every structure. For tests. */
  checkValid(): void {
    this.data.checkValid();
  }

  /**
   * O(1). True when `rec` belongs to a board marked by {@link snapshotLoaded} and comes before the
   * end of the period the snapshot already holds as ended; that end, or the board's deletion,
   * lifts the mark.
   */
  private isStale(rec: ChangeRecord): boolean {
    if (this.stale.size === 0 || !('board' in rec)) return false;
    const until = this.stale.get(rec.board);
    if (until === undefined) return false;
    if (rec.type === RecordType.Period && rec.id >= until) {
      this.stale.delete(rec.board);
      return rec.id === until; // that end is in the snapshot already; a later one applies
    }
    // A deletion or an import replaces the board whole; a freeze is about moving it, not its entries.
    if (rec.type === RecordType.BoardDelete || rec.type === RecordType.Import) {
      this.stale.delete(rec.board);
      return false;
    }
    return rec.type !== RecordType.Freeze;
  }

  private applyChange(rec: ChangeRecord, replaying: boolean): void {
    if (replaying && this.isStale(rec)) return;
    switch (rec.type) {
      case RecordType.Board: {
        const { config, created, period } = boardFromRecord(rec.config, rec.at);
        const before = this.data.find(rec.board)?.config.tiers;
        this.data.restoreBoard(rec.board, config, created, period);
        // Rows name their tier: new tiers show every cached page differently.
        const board = this.data.find(rec.board);
        if (board && before !== undefined && JSON.stringify(before) !== JSON.stringify(config.tiers))
          this.pages.of(board).invalidate();
        break;
      }
      case RecordType.Period:
        this.data.restoreClose(rec.board, rec.at, { id: rec.id, start: rec.start, end: rec.end });
        break;
      case RecordType.Result: {
        const board = this.data.board(rec.board);
        const slot = this.data.players.slotOf(rec.user);
        // A player off the board can only be one a fuzzy snapshot missed because the period ended
        // before the walk reached them; the period's end, next in the log, empties the board anyway.
        if (slot !== undefined && (board.has(slot) || board.isHidden(slot)))
          board.addResult(slot, rec.total, rec.at, rec.seq);
        this.data.seq.passed(rec.seq);
        break;
      }
      case RecordType.ResultMeta: {
        // As RESULT above, with the write's metadata.
        const board = this.data.board(rec.board);
        const slot = this.data.players.slotOf(rec.user);
        if (slot !== undefined && (board.has(slot) || board.isHidden(slot)))
          board.addResult(slot, rec.total, rec.at, rec.seq, rec.metadata);
        this.data.seq.passed(rec.seq);
        break;
      }
      case RecordType.BoardDelete:
        if (this.data.find(rec.board)) this.data.delete(rec.board);
        break;
      case RecordType.Score:
        this.restore(rec.board, rec.user, rec.total, rec.seq);
        break;
      case RecordType.ScoreMeta:
        this.restore(rec.board, rec.user, rec.total, rec.seq, rec.metadata);
        break;
      case RecordType.ScoreSub:
        this.restore(rec.board, rec.user, rec.total, rec.seq, rec.metadata ?? undefined, rec.subscore);
        break;
      case RecordType.BoardReset:
        this.data.find(rec.board)?.reset();
        break;
      case RecordType.Profile: {
        const { name, country, metadata } = rec.profile;
        this.data.writeProfile(rec.user, { name, country, metadata }, true);
        break;
      }
      case RecordType.EntryDelete: {
        const slot = this.data.players.slotOf(rec.user);
        if (slot !== undefined) this.data.find(rec.board)?.remove(slot);
        break;
      }
      case RecordType.Placed: {
        const board = this.data.find(rec.board);
        const slot = this.data.players.slotOf(rec.user);
        board?.place(rec.user, rec.bucket, slot);
        // Its rows now say the bucket: cached top pages that show the entry are rendered again.
        if (board && slot !== undefined && board.has(slot)) board.touch(slot);
        break;
      }
      case RecordType.Webhook: {
        const board = this.data.find(rec.board);
        if (board) board.webhook = structuredClone(rec.hook);
        break;
      }
      case RecordType.WebhookAck: {
        const hook = this.data.find(rec.board)?.webhook;
        const at = hook?.delivered;
        // Acknowledgements only move forward: replaying one twice, or an older one, changes nothing.
        if (hook && (!at || rec.period > at.period || (rec.period === at.period && rec.batch > at.batch)))
          hook.delivered = { period: rec.period, batch: rec.batch };
        break;
      }
      case RecordType.Join:
        this.data.find(rec.board)?.participation.join(rec.user);
        break;
      case RecordType.Attempts:
        this.data.find(rec.board)?.participation.setAttempts(rec.user, rec.count);
        break;
      case RecordType.Ban:
        this.data.ban(rec.user, rec.reason, rec.at);
        break;
      case RecordType.Unban:
        this.data.unban(rec.user);
        break;
      case RecordType.Erase:
        this.data.erase(rec.user);
        this.idempotency.forgetUser(rec.user);
        break;
      case RecordType.KeyPut:
        this.apiKeys.restore(rec.key, rec.version);
        break;
      case RecordType.KeyDelete:
        this.apiKeys.forget(rec.name, rec.version);
        break;
      case RecordType.Import:
        this.importBoard(rec.board, rec.records);
        break;
      case RecordType.ShardMap:
        this.shard.restore(rec.map);
        break;
      case RecordType.Freeze:
        if (rec.frozen) this.shard.frozen.add(rec.board);
        else this.shard.frozen.delete(rec.board);
        break;
    }
  }

  /**
   * O(n of the board and of the records). Replaces this shard's copy of a board with the records
   * of an export (an IMPORT record): any copy held is dropped first (a half-done earlier move, the
   * default board's own), and the board is not frozen here.
   */
  private importBoard(id: string, records: readonly LogRecord[]): void {
    this.data.discard(id);
    this.shard.frozen.delete(id);
    this.stale.delete(id);
    for (const rec of records) this.applyRecord(rec, false);
  }

  /** O(n): each entry ranks after the one before, so it is linked last without a search. */
  private restoreEntries(
    rec: Extract<LogRecord, { type: typeof RecordType.Entries | typeof RecordType.SubEntries }>,
  ): void {
    const board = this.data.find(rec.board);
    if (!board) throw new RangeError(`entries for board "${rec.board}", which does not exist`);
    const { users, totals, seqs, resultCounts, results, subscores } = rec.run;
    const hint = this.sizeHints.get(rec.board);
    if (hint !== undefined && board.size === 0) board.reserve(hint);
    this.sizeHints.delete(rec.board);
    const players = this.data.players;
    const slots = new Int32Array(users.length);
    for (let i = 0; i < users.length; i++) slots[i] = players.acquire(users[i]!, true);
    board.restoreRun(slots, totals, seqs, subscores);
    if (results.length === 0) return;
    let r = 0;
    for (let i = 0; i < users.length; i++) {
      for (const end = r + 3 * resultCounts[i]!; r < end; r += 3) {
        board.addResult(slots[i]!, results[r]!, results[r + 1]!, results[r + 2]!);
        this.data.seq.passed(results[r + 2]!);
      }
    }
  }

  private restore(
    boardId: string,
    user: string | number,
    total: number,
    seq: number,
    metadata?: Readonly<Record<string, unknown>>,
    subscore = 0,
  ): void {
    const board = this.data.find(boardId);
    // Records are written in order, so a board's entries always follow its creation.
    if (!board) throw new RangeError(`a score for board "${boardId}", which does not exist`);
    board.restore(this.data.players.acquire(user, true), total, seq, metadata, subscore);
  }

  private rememberEntry(
    ref: { key: string; fingerprint: string },
    user: string | number,
    total: number,
    at: number,
  ): void {
    this.idempotency.remember({ ...ref, answer: JSON.stringify({ user, total }) }, at);
  }
}

/** O(players of the live period). A board's joins and attempts as snapshot records, `run` players each. */
function* participantRecords(board: Board, run: number): Generator<LogRecord> {
  let part: ParticipantRun = { users: [], joined: [], attempts: [] };
  for (const [user, joined, attempts] of board.participation.entries()) {
    part.users.push(user);
    part.joined.push(joined ? 1 : 0);
    part.attempts.push(attempts);
    if (part.users.length === run) {
      yield { type: RecordType.Participants, board: board.id, run: part };
      part = { users: [], joined: [], attempts: [] };
    }
  }
  if (part.users.length > 0) yield { type: RecordType.Participants, board: board.id, run: part };
}

/** O(placements of the live period). A board's bucket placements as snapshot records, `run` players each. */
function* placementRecords(board: Board, run: number): Generator<LogRecord> {
  const buckets = board.buckets;
  const last = buckets.count;
  if (last === 0) return;
  const lasts = buckets.lasts();
  const fresh = (): PlacementRun => ({ users: [], buckets: [], last, tiers: [], lasts });
  let part = fresh();
  for (const [user, bucket] of buckets.placements()) {
    part.users.push(user);
    part.buckets.push(bucket);
    part.tiers!.push(buckets.tierOf(bucket));
    if (part.users.length === run) {
      yield { type: RecordType.Placements, board: board.id, run: part };
      part = fresh();
    }
  }
  yield { type: RecordType.Placements, board: board.id, run: part };
}

/** O(players with a tier). A board's players' tiers as snapshot records, `run` players each. */
function* tierRecords(board: Board, run: number): Generator<LogRecord> {
  let part: TierRun = { users: [], tiers: [] };
  for (const [user, tier] of board.tierOf) {
    part.users.push(user);
    part.tiers.push(tier);
    if (part.users.length === run) {
      yield { type: RecordType.Tiers, board: board.id, run: part };
      part = { users: [], tiers: [] };
    }
  }
  if (part.users.length > 0) yield { type: RecordType.Tiers, board: board.id, run: part };
}
