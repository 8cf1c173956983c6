/**
 * The reference model: what the ranking server answers to every command, written as plainly as
 * possible — each board an array of rows sorted on every read, profiles in a map, ranks counted by
 * filtering, a counter for ties — so that it is right by inspection. It is slow on purpose
 * (O(n log n) per read) and has no persistence, caches or data structures worth the name.
 *
 * Arguments are taken as the codec leaves them (validated, canonical). An answer is the result the
 * server would serialise, or the catalogue code of its error.
 */
import {
  isOpen,
  isoOf,
  nextBoundary,
  nextChange,
  nextOpening,
  parseInstant,
  periodAt,
  type ResetSchedule,
  type ServiceHours,
} from '@scoreboard/calendar';
import {
  Command,
  DEFAULT_BOARD,
  DEFAULT_KEEP,
  ErrorCode,
  IDEMPOTENCY_KEY_TTL_MS,
  MAX_KEYS,
  MAX_TOTAL,
  type ArgsOf,
  type KeyEntry,
  type Scope,
  type BoardRow,
  type BoardView,
  type CommandName,
  type Entry,
  type PlayerView,
  type Profile,
  type RankStyle,
  type ResultOf,
  type UserId,
} from '@scoreboard/protocol';

/** What the model answers to one command. */
export type ModelAnswer<C extends CommandName = CommandName> =
  { ok: true; result: ResultOf<C> } | { ok: false; code: ErrorCode; retryAfter?: number };

interface Row {
  user: UserId;
  total: number;
  seq: number;
  /** A finished period's rows keep the country the player had when it ended. */
  country?: string | null;
}

interface Result {
  total: number;
  at: number;
}

interface ModelPeriod {
  id: number;
  start: number;
  end: number | null;
}

interface ModelArchive extends ModelPeriod {
  /** The board's order when the period ended: a later change of order does not re-rank it. */
  order: 'desc' | 'asc';
  rows: Row[];
  results: Map<UserId, Result[]>;
}

interface ModelBoard {
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
  period: ModelPeriod;
  rows: Row[];
  results: Map<UserId, Result[]>;
  archives: ModelArchive[];
}

interface ModelProfile {
  name: string | null;
  country: string | null;
  metadata: Record<string, unknown> | null;
}

type Write = { total: number } | { delta: number };

/** Thrown inside the model to answer a catalogue error. */
class Refusal extends Error {
  constructor(
    readonly code: ErrorCode,
    /** Seconds until a retry can succeed (BOARD_CLOSED of a board that opens again). */
    readonly retryAfter?: number,
  ) {
    super(code);
  }
}

/** Requests whose arguments' JSON is longer than this are remembered by a hash (as the server does). */
const LONG_REQUEST = 256;

/** Limits of the model, as the server's settings. */
export interface ModelLimits {
  maxBoards: number;
  maxPlayers: number;
}

/** The ranking server's semantics, naively. */
export class ReferenceModel {
  private readonly boards = new Map<string, ModelBoard>();
  private readonly profiles = new Map<UserId, ModelProfile>();
  private seq = 0;
  private readonly keys = new Map<string, { fingerprint: string; result: unknown; at: number }>();
  /** API keys by name, and how many changes the key table has seen. */
  private readonly apiKeys = new Map<string, KeyEntry>();
  private keyVersion = 0;
  /** The clock reading of the command being applied. */
  private now = 0;
  private established = false;

  /** Starts with the default board, created on the first command. */
  constructor(private readonly limits: ModelLimits = { maxBoards: 10_000, maxPlayers: 50_000_000 }) {
    this.boards.set(DEFAULT_BOARD, this.newBoard(DEFAULT_BOARD, 0));
  }

  /** Users on the default board. */
  get size(): number {
    return this.board(DEFAULT_BOARD).rows.length;
  }

  /** The default board's rows, best first, as the original routes show them. */
  ranked(): Entry[] {
    return this.sorted(this.board(DEFAULT_BOARD)).map(({ user, total }) => ({ user, total }));
  }

  /** A board's rows, best first, with ordinal ranks (to compare whole boards in tests). */
  rowsOf(board: string): BoardRow[] {
    const b = this.boards.get(board);
    return b ? this.sorted(b).map((r, i) => this.view(b, r, i + 1)) : [];
  }

  /** Everything the model holds, in a canonical form: equal digests, equal states. */
  digest(): string {
    return JSON.stringify({
      boards: this.boardIds().map((id) => ({ ...this.boardView(this.board(id)), rows: this.rowsOf(id) })),
      profiles: [...this.profiles].sort((a, b) => (String(a[0]) < String(b[0]) ? -1 : 1)),
      seq: this.seq,
      keys: this.keyEntries(),
    });
  }

  /** The ids of a board's readable periods, live first (for tests that pick plausible ids). */
  periodIds(board: string): number[] {
    const b = this.boards.get(board);
    return b ? [b.period.id, ...b.archives.map((p) => p.id)] : [];
  }

  /** Every board id, sorted. */
  boardIds(): string[] {
    return [...this.boards.keys()].sort();
  }

  /**
   * Moves the model's clock to `now` (never backwards) and ends every period whose end has come:
   * what the server does before each batch and once a second.
   */
  tick(now: number): void {
    this.now = Math.max(this.now, now);
    if (!this.established) {
      const d = this.board(DEFAULT_BOARD);
      d.created = this.now;
      d.period = { id: 1, start: this.now, end: null };
      this.established = true;
    }
    for (const b of this.boards.values()) {
      if (b.period.end === null || b.period.end > this.now || !b.reset) continue;
      const p = periodAt(b.reset, b.created, b.period.end, this.now);
      this.close(b, b.period.end, { id: b.period.id + p.boundaries, start: p.start, end: p.end });
    }
  }

  /** Applies one command with an optional idempotency key, at clock reading `now`. */
  apply<C extends CommandName>(cmd: C, args: ArgsOf<C>, key?: string, now = Date.now()): ModelAnswer<C> {
    this.tick(now);
    try {
      if (key === undefined) return { ok: true, result: this.run(cmd, args) };
      const json = JSON.stringify(args);
      const fingerprint = `${cmd}:${json}`;
      const known = this.keys.get(key);
      const seen = known && this.now - known.at <= IDEMPOTENCY_KEY_TTL_MS ? known : undefined;
      if (seen) {
        if (seen.fingerprint !== fingerprint) return { ok: false, code: ErrorCode.IDEMPOTENCY_KEY_REUSED };
        return { ok: true, result: seen.result as ResultOf<C> };
      }
      const result = this.run(cmd, args);
      this.keys.delete(key);
      this.keys.set(key, { fingerprint, result, at: this.now });
      return { ok: true, result };
    } catch (err) {
      if (err instanceof Refusal) {
        return err.retryAfter === undefined
          ? { ok: false, code: err.code }
          : { ok: false, code: err.code, retryAfter: err.retryAfter };
      }
      throw err;
    }
  }

  // ---------------------------------------------------------------- commands

  private run<C extends CommandName>(cmd: C, rawArgs: ArgsOf<C>): ResultOf<C> {
    const a = rawArgs as Record<string, unknown> & { board: string; user: UserId; rank?: RankStyle };
    const style: RankStyle = a.rank ?? 'ordinal';
    let out: unknown;
    switch (cmd) {
      case Command.SetTotal:
        out = {
          user: a.user,
          total: this.write(this.board(DEFAULT_BOARD), a.user, { total: a['total'] as number }).total,
        };
        break;
      case Command.AddScore:
        out = {
          user: a.user,
          total: this.write(this.board(DEFAULT_BOARD), a.user, { delta: a['delta'] as number }).total,
        };
        break;
      case Command.Top:
        out = this.ranked().slice(0, a['n'] as number);
        break;
      case Command.Around: {
        const all = this.ranked();
        const p = a['position'] as number;
        const s = a['scope'] as number;
        out = all.slice(Math.max(1, p - s) - 1, Math.min(all.length, p + s));
        break;
      }
      case Command.GetUser: {
        const row = this.rowOf(this.board(DEFAULT_BOARD), a.user, 'ordinal');
        out = { user: row.user, total: row.total, rank: row.rank };
        break;
      }
      case Command.Reset: {
        const b = this.board(DEFAULT_BOARD);
        const removed = b.rows.length;
        b.rows = [];
        b.results.clear();
        out = { removed };
        break;
      }
      case Command.Ping:
        out = { status: 'ok', users: this.board(DEFAULT_BOARD).rows.length };
        break;
      case Command.Digest:
        out = { digest: this.digest(), records: 0 };
        break;
      case Command.BoardPut:
        out = this.putBoard(a);
        break;
      case Command.BoardGet:
        out = this.boardView(this.board(a.board));
        break;
      case Command.BoardList:
        out = this.boardIds().map((id) => this.boardView(this.board(id)));
        break;
      case Command.BoardReset: {
        const b = this.board(a.board);
        this.close(b, this.now, {
          id: b.period.id + 1,
          start: this.now,
          end: b.reset ? periodAt(b.reset, b.created, this.now, this.now).end : null,
        });
        out = this.boardView(b);
        break;
      }
      case Command.BoardPeriods: {
        const b = this.board(a.board);
        const info = (p: ModelPeriod) => ({
          id: p.id,
          start: isoOf(p.start),
          end: p.end === null ? null : isoOf(p.end),
        });
        out = [
          { ...info(b.period), count: b.rows.length },
          ...[...b.archives].reverse().map((p) => ({ ...info(p), count: p.rows.length })),
        ];
        break;
      }
      case Command.PeriodTop: {
        const [b, rows] = this.periodRows(a.board, a['period'] as number);
        out = this.page(b, rows, 0, a['n'] as number, style);
        break;
      }
      case Command.PeriodWindow: {
        const [b, rows] = this.periodRows(a.board, a['period'] as number);
        const p = a['position'] as number;
        const s = a['scope'] as number;
        const from = Math.max(1, p - s);
        out = this.page(b, rows, from - 1, Math.max(0, Math.min(rows.length, p + s) - from + 1), style);
        break;
      }
      case Command.PeriodUser: {
        const [b, rows] = this.periodRows(a.board, a['period'] as number);
        out = this.standing(b, a.user, style, rows);
        break;
      }
      case Command.PeriodAround: {
        const [b, rows] = this.periodRows(a.board, a['period'] as number);
        out = this.around(b, rows, a.user, a['size'] as number, style);
        break;
      }
      case Command.History: {
        const b = this.board(a.board);
        const id = (a['period'] as number | undefined) ?? b.period.id;
        const [, rows, results] = this.periodRows(a.board, id);
        if (!rows.some((r) => r.user === a.user)) throw new Refusal(ErrorCode.USER_NOT_FOUND);
        out = (results.get(a.user) ?? []).map((r) => ({ total: r.total, at: isoOf(r.at) }));
        break;
      }
      case Command.BoardDelete:
        if (a.board === DEFAULT_BOARD) throw new Refusal(ErrorCode.BOARD_PROTECTED);
        this.board(a.board);
        this.boards.delete(a.board);
        out = { deleted: true };
        break;
      case Command.ScorePut: {
        const b = this.board(a.board);
        const row = this.write(b, a.user, this.writeOf(a));
        out = { user: a.user, total: row.total, rank: this.rankOf(b, b.rows, row, 'ordinal') };
        break;
      }
      case Command.ScoreBatch:
        out = this.batch(
          this.board(a.board),
          a['scores'] as Array<{ user: UserId; total?: number; delta?: number }>,
        );
        break;
      case Command.BoardTop: {
        const b = this.board(a.board);
        out = this.page(b, b.rows, 0, a['n'] as number, style);
        break;
      }
      case Command.BoardWindow: {
        const b = this.board(a.board);
        const p = a['position'] as number;
        const s = a['scope'] as number;
        const from = Math.max(1, p - s);
        out = this.page(b, b.rows, from - 1, Math.max(0, Math.min(b.rows.length, p + s) - from + 1), style);
        break;
      }
      case Command.BoardUser:
        out = this.standing(this.board(a.board), a.user, style);
        break;
      case Command.BoardAround: {
        const b = this.board(a.board);
        out = this.around(b, b.rows, a.user, a['size'] as number, style);
        break;
      }
      case Command.BoardUsers: {
        const b = this.board(a.board);
        const ids = new Set(a['ids'] as UserId[]);
        out = this.sorted(b)
          .filter((r) => ids.has(r.user))
          .map((r) => this.view(b, r, this.rankOf(b, b.rows, r, style)));
        break;
      }
      case Command.BoardRange: {
        const b = this.board(a.board);
        const min = a['min'] as number;
        const max = a['max'] as number;
        const inRange = this.sorted(b).filter((r) => r.total >= min && r.total <= max);
        out = {
          count: inRange.length,
          entries: inRange
            .slice(0, a['limit'] as number)
            .map((r) => this.view(b, r, this.rankOf(b, b.rows, r, style))),
        };
        break;
      }
      case Command.BoardCountries: {
        const counts = new Map<string, number>();
        for (const r of this.board(a.board).rows) {
          const c = this.profiles.get(r.user)?.country;
          if (c) counts.set(c, (counts.get(c) ?? 0) + 1);
        }
        out = [...counts]
          .map(([country, count]) => ({ country, count }))
          .sort((x, y) => y.count - x.count || (x.country < y.country ? -1 : 1));
        break;
      }
      case Command.CountryTop: {
        const b = this.board(a.board);
        out = this.page(b, this.inCountry(b, a['country'] as string), 0, a['n'] as number, style);
        break;
      }
      case Command.CountryAround: {
        const b = this.board(a.board);
        const rows = this.inCountry(b, a['country'] as string);
        if (!b.rows.some((r) => r.user === a.user)) throw new Refusal(ErrorCode.USER_NOT_FOUND);
        if (!rows.some((r) => r.user === a.user)) throw new Refusal(ErrorCode.USER_NOT_FOUND);
        out = this.around(b, rows, a.user, a['size'] as number, style);
        break;
      }
      case Command.PlayerPut: {
        const { user, ...fields } = a as unknown as { user: UserId } & Partial<ModelProfile>;
        this.ensureRoom([user]);
        const created = this.writeProfile(user, fields);
        out = { created, player: this.profileOf(user) };
        break;
      }
      case Command.PlayerBatch: {
        const players = a['players'] as Array<{ user: UserId } & Partial<ModelProfile>>;
        this.ensureRoom(players.map((p) => p.user));
        let created = 0;
        for (const { user, ...fields } of players) if (this.writeProfile(user, fields)) created++;
        out = { created, updated: players.length - created };
        break;
      }
      case Command.PlayerGet: {
        const boards: PlayerView['boards'] = {};
        for (const b of this.boards.values()) {
          const row = b.rows.find((r) => r.user === a.user);
          if (!row) continue;
          const place: PlayerView['boards'][string] = {
            total: row.total,
            rank: this.rankOf(b, b.rows, row, 'ordinal'),
          };
          const country = this.profiles.get(a.user)?.country;
          if (country) place.countryRank = this.rankOf(b, this.inCountry(b, country), row, 'ordinal');
          boards[b.id] = place;
        }
        if (!this.profiles.has(a.user) && Object.keys(boards).length === 0)
          throw new Refusal(ErrorCode.PLAYER_NOT_FOUND);
        out = { ...this.profileOf(a.user), boards };
        break;
      }
      case Command.PlayerDelete: {
        let erased = this.profiles.delete(a.user);
        for (const b of this.boards.values()) {
          const before = b.rows.length;
          b.rows = b.rows.filter((r) => r.user !== a.user);
          if (b.rows.length !== before) erased = true;
          b.results.delete(a.user);
          for (const p of b.archives) {
            const had = p.rows.length;
            p.rows = p.rows.filter((r) => r.user !== a.user);
            if (p.results.delete(a.user) || p.rows.length !== had) erased = true;
          }
        }
        const needle = `"user":${JSON.stringify(a.user)}`;
        for (const [key, entry] of this.keys) {
          // A long request is remembered by a hash of it, which shows no user.
          const plain = entry.fingerprint.length <= LONG_REQUEST + entry.fingerprint.indexOf(':') + 1;
          const asked =
            plain && (entry.fingerprint.includes(`${needle},`) || entry.fingerprint.includes(`${needle}}`));
          if (mentions(entry.result, a.user) || asked) this.keys.delete(key);
        }
        out = { erased };
        break;
      }
      case Command.KeyPut: {
        const name = a['name'] as string;
        if (this.apiKeys.has(name)) throw new Refusal(ErrorCode.KEY_EXISTS);
        if (this.apiKeys.size >= MAX_KEYS) throw new Refusal(ErrorCode.KEY_LIMIT_REACHED);
        const key = {
          name,
          scopes: [...(a['scopes'] as Scope[])],
          boards: (a['boards'] as string[] | null | undefined) ?? null,
          rate: (a['rate'] as number | null | undefined) ?? null,
          created: isoOf(this.now),
          hash: a['hash'] as string,
        };
        this.apiKeys.set(name, key);
        this.keyVersion++;
        const { hash: _hash, ...view } = key;
        out = view;
        break;
      }
      case Command.KeyDelete:
        if (!this.apiKeys.delete(a['name'] as string)) throw new Refusal(ErrorCode.KEY_NOT_FOUND);
        this.keyVersion++;
        out = { deleted: true };
        break;
      case Command.KeyList:
        out = this.keyEntries().map(({ hash: _hash, ...view }) => view);
        break;
      case Command.KeySync:
        out = { version: this.keyVersion, keys: a['since'] === this.keyVersion ? null : this.keyEntries() };
        break;
      // One shard: its map places every board here, and nothing ever moves.
      case Command.ShardMapGet:
        out = { epoch: 0, layout: 1, moved: {}, sealed: false, shard: 0 };
        break;
      case Command.ShardMapSet:
      case Command.BoardFreeze:
      case Command.BoardExport:
      case Command.BoardImport:
      case Command.BoardDrop:
        throw new Refusal(ErrorCode.SHARD_OWNS_BOARD);
    }
    return out as ResultOf<C>;
  }

  private keyEntries(): KeyEntry[] {
    return [...this.apiKeys.values()]
      .sort((x, y) => (x.name < y.name ? -1 : 1))
      .map((k) => ({ ...k, scopes: [...k.scopes] }));
  }

  // ---------------------------------------------------------------- boards and writes

  private board(id: string): ModelBoard {
    const b = this.boards.get(id);
    if (!b) throw new Refusal(ErrorCode.BOARD_NOT_FOUND);
    return b;
  }

  private newBoard(id: string, now: number): ModelBoard {
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
      period: { id: 1, start: now, end: null },
      rows: [],
      results: new Map(),
      archives: [],
    };
  }

  private boardView(b: ModelBoard): BoardView {
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
    };
  }

  private putBoard(a: Record<string, unknown>): { created: boolean; board: BoardView } {
    const id = a['board'] as string;
    const old = this.boards.get(id);
    const next: ModelBoard = old ? { ...old } : this.newBoard(id, this.now);
    for (const f of ['order', 'operator', 'min', 'max', 'reset', 'keep', 'history', 'hours'] as const) {
      if (a[f] !== undefined) (next as unknown as Record<string, unknown>)[f] = structuredClone(a[f]);
    }
    for (const f of ['start', 'end'] as const) {
      if (a[f] !== undefined) next[f] = a[f] === null ? null : parseInstant(a[f])!;
    }
    // A configuration that is wrong in itself (400) before one that conflicts with the entries (409).
    if (!old && this.boards.size >= this.limits.maxBoards) throw new Refusal(ErrorCode.BOARD_LIMIT_REACHED);
    if (next.min !== null && next.max !== null && next.min > next.max)
      throw new Refusal(ErrorCode.BOARD_INVALID_CONFIG);
    if (next.start !== null && next.end !== null && next.start >= next.end)
      throw new Refusal(ErrorCode.BOARD_INVALID_CONFIG);
    if (old && old.rows.length > 0 && (next.order !== old.order || next.operator !== old.operator)) {
      throw new Refusal(ErrorCode.BOARD_CONFLICT);
    }
    if (JSON.stringify(next.reset) !== JSON.stringify(old?.reset ?? null) || !old) {
      next.period = {
        ...next.period,
        end: next.reset ? nextBoundary(next.reset, this.now, next.created) : null,
      };
    }
    next.archives = next.archives.slice(Math.max(0, next.archives.length - next.keep));
    if (old) Object.assign(old, next);
    else this.boards.set(id, next);
    return { created: !old, board: this.boardView(this.boards.get(id)!) };
  }

  /** Ends a board's live period at `at`: archived unless it holds nothing; `next` begins. */
  private close(b: ModelBoard, at: number, next: ModelPeriod): void {
    if (b.rows.length > 0 || b.results.size > 0) {
      const rows = this.sorted(b).map((r) => ({ ...r, country: this.profiles.get(r.user)?.country ?? null }));
      b.archives.push({
        id: b.period.id,
        start: b.period.start,
        end: at,
        order: b.order,
        rows,
        results: new Map(b.results),
      });
    }
    b.rows = [];
    b.results = new Map();
    b.period = { ...next };
    b.archives = b.archives.slice(Math.max(0, b.archives.length - b.keep));
  }

  /**
   * The board as the period ranks (a finished one in the order it had), its rows and results (the
   * live period, or a finished one kept); PERIOD_NOT_FOUND.
   */
  private periodRows(boardId: string, id: number): [ModelBoard, Row[], Map<UserId, Result[]>] {
    const b = this.board(boardId);
    if (id === b.period.id) return [b, b.rows, b.results];
    const p = b.archives.find((x) => x.id === id);
    if (!p) throw new Refusal(ErrorCode.PERIOD_NOT_FOUND);
    return [{ ...b, order: p.order }, p.rows, p.results];
  }

  private writeOf(a: Record<string, unknown>): Write {
    return a['total'] !== undefined ? { total: a['total'] as number } : { delta: a['delta'] as number };
  }

  /** The total a write leaves (undefined: a best board keeps the current), or a refusal. */
  private resolve(b: ModelBoard, current: number | undefined, w: Write): number | undefined {
    if ('delta' in w && b.operator === 'best') throw new Refusal(ErrorCode.SCORE_RELATIVE_NOT_ALLOWED);
    const total = ('delta' in w ? (current ?? 0) + w.delta : w.total) + 0;
    if (Math.abs(total) > MAX_TOTAL || !Number.isSafeInteger(total))
      throw new Refusal(ErrorCode.SCORE_OUT_OF_RANGE);
    if ((b.min !== null && total < b.min) || (b.max !== null && total > b.max))
      throw new Refusal(ErrorCode.SCORE_OUT_OF_RANGE);
    if (b.operator === 'best' && current !== undefined) {
      const better = b.order === 'desc' ? total > current : total < current;
      if (!better) return undefined;
    }
    return total;
  }

  private checkOpen(b: ModelBoard): void {
    const window = { start: b.start, end: b.end, hours: b.hours };
    if (isOpen(window, this.now)) return;
    const opens = nextOpening(window, this.now);
    throw new Refusal(
      ErrorCode.BOARD_CLOSED,
      opens === null ? undefined : Math.max(1, Math.ceil((opens - this.now) / 1000)),
    );
  }

  private addResult(b: ModelBoard, user: UserId, total: number): void {
    if (b.history === 0) return;
    const list = [...(b.results.get(user) ?? []), { total, at: this.now }];
    // Best first in the board's order; among equal totals the earlier first (a stable sort).
    list.sort((x, y) => (b.order === 'desc' ? y.total - x.total : x.total - y.total));
    b.results.set(user, list.slice(0, b.history));
  }

  private write(b: ModelBoard, user: UserId, w: Write): Row {
    this.checkOpen(b);
    const row = this.apply1(b, user, w);
    this.addResult(b, user, 'total' in w ? w.total : row.total);
    return row;
  }

  private apply1(b: ModelBoard, user: UserId, w: Write): Row {
    const row = b.rows.find((r) => r.user === user);
    const total = this.resolve(b, row?.total, w);
    if (!row && !this.isPlayer(user) && this.playerCount() >= this.limits.maxPlayers) {
      throw new Refusal(ErrorCode.PLAYER_LIMIT_REACHED);
    }
    if (total === undefined) return row!;
    if (!row) {
      const fresh = { user, total, seq: ++this.seq };
      b.rows.push(fresh);
      return fresh;
    }
    if (row.total !== total) Object.assign(row, { total, seq: ++this.seq });
    return row;
  }

  private batch(b: ModelBoard, items: Array<{ user: UserId; total?: number; delta?: number }>) {
    this.checkOpen(b);
    // Checked whole before anything is applied.
    const totals = new Map<UserId, number | undefined>();
    const fresh = new Set<UserId>();
    items.forEach((item) => {
      const current = totals.has(item.user)
        ? totals.get(item.user)
        : b.rows.find((r) => r.user === item.user)?.total;
      if (!this.isPlayer(item.user)) fresh.add(item.user);
      totals.set(item.user, this.resolve(b, current, this.writeOf(item)) ?? current);
    });
    if (this.playerCount() + fresh.size > this.limits.maxPlayers)
      throw new Refusal(ErrorCode.PLAYER_LIMIT_REACHED);
    return {
      results: items.map((item) => {
        const row = this.write(b, item.user, this.writeOf(item));
        return { user: item.user, total: row.total, rank: this.rankOf(b, b.rows, row, 'ordinal') };
      }),
    };
  }

  // ---------------------------------------------------------------- ranks and rows

  private better(b: ModelBoard, x: Row, y: Row): number {
    return (b.order === 'desc' ? y.total - x.total : x.total - y.total) || x.seq - y.seq;
  }

  private sorted(b: ModelBoard, rows: Row[] = b.rows): Row[] {
    return [...rows].sort((x, y) => this.better(b, x, y));
  }

  /** The rank of `row` among `rows` in a style, by counting. */
  private rankOf(b: ModelBoard, rows: Row[], row: Row, style: RankStyle): number {
    const ahead = (r: Row) => (b.order === 'desc' ? r.total > row.total : r.total < row.total);
    switch (style) {
      case 'ordinal':
        return this.sorted(b, rows).indexOf(row) + 1;
      case 'standard':
        return rows.filter(ahead).length + 1;
      case 'dense':
        return new Set(rows.filter(ahead).map((r) => r.total)).size + 1;
    }
  }

  private view(_b: ModelBoard, row: Row, rank: number): BoardRow {
    const out: BoardRow = { user: row.user, total: row.total, rank };
    const p = this.profiles.get(row.user);
    if (p?.name) out.name = p.name;
    const country = row.country !== undefined ? row.country : p?.country;
    if (country) out.country = country;
    return out;
  }

  private page(b: ModelBoard, rows: Row[], start: number, count: number, style: RankStyle): BoardRow[] {
    return this.sorted(b, rows)
      .slice(start, start + count)
      .map((r) => this.view(b, r, this.rankOf(b, rows, r, style)));
  }

  private rowOf(b: ModelBoard, user: UserId, style: RankStyle): BoardRow {
    const row = b.rows.find((r) => r.user === user);
    if (!row) throw new Refusal(ErrorCode.USER_NOT_FOUND);
    return this.view(b, row, this.rankOf(b, b.rows, row, style));
  }

  private standing(b: ModelBoard, user: UserId, style: RankStyle, rows: Row[] = b.rows) {
    const row = rows.find((r) => r.user === user);
    if (!row) throw new Refusal(ErrorCode.USER_NOT_FOUND);
    const count = rows.length;
    const ordinal = this.rankOf(b, rows, row, 'ordinal');
    const out: Record<string, unknown> = {
      ...this.view(b, row, this.rankOf(b, rows, row, style)),
      count,
      percentile: (100 * (count - ordinal)) / count,
    };
    const country = this.countryOf(row);
    if (country) out['countryRank'] = this.rankOf(b, this.inCountry(b, country, rows), row, style);
    return out;
  }

  private around(b: ModelBoard, rows: Row[], user: UserId, size: number, style: RankStyle): BoardRow[] {
    const all = this.sorted(b, rows);
    const i = all.findIndex((r) => r.user === user);
    if (i < 0) throw new Refusal(ErrorCode.USER_NOT_FOUND);
    const want = 2 * size + 1;
    const start = Math.max(0, Math.min(i - size, all.length - want));
    return this.page(b, rows, start, want, style);
  }

  /** A row's country: the one it kept (a finished period's) or the player's now. */
  private countryOf(row: Row): string | null | undefined {
    return row.country !== undefined ? row.country : this.profiles.get(row.user)?.country;
  }

  private inCountry(b: ModelBoard, country: string, rows: Row[] = b.rows): Row[] {
    return rows.filter((r) => this.countryOf(r) === country);
  }

  // ---------------------------------------------------------------- players

  private isPlayer(user: UserId): boolean {
    if (this.profiles.has(user)) return true;
    for (const b of this.boards.values()) if (b.rows.some((r) => r.user === user)) return true;
    return false;
  }

  private playerCount(): number {
    const users = new Set<UserId>(this.profiles.keys());
    for (const b of this.boards.values()) for (const r of b.rows) users.add(r.user);
    return users.size;
  }

  private ensureRoom(users: UserId[]): void {
    const fresh = new Set(users.filter((u) => !this.isPlayer(u)));
    if (this.playerCount() + fresh.size > this.limits.maxPlayers)
      throw new Refusal(ErrorCode.PLAYER_LIMIT_REACHED);
  }

  /** Writes a profile; answers whether it was created. */
  private writeProfile(user: UserId, fields: Partial<ModelProfile>): boolean {
    const old = this.profiles.get(user);
    const next: ModelProfile = old ? { ...old } : { name: null, country: null, metadata: null };
    if (fields.name !== undefined) next.name = fields.name;
    if (fields.country !== undefined) next.country = fields.country;
    if (fields.metadata !== undefined) next.metadata = fields.metadata;
    this.profiles.set(user, next);
    return !old;
  }

  private profileOf(user: UserId): Profile {
    const p = this.profiles.get(user);
    return { user, name: p?.name ?? null, country: p?.country ?? null, metadata: p?.metadata ?? null };
  }
}

/** True when `value` holds, at any depth, an object whose `user` is `user`. */
function mentions(value: unknown, user: UserId): boolean {
  if (Array.isArray(value)) return value.some((v) => mentions(v, user));
  if (typeof value !== 'object' || value === null) return false;
  const o = value as Record<string, unknown>;
  return o['user'] === user || Object.values(o).some((v) => mentions(v, user));
}
