/**
 * What the reference model holds — boards as plain arrays of rows, profiles in a map, a counter for
 * ties, idempotency and API keys — and the plain operations its command handlers share: find a
 * board, write a score under the board's rules, close a period, and rank by sorting and counting.
 * Everything is written to be right by inspection, and slow on purpose.
 */
import {
  isOpen,
  isoOf,
  nextBoundary,
  nextChange,
  nextOpening,
  parseInstant,
  type ResetSchedule,
  type ServiceHours,
} from '@scoreboard/calendar';
import {
  DEFAULT_BOARD,
  DEFAULT_KEEP,
  ErrorCode,
  MAX_TOTAL,
  type ArgsOf,
  type BoardRow,
  type BoardView,
  type BucketRow,
  type Entry,
  type KeyEntry,
  type Profile,
  type PeriodResult,
  type RankStyle,
  type Movement,
  type RewardBand,
  type Tier,
  type Standing,
  type UserId,
} from '@scoreboard/protocol';

export interface Row {
  user: UserId;
  total: number;
  seq: number;
  /** The subscore, on a board with one (absent: 0). */
  subscore?: number;
  /** A finished period's rows keep the country the player had when it ended. */
  country?: string | null;
  /** The metadata of the write that earned the total (live rows, and rows of finished periods). */
  metadata?: Record<string, unknown>;
}

export interface Result {
  total: number;
  at: number;
  /** The write's metadata (live period only). */
  metadata?: Record<string, unknown>;
}

export interface ModelPeriod {
  id: number;
  start: number;
  end: number | null;
}

export interface ModelArchive extends ModelPeriod {
  /** The board's order when the period ended: a later change of order does not re-rank it. */
  order: 'desc' | 'asc';
  /** The board's subscore order when the period ended (null: none). */
  subOrder: 'desc' | 'asc' | null;
  rows: Row[];
  results: Map<UserId, Result[]>;
  /** The period's results as written when it ended, in answer order, each with its cursor. */
  outcomes: (PeriodResult & { place: number })[];
}

export interface ModelBoard {
  id: string;
  order: 'desc' | 'asc';
  operator: 'set' | 'best';
  min: number | null;
  max: number | null;
  reset: ResetSchedule | null;
  keep: number;
  history: number;
  start: number | null;
  end: number | null;
  hours: ServiceHours | null;
  created: number;
  join: boolean;
  maxPlayers: number | null;
  maxAttempts: number | null;
  /** Players who joined the live period, in the order they joined. */
  joined: UserId[];
  /** Accepted writes per player in the live period. */
  attempts: Map<UserId, number>;
  bucket: { size: number } | null;
  /** The bucket each player was placed in this period, and the last bucket opened. */
  placed: Map<UserId, number>;
  lastBucket: number;
  /** Tiers low to high, and how many of a bucket move up and down unless the tier says otherwise. */
  tiers: Tier[] | null;
  promote: Movement;
  relegate: Movement;
  /** Each player's tier index above the lowest (kept across periods), and each bucket's tier this period. */
  tierOf: Map<UserId, number>;
  bucketTier: Map<number, number>;
  rewards: RewardBand[] | null;
  /** Equal totals order by subscore, in this order (null: no subscore). */
  subscore: { order: 'desc' | 'asc' } | null;
  period: ModelPeriod;
  rows: Row[];
  /** Banned players' live rows: in no read, no rank. */
  hidden: Map<UserId, Row>;
  results: Map<UserId, Result[]>;
  archives: ModelArchive[];
}

export interface ModelProfile {
  name: string | null;
  country: string | null;
  metadata: Record<string, unknown> | null;
}

export type Write = ({ total: number } | { delta: number }) & { subscore?: number };

/** A row's total and subscore (0 without one). */
export interface Pair {
  total: number;
  subscore: number;
}

/** Thrown inside the model to answer a catalogue error. */
export class Refusal extends Error {
  constructor(
    readonly code: ErrorCode,
    /** Seconds until a retry can succeed (BOARD_CLOSED of a board that opens again). */
    readonly retryAfter?: number,
  ) {
    super(code);
  }
}

/** Limits of the model, as the server's settings. */
export interface ModelLimits {
  maxBoards: number;
  maxPlayers: number;
  /** What a banned player's writes get (default `accept`). */
  banWrites?: 'accept' | 'refuse';
}

/** The model's data and the operations its handlers share. */
export class ModelState {
  readonly boards = new Map<string, ModelBoard>();
  readonly profiles = new Map<UserId, ModelProfile>();
  seq = 0;
  /** Idempotency keys: the request's fingerprint, its result and when it was first seen. */
  readonly keys = new Map<string, { fingerprint: string; result: unknown; at: number }>();
  /** API keys by name, and how many changes the key table has seen. */
  readonly apiKeys = new Map<string, KeyEntry>();
  keyVersion = 0;
  /** Banned players: why, and since when. */
  readonly bans = new Map<UserId, { reason: string; at: number }>();
  /** The clock reading of the command being applied. */
  now = 0;

  /** Starts with the default board. */
  constructor(readonly limits: ModelLimits) {
    this.boards.set(DEFAULT_BOARD, this.newBoard(DEFAULT_BOARD, 0));
  }

  /** The default board's rows, best first, as the original routes show them. */
  ranked(): Entry[] {
    const b = this.board(DEFAULT_BOARD);
    return this.sorted(b).map((r) => ({
      user: r.user,
      total: r.total,
      ...(b.subscore ? { subscore: r.subscore ?? 0 } : {}),
      ...(r.metadata ? { metadata: r.metadata } : {}),
    }));
  }

  /** A board's rows, best first, with ordinal ranks. */
  rowsOf(board: string): BoardRow[] {
    const b = this.boards.get(board);
    return b ? this.sorted(b).map((r, i) => this.view(b, r, i + 1)) : [];
  }

  /** Every board id, sorted. */
  boardIds(): string[] {
    return [...this.boards.keys()].sort();
  }

  /** Everything the model holds, in a canonical form: equal digests, equal states. */
  digest(): string {
    return JSON.stringify({
      boards: this.boardIds().map((id) => {
        const b = this.board(id);
        return {
          ...this.boardView(b),
          rows: this.rowsOf(id),
          joined: b.joined,
          attempts: [...b.attempts],
          placed: [...b.placed],
          lastBucket: b.lastBucket,
          hidden: [...b.hidden],
        };
      }),
      bans: [...this.bans].sort((a, b) => (String(a[0]) < String(b[0]) ? -1 : 1)),
      profiles: [...this.profiles].sort((a, b) => (String(a[0]) < String(b[0]) ? -1 : 1)),
      seq: this.seq,
      keys: this.keyEntries(),
    });
  }

  keyEntries(): KeyEntry[] {
    return [...this.apiKeys.values()]
      .sort((x, y) => (x.name < y.name ? -1 : 1))
      .map((k) => ({ ...k, scopes: [...k.scopes] }));
  }

  // ---------------------------------------------------------------- boards and writes

  board(id: string): ModelBoard {
    const b = this.boards.get(id);
    if (!b) throw new Refusal(ErrorCode.BOARD_NOT_FOUND);
    return b;
  }

  newBoard(id: string, now: number): ModelBoard {
    return {
      id,
      order: 'desc',
      operator: 'set',
      min: null,
      max: null,
      reset: null,
      keep: DEFAULT_KEEP,
      history: 0,
      start: null,
      end: null,
      hours: null,
      created: now,
      join: false,
      maxPlayers: null,
      maxAttempts: null,
      joined: [],
      attempts: new Map(),
      bucket: null,
      placed: new Map(),
      lastBucket: 0,
      tiers: null,
      promote: 0,
      relegate: 0,
      tierOf: new Map(),
      bucketTier: new Map(),
      rewards: null,
      subscore: null,
      period: { id: 1, start: now, end: null },
      rows: [],
      hidden: new Map(),
      results: new Map(),
      archives: [],
    };
  }

  boardView(b: ModelBoard): BoardView {
    const window = { start: b.start, end: b.end, hours: b.hours };
    const change = nextChange(window, this.now);
    const r = b.reset;
    const reset: BoardView['reset'] =
      r === null
        ? null
        : 'everySeconds' in r
          ? { everySeconds: r.everySeconds }
          : r.every === 'week'
            ? { every: r.every, at: r.at, timezone: r.timezone, weekday: r.weekday }
            : r.every === 'month'
              ? { every: r.every, at: r.at, timezone: r.timezone, day: r.day }
              : { every: r.every, at: r.at, timezone: r.timezone };
    return {
      board: b.id,
      order: b.order,
      operator: b.operator,
      min: b.min,
      max: b.max,
      count: b.rows.length,
      reset,
      keep: b.keep,
      history: b.history,
      start: b.start === null ? null : isoOf(b.start),
      end: b.end === null ? null : isoOf(b.end),
      hours: b.hours && { ...b.hours, days: [...b.hours.days] },
      period: {
        id: b.period.id,
        start: isoOf(b.period.start),
        end: b.period.end === null ? null : isoOf(b.period.end),
      },
      open: isOpen(window, this.now),
      nextChange: change === null ? null : isoOf(change),
      join: b.join,
      maxPlayers: b.maxPlayers,
      maxAttempts: b.maxAttempts,
      players: b.joined.length,
      bucket: b.bucket && { size: b.bucket.size },
      tiers: b.tiers && structuredClone(b.tiers),
      promote: b.promote,
      relegate: b.relegate,
      rewards: b.rewards && structuredClone(b.rewards),
      subscore: b.subscore && { order: b.subscore.order },
    };
  }

  /** Creates a board or changes its configuration (BOARD_LIMIT_REACHED, BOARD_INVALID_CONFIG, BOARD_CONFLICT). */
  putBoard(a: ArgsOf<'board.put'>): { created: boolean; board: BoardView } {
    const id = a.board;
    const old = this.boards.get(id);
    const next: ModelBoard = old ? { ...old } : this.newBoard(id, this.now);
    if (a.order !== undefined) next.order = a.order;
    if (a.operator !== undefined) next.operator = a.operator;
    if (a.min !== undefined) next.min = a.min;
    if (a.max !== undefined) next.max = a.max;
    if (a.reset !== undefined) next.reset = structuredClone(a.reset) as ResetSchedule | null;
    if (a.keep !== undefined) next.keep = a.keep;
    if (a.history !== undefined) next.history = a.history;
    if (a.hours !== undefined) next.hours = structuredClone(a.hours) as ServiceHours | null;
    if (a.start !== undefined) next.start = a.start === null ? null : parseInstant(a.start)!;
    if (a.end !== undefined) next.end = a.end === null ? null : parseInstant(a.end)!;
    if (a.join !== undefined) next.join = a.join;
    if (a.maxPlayers !== undefined) next.maxPlayers = a.maxPlayers;
    if (a.maxAttempts !== undefined) next.maxAttempts = a.maxAttempts;
    if (a.bucket !== undefined) next.bucket = a.bucket && { size: a.bucket.size };
    if (a.tiers !== undefined) next.tiers = a.tiers && structuredClone(a.tiers);
    if (a.promote !== undefined) next.promote = a.promote;
    if (a.relegate !== undefined) next.relegate = a.relegate;
    if (a.rewards !== undefined) next.rewards = a.rewards && structuredClone(a.rewards);
    if (a.subscore !== undefined) next.subscore = a.subscore && { order: a.subscore.order };
    // A configuration that is wrong in itself (400) before one that conflicts with the entries (409).
    if (!old && this.boards.size >= this.limits.maxBoards) throw new Refusal(ErrorCode.BOARD_LIMIT_REACHED);
    if (next.min !== null && next.max !== null && next.min > next.max)
      throw new Refusal(ErrorCode.BOARD_INVALID_CONFIG);
    if (next.maxPlayers !== null && !next.join) throw new Refusal(ErrorCode.BOARD_INVALID_CONFIG);
    if (next.tiers !== null && next.bucket === null) throw new Refusal(ErrorCode.BOARD_INVALID_CONFIG);
    if (next.start !== null && next.end !== null && next.start >= next.end)
      throw new Refusal(ErrorCode.BOARD_INVALID_CONFIG);
    const subscoreChanged = JSON.stringify(next.subscore) !== JSON.stringify(old?.subscore ?? null);
    if (
      old &&
      old.rows.length > 0 &&
      (next.order !== old.order || next.operator !== old.operator || subscoreChanged)
    ) {
      throw new Refusal(ErrorCode.BOARD_CONFLICT);
    }
    if (JSON.stringify(next.reset) !== JSON.stringify(old?.reset ?? null) || !old) {
      next.period = {
        ...next.period,
        end: next.reset ? nextBoundary(next.reset, this.now, next.created) : null,
      };
    }
    next.archives = next.archives.slice(Math.max(0, next.archives.length - next.keep));
    // A smaller `history` trims every player's kept results at once.
    if (old && next.history < old.history) {
      next.results = new Map(
        [...old.results].flatMap(([u, list]) =>
          next.history === 0 ? [] : [[u, list.slice(0, next.history)]],
        ),
      );
    }
    if (old) Object.assign(old, next);
    else this.boards.set(id, next);
    return { created: !old, board: this.boardView(this.boards.get(id)!) };
  }

  /** Ends a board's live period at `at`: archived unless it holds nothing; `next` begins. */
  close(b: ModelBoard, at: number, next: ModelPeriod): void {
    if (b.rows.length > 0 || b.results.size > 0) {
      const rows = this.sorted(b).map((r) => ({
        user: r.user,
        total: r.total,
        seq: r.seq,
        ...(b.subscore ? { subscore: r.subscore ?? 0 } : {}),
        country: this.profiles.get(r.user)?.country ?? null,
        // A row keeps the metadata of the write that earned its total.
        ...(r.metadata ? { metadata: r.metadata } : {}),
      }));
      b.archives.push({
        id: b.period.id,
        start: b.period.start,
        end: at,
        order: b.order,
        subOrder: b.subscore && b.subscore.order,
        rows,
        // A finished period keeps each result's total and time.
        results: new Map(
          [...b.results].map(([user, list]) => [user, list.map(({ total, at }) => ({ total, at }))]),
        ),
        outcomes: this.outcomes(b),
      });
      // Each player with a result plays the next period in their next tier.
      if (b.tiers !== null) {
        for (const r of b.archives.at(-1)!.outcomes) {
          if (r.nextTier === null) continue;
          const next = b.tiers.findIndex((t) => t.name === r.nextTier);
          if (next > 0) b.tierOf.set(r.user, next);
          else b.tierOf.delete(r.user);
        }
      }
    }
    b.rows = [];
    b.hidden = new Map();
    b.results = new Map();
    b.joined = [];
    b.attempts = new Map();
    b.placed = new Map();
    b.bucketTier = new Map();
    b.lastBucket = 0;
    b.period = { ...next };
    b.archives = b.archives.slice(Math.max(0, b.archives.length - b.keep));
  }

  /**
   * A live period's results as its end writes them: with buckets, bucket by bucket with ranks
   * inside each; without, the board's order; each with the reward band its rank falls in.
   */
  outcomes(b: ModelBoard): (PeriodResult & { place: number })[] {
    const top = b.tiers === null ? 0 : b.tiers.length - 1;
    const tierOfBucket = (bucket: number): number => Math.min(b.bucketTier.get(bucket) ?? 0, top);
    const buckets = Array.from({ length: b.lastBucket }, (_, i) => i + 1);
    // By tier (low to high), then bucket, then rank.
    const groups: [number | null, Row[]][] =
      b.lastBucket > 0
        ? [...buckets]
            .sort((x, y) => tierOfBucket(x) - tierOfBucket(y) || x - y)
            .map((bucket) => [bucket, this.sorted(b).filter((r) => b.placed.get(r.user) === bucket)])
        : [[null, this.sorted(b)]];
    return groups
      .flatMap(([bucket, rows]) => {
        const tier = bucket === null ? 0 : tierOfBucket(bucket);
        const placed = bucket === null ? 0 : [...b.placed.values()].filter((x) => x === bucket).length;
        const full = b.bucket !== null && placed >= b.bucket.size;
        const count = (m: Movement): number => {
          if (typeof m === 'number') return Math.min(m, rows.length);
          const p = Number(m.replace('%', ''));
          const k = Math.floor((rows.length * p) / 100);
          return k === 0 && full && p > 0 && rows.length > 0 ? 1 : k;
        };
        const up = tier === top ? 0 : count(b.tiers?.[tier]?.promote ?? b.promote);
        const down =
          tier === 0 ? 0 : Math.min(count(b.tiers?.[tier]?.relegate ?? b.relegate), rows.length - up);
        // Tiers are per bucket: a period without buckets has none.
        const name = (t: number): string | null =>
          b.tiers === null || bucket === null ? null : b.tiers[t]!.name;
        return rows.map((r, i) => {
          const band = (b.rewards ?? []).find((x) => x.ranks[0]! <= i + 1 && i + 1 <= x.ranks[1]!);
          const next = i < up ? tier + 1 : i >= rows.length - down ? tier - 1 : tier;
          return {
            user: r.user,
            rank: i + 1,
            total: r.total,
            ...(b.subscore ? { subscore: r.subscore ?? 0 } : {}),
            bucket,
            tier: name(tier),
            nextTier: name(next),
            reward: band ? structuredClone(band.reward) : null,
          };
        });
      })
      .map((r, i) => ({ ...r, place: i + 1 }));
  }

  /** A player's tier index: 0 without tiers; the top one when the tiers shrank below theirs. */
  tierIndex(b: ModelBoard, user: UserId): number {
    return b.tiers === null ? 0 : Math.min(b.tierOf.get(user) ?? 0, b.tiers.length - 1);
  }

  /** A bucket's tier name, or undefined without tiers. */
  tierName(b: ModelBoard, bucket: number): string | undefined {
    if (b.tiers === null) return undefined;
    return b.tiers[Math.min(b.bucketTier.get(bucket) ?? 0, b.tiers.length - 1)]!.name;
  }

  /**
   * The board as the period ranks (a finished one in the order it had), its rows and results (the
   * live period, or a finished one kept); PERIOD_NOT_FOUND.
   */
  periodRows(boardId: string, id: number): [ModelBoard, Row[], Map<UserId, Result[]>] {
    const b = this.board(boardId);
    if (id === b.period.id) return [b, b.rows, b.results];
    const p = b.archives.find((x) => x.id === id);
    if (!p) throw new Refusal(ErrorCode.PERIOD_NOT_FOUND);
    // Banned players' rows are in no read of a finished period either.
    const rows = p.rows.filter((r) => !this.bans.has(r.user));
    return [this.endedBoard(b, p), rows, p.results];
  }

  /** The board as a finished period ranks: the order and subscore it had when it ended, no buckets. */
  endedBoard(b: ModelBoard, p: ModelArchive): ModelBoard {
    return { ...b, order: p.order, subscore: p.subOrder && { order: p.subOrder }, placed: new Map() };
  }

  writeOf(a: { total?: number; delta?: number; subscore?: number }): Write {
    const w: Write = a.total !== undefined ? { total: a.total } : { delta: a.delta! };
    if (a.subscore !== undefined) w.subscore = a.subscore;
    return w;
  }

  /**
   * The total and subscore a write leaves (undefined: a best board keeps the current pair, better
   * or equal), or a refusal. A relative write adds its subscore to the row's.
   */
  resolve(b: ModelBoard, current: Pair | undefined, w: Write): Pair | undefined {
    if (w.subscore !== undefined && b.subscore === null) throw new Refusal(ErrorCode.SUBSCORE_NOT_ALLOWED);
    if ('delta' in w && b.operator === 'best') throw new Refusal(ErrorCode.SCORE_RELATIVE_NOT_ALLOWED);
    const total = ('delta' in w ? (current?.total ?? 0) + w.delta : w.total) + 0;
    if (Math.abs(total) > MAX_TOTAL || !Number.isSafeInteger(total))
      throw new Refusal(ErrorCode.SCORE_OUT_OF_RANGE);
    if ((b.min !== null && total < b.min) || (b.max !== null && total > b.max))
      throw new Refusal(ErrorCode.SCORE_OUT_OF_RANGE);
    let subscore = 0;
    if (b.subscore !== null) {
      subscore = ('delta' in w ? (current?.subscore ?? 0) + (w.subscore ?? 0) : (w.subscore ?? 0)) + 0;
      if (Math.abs(subscore) > MAX_TOTAL || !Number.isSafeInteger(subscore))
        throw new Refusal(ErrorCode.SCORE_OUT_OF_RANGE);
    }
    if (b.operator === 'best' && current !== undefined) {
      const x = { user: 0, total, subscore, seq: 0 };
      const y = { user: 0, total: current.total, subscore: current.subscore, seq: 0 };
      if (!(this.better(b, x, y) < 0)) return undefined;
    }
    return { total, subscore };
  }

  /** A row's total and subscore. */
  pairOf(row: Row | undefined): Pair | undefined {
    return row && { total: row.total, subscore: row.subscore ?? 0 };
  }

  checkOpen(b: ModelBoard): void {
    const window = { start: b.start, end: b.end, hours: b.hours };
    if (isOpen(window, this.now)) return;
    const opens = nextOpening(window, this.now);
    throw new Refusal(
      ErrorCode.BOARD_CLOSED,
      opens === null ? undefined : Math.max(1, Math.ceil((opens - this.now) / 1000)),
    );
  }

  addResult(b: ModelBoard, user: UserId, total: number, metadata?: Record<string, unknown>): void {
    if (b.history === 0) return;
    const result: Result = metadata ? { total, at: this.now, metadata } : { total, at: this.now };
    const list = [...(b.results.get(user) ?? []), result];
    // Best first in the board's order; among equal totals the earlier first (a stable sort).
    list.sort((x, y) => (b.order === 'desc' ? y.total - x.total : x.total - y.total));
    b.results.set(user, list.slice(0, b.history));
  }

  /**
   * Places a player in the bucket being filled in their tier: the last one opened in it while it
   * holds fewer than `size`, else a new one (numbered after every bucket of the board).
   */
  place(b: ModelBoard, user: UserId, size: number): void {
    const tier = this.tierIndex(b, user);
    const mine = [...b.bucketTier].filter(([, t]) => t === tier).map(([x]) => x);
    const last = mine.length > 0 ? Math.max(...mine) : 0;
    const inLast = [...b.placed.values()].filter((x) => x === last).length;
    const bucket = last > 0 && inLast < size ? last : b.lastBucket + 1;
    b.placed.set(user, bucket);
    if (!b.bucketTier.has(bucket)) b.bucketTier.set(bucket, tier);
    b.lastBucket = Math.max(b.lastBucket, bucket);
  }

  /** A bucket's rows, best first, ranked inside it. */
  bucketRows(b: ModelBoard, bucket: number): BucketRow[] {
    const rows = this.sorted(b).filter((r) => b.placed.get(r.user) === bucket);
    return rows.map((r, i) => {
      const { user, total, subscore, name, country, metadata } = this.view(b, r, i + 1);
      const out: BucketRow =
        subscore === undefined
          ? { user, total, rank: i + 1, bucket }
          : { user, total, subscore, rank: i + 1, bucket };
      const tier = this.tierName(b, bucket);
      if (tier !== undefined) out.tier = tier;
      if (name !== undefined) out.name = name;
      if (country !== undefined) out.country = country;
      if (metadata !== undefined) out.metadata = metadata;
      return out;
    });
  }

  /** NOT_JOINED on a join board the player has not joined; ATTEMPTS_USED past maxAttempts (counting `earlier`). */
  takesPart(b: ModelBoard, user: UserId, earlier = 0): void {
    if (b.join && !b.joined.includes(user)) throw new Refusal(ErrorCode.NOT_JOINED);
    if (b.maxAttempts !== null && (b.attempts.get(user) ?? 0) + earlier >= b.maxAttempts)
      throw new Refusal(ErrorCode.ATTEMPTS_USED);
  }

  /** PLAYER_BANNED for a banned player's write under BAN_WRITES=refuse. */
  checkBan(user: UserId): void {
    if (this.bans.has(user) && this.limits.banWrites === 'refuse') throw new Refusal(ErrorCode.PLAYER_BANNED);
  }

  write(b: ModelBoard, user: UserId, w: Write, metadata?: Record<string, unknown>): Row {
    this.checkOpen(b);
    this.checkBan(user);
    this.takesPart(b, user);
    const row = this.apply1(b, user, w, metadata);
    // A banned player takes no seat in a bucket.
    if (b.bucket !== null && !this.bans.has(user) && !b.placed.has(user)) this.place(b, user, b.bucket.size);
    this.addResult(b, user, 'total' in w ? w.total : row.total, metadata);
    if (b.maxAttempts !== null) b.attempts.set(user, (b.attempts.get(user) ?? 0) + 1);
    return row;
  }

  /** A write's new total takes the write's metadata, or none; an unchanged total keeps its own. */
  apply1(b: ModelBoard, user: UserId, w: Write, metadata?: Record<string, unknown>): Row {
    const banned = this.bans.has(user);
    const row = banned ? b.hidden.get(user) : b.rows.find((r) => r.user === user);
    const next = this.resolve(b, this.pairOf(row), w);
    if (!row && !this.isPlayer(user) && this.playerCount() >= this.limits.maxPlayers) {
      throw new Refusal(ErrorCode.PLAYER_LIMIT_REACHED);
    }
    if (next === undefined) return row!;
    const { total } = next;
    const sub = b.subscore ? { subscore: next.subscore } : {};
    if (!row) {
      const fresh: Row = { user, total, ...sub, seq: ++this.seq };
      if (metadata) fresh.metadata = metadata;
      if (banned) b.hidden.set(user, fresh);
      else b.rows.push(fresh);
      return fresh;
    }
    if (row.total !== total || (row.subscore ?? 0) !== next.subscore) {
      Object.assign(row, { total, ...sub, seq: ++this.seq });
      if (metadata) row.metadata = metadata;
      else delete row.metadata;
    }
    return row;
  }

  batch(
    b: ModelBoard,
    items: Array<{
      user: UserId;
      total?: number;
      delta?: number;
      subscore?: number;
      metadata?: Record<string, unknown>;
    }>,
  ) {
    this.checkOpen(b);
    // Checked whole before anything is applied.
    const totals = new Map<UserId, Pair | undefined>();
    const fresh = new Set<UserId>();
    const accepted = new Map<UserId, number>();
    items.forEach((item) => {
      const current = totals.has(item.user)
        ? totals.get(item.user)
        : this.pairOf(b.rows.find((r) => r.user === item.user) ?? b.hidden.get(item.user));
      if (!this.isPlayer(item.user)) fresh.add(item.user);
      this.checkBan(item.user);
      this.takesPart(b, item.user, accepted.get(item.user) ?? 0);
      totals.set(item.user, this.resolve(b, current, this.writeOf(item)) ?? current);
      accepted.set(item.user, (accepted.get(item.user) ?? 0) + 1);
    });
    if (this.playerCount() + fresh.size > this.limits.maxPlayers)
      throw new Refusal(ErrorCode.PLAYER_LIMIT_REACHED);
    return {
      results: items.map((item) => {
        const row = this.write(b, item.user, this.writeOf(item), item.metadata);
        return { ...this.kept(b, row), rank: this.writeRank(b, row) };
      }),
    };
  }

  // ---------------------------------------------------------------- ranks and rows

  /** The ordinal rank a write answers: a banned player's hidden row ranks as if it were shown. */
  writeRank(b: ModelBoard, row: Row): number {
    return this.rankOf(b, b.rows.includes(row) ? b.rows : [...b.rows, row], row, 'ordinal');
  }

  /** What a write answers of a row: the user, the total, and on a board with a subscore the subscore. */
  kept(b: ModelBoard, row: Row): { user: UserId; total: number; subscore?: number } {
    return b.subscore
      ? { user: row.user, total: row.total, subscore: row.subscore ?? 0 }
      : { user: row.user, total: row.total };
  }

  /** Negative when `x` ranks before `y`: total, then subscore in its order (boards with one), then seq. */
  better(b: ModelBoard, x: Row, y: Row): number {
    return this.keyOrder(b, x, y) || x.seq - y.seq;
  }

  /** Negative when `x`'s key (total, subscore) is better than `y`'s, 0 when equal. */
  keyOrder(b: ModelBoard, x: Row, y: Row): number {
    const byTotal = b.order === 'desc' ? y.total - x.total : x.total - y.total;
    if (byTotal !== 0 || b.subscore === null) return byTotal;
    const xs = x.subscore ?? 0;
    const ys = y.subscore ?? 0;
    return b.subscore.order === 'desc' ? ys - xs : xs - ys;
  }

  sorted(b: ModelBoard, rows: Row[] = b.rows): Row[] {
    return [...rows].sort((x, y) => this.better(b, x, y));
  }

  /** The rank of `row` among `rows` in a style, by counting. */
  rankOf(b: ModelBoard, rows: Row[], row: Row, style: RankStyle): number {
    const ahead = (r: Row) => this.keyOrder(b, r, row) < 0;
    switch (style) {
      case 'ordinal':
        return this.sorted(b, rows).indexOf(row) + 1;
      case 'standard':
        return rows.filter(ahead).length + 1;
      case 'dense':
        return new Set(rows.filter(ahead).map((r) => `${r.total}/${r.subscore ?? 0}`)).size + 1;
    }
  }

  view(b: ModelBoard, row: Row, rank: number): BoardRow {
    const out: BoardRow = b.subscore
      ? { user: row.user, total: row.total, subscore: row.subscore ?? 0, rank }
      : { user: row.user, total: row.total, rank };
    const p = this.profiles.get(row.user);
    if (p?.name) out.name = p.name;
    const country = row.country !== undefined ? row.country : p?.country;
    if (country) out.country = country;
    if (row.metadata) out.metadata = row.metadata;
    // Live rows of a board with buckets say the player's bucket (finished periods keep none).
    const bucket = b.placed.get(row.user);
    if (bucket !== undefined) out.bucket = bucket;
    const tier = bucket === undefined ? undefined : this.tierName(b, bucket);
    if (tier !== undefined) out.tier = tier;
    return out;
  }

  page(b: ModelBoard, rows: Row[], start: number, count: number, style: RankStyle): BoardRow[] {
    return this.sorted(b, rows)
      .slice(start, start + count)
      .map((r) => this.view(b, r, this.rankOf(b, rows, r, style)));
  }

  rowOf(b: ModelBoard, user: UserId, style: RankStyle): BoardRow {
    const row = b.rows.find((r) => r.user === user);
    if (!row) throw new Refusal(ErrorCode.USER_NOT_FOUND);
    return this.view(b, row, this.rankOf(b, b.rows, row, style));
  }

  standing(b: ModelBoard, user: UserId, style: RankStyle, rows: Row[] = b.rows): Standing {
    const row = rows.find((r) => r.user === user);
    if (!row) throw new Refusal(ErrorCode.USER_NOT_FOUND);
    const count = rows.length;
    const ordinal = this.rankOf(b, rows, row, 'ordinal');
    const out: Standing = {
      ...this.view(b, row, this.rankOf(b, rows, row, style)),
      count,
      percentile: (100 * (count - ordinal)) / count,
    };
    const country = this.countryOf(row);
    if (country) out.countryRank = this.rankOf(b, this.inCountry(b, country, rows), row, style);
    return out;
  }

  around(b: ModelBoard, rows: Row[], user: UserId, size: number, style: RankStyle): BoardRow[] {
    const all = this.sorted(b, rows);
    const i = all.findIndex((r) => r.user === user);
    if (i < 0) throw new Refusal(ErrorCode.USER_NOT_FOUND);
    const want = 2 * size + 1;
    const start = Math.max(0, Math.min(i - size, all.length - want));
    return this.page(b, rows, start, want, style);
  }

  /** A row's country: the one it kept (a finished period's) or the player's now. */
  countryOf(row: Row): string | null | undefined {
    return row.country !== undefined ? row.country : this.profiles.get(row.user)?.country;
  }

  inCountry(b: ModelBoard, country: string, rows: Row[] = b.rows): Row[] {
    return rows.filter((r) => this.countryOf(r) === country);
  }

  // ---------------------------------------------------------------- players

  isPlayer(user: UserId): boolean {
    if (this.profiles.has(user)) return true;
    for (const b of this.boards.values())
      if (b.hidden.has(user) || b.rows.some((r) => r.user === user)) return true;
    return false;
  }

  playerCount(): number {
    const users = new Set<UserId>(this.profiles.keys());
    for (const b of this.boards.values()) {
      for (const r of b.rows) users.add(r.user);
      for (const u of b.hidden.keys()) users.add(u);
    }
    return users.size;
  }

  /** Bans a player (again: a new reason, the first time kept): their rows leave every board's reads. */
  ban(user: UserId, reason: string): void {
    const was = this.bans.get(user);
    this.bans.set(user, { reason, at: was?.at ?? this.now });
    if (was) return;
    for (const b of this.boards.values()) {
      const row = b.rows.find((r) => r.user === user);
      if (!row) continue;
      b.rows = b.rows.filter((r) => r !== row);
      b.hidden.set(user, row);
    }
  }

  /** Lifts a ban: the hidden rows come back as they are (BAN_NOT_FOUND when not banned). */
  unban(user: UserId): void {
    if (!this.bans.delete(user)) throw new Refusal(ErrorCode.BAN_NOT_FOUND);
    for (const b of this.boards.values()) {
      const row = b.hidden.get(user);
      if (!row) continue;
      b.hidden.delete(user);
      b.rows.push(row);
    }
  }

  ensureRoom(users: UserId[]): void {
    const fresh = new Set(users.filter((u) => !this.isPlayer(u)));
    if (this.playerCount() + fresh.size > this.limits.maxPlayers)
      throw new Refusal(ErrorCode.PLAYER_LIMIT_REACHED);
  }

  /** Writes a profile; answers whether it was created. */
  writeProfile(user: UserId, fields: Partial<ModelProfile>): boolean {
    const old = this.profiles.get(user);
    const next: ModelProfile = old ? { ...old } : { name: null, country: null, metadata: null };
    if (fields.name !== undefined) next.name = fields.name;
    if (fields.country !== undefined) next.country = fields.country;
    if (fields.metadata !== undefined) next.metadata = fields.metadata;
    this.profiles.set(user, next);
    return !old;
  }

  profileOf(user: UserId): Profile {
    const p = this.profiles.get(user);
    return { user, name: p?.name ?? null, country: p?.country ?? null, metadata: p?.metadata ?? null };
  }
}
