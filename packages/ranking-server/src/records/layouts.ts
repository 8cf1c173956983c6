/**
 * Every record of the append-only log and of snapshots, each written once as a layout: its type
 * byte and its fields in byte order, each with its codec (fields.ts). A record's TypeScript type,
 * its encoder and its decoder all follow from its layout (`LogRecord`, codec.ts), so the three can
 * never disagree. A record holds what replay needs to be idempotent — resulting totals with their
 * tie-break sequence, whole profiles, never a delta — so applying a record twice leaves the same
 * state. Everything one request changes travels in one record (a `Batch` when it is more than one,
 * or carries an idempotency key), so a crash never leaves half a request applied.
 *
 * The two records that hold records (Batch, Import) say the type of what they hold explicitly: a
 * layout cannot name the union it is part of.
 *
 * Changing a layout changes the files on disk: add a record type instead (the first version's
 * records, Set/Reset/Key, are still read), and keep `fixtures/` loading (persistence/fixture.test.ts).
 */
import type { Movement, RewardBand, ShardMap, Tier, UserId } from '@scoreboard/protocol';
import type { OutcomeRun } from '../board/outcomes.js';
import type { StoredKey } from '../engine/key-ring.js';
import {
  f64,
  f64OrAbsent,
  f64OrNull,
  flag,
  json,
  keyAnswer,
  keyRef,
  list,
  optional,
  order,
  required,
  s8,
  struct,
  u8,
  user,
  type Field,
  type OptionalField,
  type Reader,
  type Writer,
} from './fields.js';

export type { KeyAnswer, KeyRef } from './fields.js';

/** Record types: the first byte of every payload. */
export const RecordType = {
  Set: 1,
  Reset: 2,
  Key: 3,
  End: 4,
  Board: 5,
  BoardDelete: 6,
  Score: 7,
  BoardReset: 8,
  Profile: 9,
  Erase: 10,
  Batch: 11,
  Answer: 12,
  Period: 13,
  Result: 14,
  Archive: 15,
  ArchivedResults: 16,
  KeyPut: 17,
  KeyDelete: 18,
  Entries: 19,
  Profiles: 20,
  Import: 21,
  ShardMap: 22,
  Freeze: 23,
  EntryDelete: 24,
  ScoreMeta: 25,
  EntryMeta: 26,
  ResultMeta: 27,
  Join: 28,
  Attempts: 29,
  Participants: 30,
  Placed: 31,
  Placements: 32,
  ArchiveMeta: 33,
  PeriodResults: 34,
  Tiers: 35,
  Webhook: 36,
  WebhookAck: 37,
  Ban: 38,
  Unban: 39,
  Bans: 40,
  ScoreSub: 41,
  SubEntries: 42,
  ArchiveSub: 43,
} as const;

/** One of the record type bytes. */
export type RecordTypeValue = (typeof RecordType)[keyof typeof RecordType];

/** A profile as stored: every field, `null` when unset. */
export interface StoredProfile {
  name: string | null;
  country: string | null;
  metadata: Record<string, unknown> | null;
}

/** A reset schedule as stored (defaults filled in). */
export type StoredReset =
  | null
  | { every: 'day' | 'week' | 'month'; at: string; timezone: string; weekday: number; day: number }
  | { everySeconds: number };

/** A board's rules as stored (time fields absent in records of before periods existed). */
export interface StoredConfig {
  order: 'desc' | 'asc';
  operator: 'set' | 'best';
  min: number | null;
  max: number | null;
  reset?: StoredReset;
  keep?: number;
  history?: number;
  /** Epoch ms. */
  start?: number | null;
  end?: number | null;
  hours?: { from: string; to: string; days: number[]; timezone: string } | null;
  /** When the board was created: what `everySeconds` counts from (epoch ms). */
  created?: number;
  /** Tournament fields (absent in records of before tournaments: false, null, null). */
  join?: boolean;
  maxPlayers?: number | null;
  maxAttempts?: number | null;
  bucket?: { size: number } | null;
  /** Tiers and their movements (absent: none, 0, 0). */
  tiers?: Tier[];
  promote?: Movement;
  relegate?: Movement;
  /** Reward bands (absent: none). */
  rewards?: RewardBand[];
  /** The subscore's order (absent: no subscore). */
  subscore?: { order: 'desc' | 'asc' };
  /** The live period as it stood when the record was written. */
  period?: { id: number; start: number; end: number | null };
}

/** A run of a board's live-period joins and attempts (snapshots), index by index. */
export interface ParticipantRun {
  users: UserId[];
  /** 1: joined the live period; 0: only used attempts. */
  joined: number[];
  attempts: number[];
}

/** A run of a board's live-period bucket placements (snapshots), and the last bucket opened. */
export interface PlacementRun {
  users: UserId[];
  buckets: number[];
  last: number;
  /** Each placement's bucket's tier (absent before tiers: 0). */
  tiers?: number[];
  /** The last bucket opened in each tier, as [tier, bucket] (absent before tiers: `last` in 0). */
  lasts?: [number, number][];
}

/** A board's webhook as stored: where, the signing secret, the first period delivered, the cursor. */
export interface StoredHook {
  url: string;
  secret: string;
  from: number;
  delivered: { period: number; batch: number } | null;
}

/** A run of players' tiers on a board (snapshots): tier indexes above the lowest. */
export interface TierRun {
  users: UserId[];
  tiers: number[];
}

/** A row of a finished period. */
export interface ArchivedRow {
  user: UserId;
  total: number;
  /** Country number as it was when the period ended (0: none). */
  country: number;
  /** The subscore, on a board with one (ARCHIVE_SUB records). */
  subscore?: number;
}

/** A run of a board's entries in rank order, each with its best results (snapshots). */
export interface EntryRun {
  users: UserId[];
  totals: Float64Array;
  seqs: Float64Array;
  /** Each entry's subscore, on a board with one (SUB_ENTRIES records). */
  subscores?: Float64Array;
  /** Results per entry, and theirs in a row as (total, at, seq) triples. */
  resultCounts: Uint16Array;
  results: Float64Array;
}

/** A run of whole profiles (snapshots). */
export interface ProfileRun {
  users: UserId[];
  profiles: StoredProfile[];
}

/** u32 count × (user, total f64, seq f64, u16 results × (total f64, at f64, seq f64)). */
const entryRun: Field<EntryRun> = {
  write: (w, run) => {
    const n = run.users.length;
    w.u32(n);
    let r = 0;
    for (let i = 0; i < n; i++) {
      user.write(w, run.users[i]!);
      w.f64(run.totals[i]!);
      w.f64(run.seqs[i]!);
      const count = run.resultCounts[i]!;
      w.u16(count);
      for (const end = r + 3 * count; r < end; r++) w.f64(run.results[r]!);
    }
  },
  read: (r) => {
    const n = r.u32();
    if (n > r.buf.length) throw new RangeError('ENTRIES count past the end');
    const users: UserId[] = new Array<UserId>(n);
    const totals = new Float64Array(n);
    const seqs = new Float64Array(n);
    const resultCounts = new Uint16Array(n);
    const results: number[] = [];
    for (let i = 0; i < n; i++) {
      users[i] = user.read(r);
      totals[i] = r.f64();
      seqs[i] = r.f64();
      const count = (resultCounts[i] = r.u16());
      for (let k = 0; k < 3 * count; k++) results.push(r.f64());
    }
    return { users, totals, seqs, resultCounts, results: Float64Array.from(results) };
  },
};

/** An ENTRIES run, then its subscores: u32 count × f64. */
const subEntryRun: Field<EntryRun> = {
  write: (w, run) => {
    entryRun.write(w, run);
    w.u32(run.users.length);
    for (let i = 0; i < run.users.length; i++) w.f64(run.subscores?.[i] ?? 0);
  },
  read: (r) => {
    const run = entryRun.read(r);
    const n = r.u32();
    if (n !== run.users.length) throw new RangeError('SUB_ENTRIES subscores do not match the entries');
    const subscores = new Float64Array(n);
    for (let i = 0; i < n; i++) subscores[i] = r.f64();
    return { ...run, subscores };
  },
};

/** u32 count × (user, u8 flags (1 name, 2 country, 4 metadata), s8 name?, s8 country?, s32 metadata?). */
const profileRun: Field<ProfileRun> = {
  write: (w, run) => {
    w.u32(run.users.length);
    run.users.forEach((u, i) => {
      const { name, country, metadata } = run.profiles[i]!;
      user.write(w, u);
      w.u8((name === null ? 0 : 1) | (country === null ? 0 : 2) | (metadata === null ? 0 : 4));
      if (name !== null) w.str(name, 1);
      if (country !== null) w.str(country, 1);
      if (metadata !== null) w.str(JSON.stringify(metadata), 4);
    });
  },
  read: (r) => {
    const n = r.u32();
    if (n > r.buf.length) throw new RangeError('PROFILES count past the end');
    const users: UserId[] = [];
    const profiles: StoredProfile[] = [];
    for (let i = 0; i < n; i++) {
      users.push(user.read(r));
      const flags = r.u8();
      profiles.push({
        name: flags & 1 ? r.str(1) : null,
        country: flags & 2 ? r.str(1) : null,
        metadata: flags & 4 ? (JSON.parse(r.str(4)) as Record<string, unknown>) : null,
      });
    }
    return { users, profiles };
  },
};

/** A record inside another (Batch, Import): opaque to the layouts, typed by those two records. */
declare const nested: unique symbol;
type Nested = { readonly [nested]: true };

/** Records inside a record: a u32 count and each; `check` may refuse one that does not belong. */
function records(check: (inner: { type: number }) => void): Field<Nested[]> {
  return {
    write: (w, items) => {
      w.u32(items.length);
      for (const inner of items) writeRecord(w, inner as unknown as LogRecord);
    },
    read: (r) => {
      const n = r.u32();
      const out: Nested[] = [];
      for (let i = 0; i < n; i++) {
        const inner = readRecordFrom(r);
        check(inner);
        out.push(inner as unknown as Nested);
      }
      return out;
    },
  };
}

/** The records a request may log, and so a Batch hold: what one request changes. */
const CHANGE_TYPES = [
  RecordType.Board,
  RecordType.BoardDelete,
  RecordType.Score,
  RecordType.BoardReset,
  RecordType.Profile,
  RecordType.Erase,
  RecordType.Period,
  RecordType.Result,
  RecordType.KeyPut,
  RecordType.KeyDelete,
  RecordType.Import,
  RecordType.ShardMap,
  RecordType.Freeze,
  RecordType.EntryDelete,
  RecordType.ScoreMeta,
  RecordType.ResultMeta,
  RecordType.Join,
  RecordType.Attempts,
  RecordType.Placed,
  RecordType.Webhook,
  RecordType.WebhookAck,
  RecordType.Ban,
  RecordType.Unban,
  RecordType.ScoreSub,
] as const;
type ChangeType = (typeof CHANGE_TYPES)[number];
const CHANGES = new Set<number>(CHANGE_TYPES);

/**
 * The records an Import may hold: one board's snapshot records and remembered keys — a banned
 * player's hidden entry and results among them (SCORE, SCORE_META, SCORE_SUB, RESULT, RESULT_META).
 */
const IMPORTABLE = new Set<number>([
  RecordType.Board,
  RecordType.Entries,
  RecordType.EntryMeta,
  RecordType.Score,
  RecordType.ScoreMeta,
  RecordType.ScoreSub,
  RecordType.Result,
  RecordType.ResultMeta,
  RecordType.Archive,
  RecordType.ArchiveSub,
  RecordType.SubEntries,
  RecordType.ArchivedResults,
  RecordType.Answer,
  RecordType.Participants,
  RecordType.Placements,
  RecordType.ArchiveMeta,
  RecordType.PeriodResults,
  RecordType.Tiers,
  RecordType.Webhook,
]);

/**
 * Every record's layout, by type byte: its fields in byte order. Comments give the bytes; `user`
 * is u8 tag + (f64 | s8), `key` is s8 key + s16 fingerprint + s32 answer.
 */
export const LAYOUTS = {
  /** A board created or reconfigured, with its live period as it now is. at f64, board s8, config s16 JSON. */
  [RecordType.Board]: { at: f64, board: s8, config: json<StoredConfig>(2) },
  /** A board and its entries removed. at f64, board s8. */
  [RecordType.BoardDelete]: { at: f64, board: s8 },
  /** A player now stands at (total, seq) on a board. total f64, seq f64, at f64, board s8, user. */
  [RecordType.Score]: { total: f64, seq: f64, at: f64, board: s8, user },
  /**
   * A SCORE whose write carried metadata: the entry keeps it until its total changes again.
   * total f64, seq f64, at f64, board s8, user, metadata s16 JSON.
   */
  /**
   * A player now stands at (total, subscore, seq) on a board with a subscore, with the metadata of
   * the write (null: none). total f64, subscore f64, seq f64, at f64, board s8, user, metadata s16 JSON.
   */
  [RecordType.ScoreSub]: {
    total: f64,
    subscore: f64,
    seq: f64,
    at: f64,
    board: s8,
    user,
    metadata: json<Record<string, unknown> | null>(2),
  },
  [RecordType.ScoreMeta]: {
    total: f64,
    seq: f64,
    at: f64,
    board: s8,
    user,
    metadata: json<Record<string, unknown>>(2),
  },
  /**
   * A RESULT whose write carried metadata; in a snapshot, after the ENTRIES run holding the result,
   * it gives the held result its metadata. at f64, board s8, user, total f64, seq f64, metadata s16 JSON.
   */
  [RecordType.ResultMeta]: {
    at: f64,
    board: s8,
    user,
    total: f64,
    seq: f64,
    metadata: json<Record<string, unknown>>(2),
  },
  /** An entry's metadata, after the ENTRIES run that holds the entry (snapshots). board s8, user, metadata s16 JSON. */
  [RecordType.EntryMeta]: { board: s8, user, metadata: json<Record<string, unknown>>(2) },
  /** A board emptied. at f64, board s8. */
  [RecordType.BoardReset]: { at: f64, board: s8 },
  /** A player's whole profile, as it now is. at f64, user, profile s16 JSON. */
  [RecordType.Profile]: { at: f64, user, profile: json<StoredProfile>(2) },
  /** A player's profile and entries removed. at f64, user. */
  [RecordType.Erase]: { at: f64, user },
  /** One player's entry and best results removed from one board (moderation). at f64, board s8, user. */
  [RecordType.EntryDelete]: { at: f64, board: s8, user },
  /**
   * The live period ended: it is archived and period `id` (start, end) begins, empty.
   * at f64, board s8, id f64, start f64, end f64 (NaN: none).
   */
  [RecordType.Period]: { at: f64, board: s8, id: f64, start: f64, end: f64OrNull },
  /**
   * A result for the player's best-results history (at: when it was submitted; seq: its own number,
   * so replaying it twice adds it once). at f64, board s8, user, total f64, seq f64.
   */
  [RecordType.Result]: { at: f64, board: s8, user, total: f64, seq: f64 },
  /**
   * Rows of a finished period, in rank order, appended (snapshots, in chunks). board s8, id f64,
   * start f64, end f64, order u8 (1 desc, 0 asc), u32 count × (user, total f64, u8 country).
   */
  [RecordType.Archive]: {
    board: s8,
    id: f64,
    start: f64,
    end: f64,
    order,
    rows: list(struct<Omit<ArchivedRow, 'subscore'>>({ user, total: f64, country: u8 })),
  },
  /**
   * ARCHIVE of a board with a subscore: the subscore's order, and each row's subscore. board s8,
   * id f64, start f64, end f64, order u8, subOrder u8, u32 count × (user, total f64, subscore f64, u8 country).
   */
  [RecordType.ArchiveSub]: {
    board: s8,
    id: f64,
    start: f64,
    end: f64,
    order,
    subOrder: order,
    rows: list(struct<Required<ArchivedRow>>({ user, total: f64, subscore: f64, country: u8 })),
  },
  /** A player's best results in a finished period (snapshots). board s8, id f64, user, u16 count × (total f64, at f64). */
  [RecordType.ArchivedResults]: {
    board: s8,
    id: f64,
    user,
    results: list(struct<{ total: number; at: number }>({ total: f64, at: f64 }), 2),
  },
  /**
   * An API key stored (its secret's hash only), and the key table's version after. at f64, version
   * f64 (NaN: none), key s16 JSON (name, hash, scopes, boards, rate, created).
   */
  [RecordType.KeyPut]: { at: f64, version: optional(f64OrAbsent), key: json<StoredKey>(2) },
  /** An API key revoked. at f64, version f64, name s8. */
  [RecordType.KeyDelete]: { at: f64, version: f64, name: s8 },
  /** A run of a board's entries in rank order, each with its best results (snapshots). board s8, run. */
  [RecordType.Entries]: { board: s8, run: entryRun },
  /** ENTRIES of a board with a subscore: the run, then each entry's subscore. board s8, run, u32 count × f64. */
  [RecordType.SubEntries]: { board: s8, run: subEntryRun },
  /** A player joined a board's live period (tournaments). at f64, board s8, user. */
  [RecordType.Join]: { at: f64, board: s8, user },
  /** A player has now used `count` attempts in a board's live period. at f64, board s8, user, count f64. */
  [RecordType.Attempts]: { at: f64, board: s8, user, count: f64 },
  /**
   * A finished period's row's metadata, after the ARCHIVE records holding the row (snapshots).
   * board s8, id f64, user, metadata s16 JSON.
   */
  [RecordType.ArchiveMeta]: { board: s8, id: f64, user, metadata: json<Record<string, unknown>>(2) },
  /**
   * A run of a finished period's results in answer order, after the ARCHIVE records of the period
   * (snapshots, in chunks). board s8, id f64, run s32 JSON.
   */
  [RecordType.PeriodResults]: { board: s8, id: f64, run: json<OutcomeRun>(4) },
  /** A run of players' tiers on a board with tiers, before its placements (snapshots). board s8, run s32 JSON. */
  [RecordType.Tiers]: { board: s8, run: json<TierRun>(4) },
  /** A board's webhook set (or, in snapshots, as it stands with its cursor). at f64, board s8, hook s16 JSON. */
  [RecordType.Webhook]: { at: f64, board: s8, hook: json<StoredHook>(2) },
  /** The receiver acknowledged a batch of a period's results. at f64, board s8, period f64, batch f64. */
  [RecordType.WebhookAck]: { at: f64, board: s8, period: f64, batch: f64 },
  /**
   * A player banned (moderation), with the boards whose entries it hid (the live pages' notices).
   * at f64, user, reason s16 JSON, boards s16 JSON.
   */
  [RecordType.Ban]: { at: f64, user, reason: json<string>(2), boards: json<string[]>(2) },
  /** A ban lifted, with the boards whose entries show again. at f64, user, boards s16 JSON. */
  [RecordType.Unban]: { at: f64, user, boards: json<string[]>(2) },
  /** The bans (snapshots, before the boards): ids, reasons, since when. run s32 JSON. */
  [RecordType.Bans]: { run: json<{ users: UserId[]; reasons: string[]; ats: number[] }>(4) },
  /** A player was placed in a bucket of a board's live period. at f64, board s8, user, bucket f64. */
  [RecordType.Placed]: { at: f64, board: s8, user, bucket: f64 },
  /** A run of a board's live-period bucket placements (snapshots). board s8, run s32 JSON. */
  [RecordType.Placements]: { board: s8, run: json<PlacementRun>(4) },
  /** A run of a board's live-period joins and attempts (snapshots). board s8, run s32 JSON. */
  [RecordType.Participants]: { board: s8, run: json<ParticipantRun>(4) },
  /** A run of whole profiles (snapshots). */
  [RecordType.Profiles]: { run: profileRun },
  /** A snapshot's trailer: how many records it holds. count f64. */
  [RecordType.End]: { count: f64 },
  /** Which shard holds which board, whole. at f64, map s32 JSON (epoch, layout, moved, sealed). */
  [RecordType.ShardMap]: { at: f64, map: json<ShardMap>(4) },
  /** A board's writes paused for a move, or resumed. at f64, board s8, u8 (1 frozen, 0 not). */
  [RecordType.Freeze]: { at: f64, board: s8, frozen: flag },
  /** A remembered key and answer (snapshots). at f64, key. */
  [RecordType.Answer]: { at: f64, key: required(keyAnswer, 'ANSWER record') },
  /**
   * One request's records, applied together, with the request's idempotency key and its answer
   * when it had a key. at f64, key (empty: none), u32 count × record.
   */
  [RecordType.Batch]: {
    at: f64,
    key: optional(keyAnswer),
    records: records((inner) => {
      if (!CHANGES.has(inner.type)) throw new RangeError(`record type ${inner.type} inside a batch`);
    }),
  },
  /**
   * A board moved here whole: any copy is dropped, then the records (BOARD, ENTRIES, ARCHIVE,
   * ARCHIVED_RESULTS, ANSWER) are applied. at f64, board s8, u32 count × record.
   */
  [RecordType.Import]: { at: f64, board: s8, records: records(() => undefined) },
  // The first version's records of the one board that then existed (now `default`), read only.
  /** total f64, seq f64, at f64, user, key1 (s8 key, s16 fingerprint; empty: none). */
  [RecordType.Set]: { total: f64, seq: f64, at: f64, user, key: optional(keyRef) },
  /** at f64. */
  [RecordType.Reset]: { at: f64 },
  /** at f64, user, total f64, key1. */
  [RecordType.Key]: { at: f64, user, total: f64, key: required(keyRef, 'KEY record') },
} satisfies Record<RecordTypeValue, Layout>;

type Layout = Readonly<Record<string, Field<unknown>>>;
type Layouts = typeof LAYOUTS;
type ValueOf<F> = F extends Field<infer T> ? T : never;
type Flat<T> = { [K in keyof T]: T[K] };
/** The record a layout describes: its type byte, its required fields, and its optional ones. */
type RecordOf<T extends RecordTypeValue> = Flat<
  { type: T } & {
    [K in keyof Layouts[T] as Layouts[T][K] extends OptionalField<unknown> ? never : K]: ValueOf<
      Layouts[T][K]
    >;
  } & {
    [K in keyof Layouts[T] as Layouts[T][K] extends OptionalField<unknown> ? K : never]?: Exclude<
      ValueOf<Layouts[T][K]>,
      undefined
    >;
  }
>;

/** Every record a layout describes, by type byte (Batch and Import: see below). */
type ByType = { [T in RecordTypeValue]: RecordOf<T> };

/** A record that a request may log (and a batch may hold). */
export type ChangeRecord = ByType[Exclude<ChangeType, typeof RecordType.Import>] | ImportRecord;

/** A board moved here whole (its records: see {@link LAYOUTS}). */
export interface ImportRecord extends Omit<RecordOf<typeof RecordType.Import>, 'records'> {
  records: LogRecord[];
}
/** One request's records applied together (see {@link LAYOUTS}). */
export interface BatchRecord extends Omit<RecordOf<typeof RecordType.Batch>, 'records'> {
  records: ChangeRecord[];
}

/** Any decoded record. */
export type LogRecord =
  | ByType[Exclude<RecordTypeValue, typeof RecordType.Batch | typeof RecordType.Import>]
  | BatchRecord
  | ImportRecord;

/** The record of type `T`. */
export type RecordOfType<T extends RecordTypeValue> = Extract<LogRecord, { type: T }>;

/** O(1). The layout of a type byte, or undefined for an unknown one. */
function layoutOf(type: number): Layout | undefined {
  return Object.hasOwn(LAYOUTS, type) ? (LAYOUTS as unknown as Record<number, Layout>)[type] : undefined;
}

/** O(size). Writes a record's type byte and its fields, in its layout's order. */
export function writeRecord(w: Writer, rec: LogRecord): void {
  w.u8(rec.type);
  const layout = layoutOf(rec.type)!;
  const values = rec as unknown as Record<string, unknown>;
  for (const name in layout) (layout[name] as Field<unknown>).write(w, values[name]);
}

/** O(size). Reads one record at the reader's position; a RangeError for anything malformed. */
export function readRecordFrom(r: Reader): LogRecord {
  const type = r.u8();
  const layout = layoutOf(type);
  if (!layout) throw new RangeError(`unknown record type ${type}`);
  const out: Record<string, unknown> = { type };
  for (const name in layout) {
    const value = (layout[name] as Field<unknown>).read(r);
    if (value !== undefined) out[name] = value;
  }
  const rec = out as LogRecord;
  if (rec.type === RecordType.Import) {
    for (const inner of rec.records) {
      if (!IMPORTABLE.has(inner.type) || ('board' in inner && inner.board !== rec.board)) {
        throw new RangeError(`record type ${inner.type} inside the import of board "${rec.board}"`);
      }
    }
  }
  return rec;
}
