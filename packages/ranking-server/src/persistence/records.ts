/**
 * The binary records of the append-only log and of snapshots.
 *
 * Frame: u32 payload length, u32 CRC-32 of the payload, payload (little-endian). A record holds
 * what replay needs to be idempotent — resulting totals with their tie-break sequence, whole
 * profiles, never a delta — so applying a record twice leaves the same state. Everything one
 * request changes travels in one record (a `Batch` when it is more than one, or carries an
 * idempotency key), so a crash never leaves half a request applied: a torn record is no record.
 *
 * Payloads (first byte is the type):
 * - BOARD        at f64, board s8, config s16 (JSON)       a board created or reconfigured, with its
 *                                                          live period (id, start, end) as it now is
 * - BOARD_DELETE at f64, board s8                          a board and its entries removed
 * - SCORE        total f64, seq f64, at f64, board s8, user    a player now stands at (total, seq)
 * - BOARD_RESET  at f64, board s8                          a board emptied
 * - PROFILE      at f64, user, profile s16 (JSON)         a player's whole profile, as it now is
 * - ERASE        at f64, user                             a player's profile and entries removed
 * - PERIOD       at f64, board s8, id f64, start f64, end f64 (NaN: none)
 *                                                          the live period ended: it is archived and
 *                                                          period `id` (start, end) begins, empty
 * - RESULT       at f64, board s8, user, total f64, seq f64
 *                                                          a result for the player's best-results
 *                                                          history (at: when it was submitted; seq:
 *                                                          its own number, so replaying it twice
 *                                                          adds it once)
 * - ARCHIVE      board s8, id f64, start f64, end f64, order u8 (1 desc, 0 asc), u32 count,
 *                count × (user, total f64, u8 country)    rows of a finished period, in rank
 *                                                          order, appended (snapshots, in chunks)
 * - ARCHIVED_RESULTS board s8, id f64, user, u16 count, count × (total f64, at f64)
 *                                                          a player's best results in a finished
 *                                                          period (snapshots)
 * - KEY_PUT      at f64, version f64 (NaN: none), key s16 (JSON: name, hash, scopes, boards, rate,
 *                created)                                  an API key stored (its secret's hash
 *                                                          only), and the key table's version after
 * - KEY_DELETE   at f64, version f64, name s8             an API key revoked
 * - BATCH        at f64, key?, u32 count, count × record  one request's records, applied together;
 *                with the request's idempotency key and its answer when it had a key
 * - ANSWER       at f64, key                              a remembered key and answer (snapshots)
 * - ENTRIES      board s8, u32 count, count × (user, total f64, seq f64, u16 results,
 *                results × (total f64, at f64, seq f64))   a run of a board's entries in rank order,
 *                                                          each with its best results (snapshots)
 * - PROFILES     u32 count, count × (user, u8 flags (1 name, 2 country, 4 metadata), name s8?,
 *                country s8?, metadata s32?)               a run of whole profiles (snapshots)
 * - END          count f64                                a snapshot's trailer
 * - IMPORT       at f64, board s8, u32 count, count × record
 *                                                          a board moved here whole: any copy is
 *                                                          dropped, then the records (BOARD,
 *                                                          ENTRIES, ARCHIVE, ARCHIVED_RESULTS,
 *                                                          ANSWER) are applied
 * - SHARD_MAP    at f64, map s32 (JSON: epoch, layout, moved, sealed)
 *                                                          which shard holds which board, whole
 * - FREEZE       at f64, board s8, u8 (1 frozen, 0 not)   a board's writes paused for a move, or
 *                                                          resumed
 * and, read only, the first version's records of the one board that then existed (now `default`):
 * - SET          total f64, seq f64, at f64, user, key1?
 * - RESET        at f64
 * - KEY          at f64, user, total f64, key1
 * where s8/s16/s32 = u8/u16/u32 length + UTF-8, user = u8 tag (0: f64 integer, 1: s8 string),
 * key = s8 key (empty: none) + s16 request fingerprint + s32 answer (JSON), key1 = s8 key (empty:
 * none) + s16 fingerprint.
 */
import type { ShardMap, UserId } from '@scoreboard/protocol';
import type { StoredKey } from '../engine/key-ring.js';
import { crc32 } from 'node:zlib';

/** Record types. */
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
} as const;

/** An idempotency key with the fingerprint of the request it was first used with. */
export interface KeyRef {
  key: string;
  fingerprint: string;
}

/** An idempotency key with its request's fingerprint and the answer it gave (JSON). */
export interface KeyAnswer extends KeyRef {
  answer: string;
}

/** A profile as stored: every field, `null` when unset. */
export interface StoredProfile {
  name: string | null;
  country: string | null;
  metadata: Record<string, unknown> | null;
}

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
  /** The live period as it stood when the record was written. */
  period?: { id: number; start: number; end: number | null };
}

/** A reset schedule as stored (defaults filled in). */
export type StoredReset =
  | null
  | { every: 'day' | 'week' | 'month'; at: string; timezone: string; weekday: number; day: number }
  | { everySeconds: number };

/** A row of a finished period. */
export interface ArchivedRow {
  user: UserId;
  total: number;
  /** Country number as it was when the period ended (0: none). */
  country: number;
}

/** A record that a request may log (and a batch may hold). */
export type ChangeRecord =
  | { type: typeof RecordType.Board; at: number; board: string; config: StoredConfig }
  | { type: typeof RecordType.BoardDelete; at: number; board: string }
  | { type: typeof RecordType.Score; at: number; board: string; user: UserId; total: number; seq: number }
  | { type: typeof RecordType.BoardReset; at: number; board: string }
  | { type: typeof RecordType.Profile; at: number; user: UserId; profile: StoredProfile }
  | { type: typeof RecordType.Erase; at: number; user: UserId }
  | {
      type: typeof RecordType.Period;
      at: number;
      board: string;
      id: number;
      start: number;
      end: number | null;
    }
  | { type: typeof RecordType.Result; at: number; board: string; user: UserId; total: number; seq: number }
  | { type: typeof RecordType.KeyPut; at: number; key: StoredKey; version?: number }
  | { type: typeof RecordType.KeyDelete; at: number; name: string; version: number }
  | { type: typeof RecordType.Import; at: number; board: string; records: LogRecord[] }
  | { type: typeof RecordType.ShardMap; at: number; map: ShardMap }
  | { type: typeof RecordType.Freeze; at: number; board: string; frozen: boolean };

/** The records an IMPORT may hold: one board's snapshot records and remembered keys. */
const IMPORTABLE = new Set<number>([
  RecordType.Board,
  RecordType.Entries,
  RecordType.Archive,
  RecordType.ArchivedResults,
  RecordType.Answer,
]);

/** A decoded record. */
export type LogRecord =
  | ChangeRecord
  | { type: typeof RecordType.Batch; at: number; key?: KeyAnswer; records: ChangeRecord[] }
  | { type: typeof RecordType.Answer; at: number; key: KeyAnswer }
  | {
      type: typeof RecordType.Archive;
      board: string;
      id: number;
      start: number;
      end: number;
      /** The board's order when the period ended. */
      order: 'desc' | 'asc';
      rows: ArchivedRow[];
    }
  | {
      type: typeof RecordType.ArchivedResults;
      board: string;
      id: number;
      user: UserId;
      results: Array<{ total: number; at: number }>;
    }
  | {
      type: typeof RecordType.Entries;
      board: string;
      users: UserId[];
      totals: Float64Array;
      seqs: Float64Array;
      /** Results per entry, and theirs in a row as (total, at, seq) triples. */
      resultCounts: Uint16Array;
      results: Float64Array;
    }
  | { type: typeof RecordType.Profiles; users: UserId[]; profiles: StoredProfile[] }
  | { type: typeof RecordType.End; count: number }
  | { type: typeof RecordType.Set; total: number; seq: number; at: number; user: UserId; key?: KeyRef }
  | { type: typeof RecordType.Reset; at: number }
  | { type: typeof RecordType.Key; at: number; user: UserId; total: number; key: KeyRef };

const HEADER = 8;

class Writer {
  buf = Buffer.allocUnsafe(256);
  pos = HEADER;
  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }
  u8(v: number): void {
    this.ensure(1);
    this.buf.writeUInt8(v, this.pos);
    this.pos += 1;
  }
  u16(v: number): void {
    this.ensure(2);
    this.buf.writeUInt16LE(v, this.pos);
    this.pos += 2;
  }
  u32(v: number): void {
    this.ensure(4);
    this.buf.writeUInt32LE(v, this.pos);
    this.pos += 4;
  }
  f64(v: number): void {
    this.ensure(8);
    this.buf.writeDoubleLE(v, this.pos);
    this.pos += 8;
  }
  /** A string with a 1-, 2- or 4-byte length; throws RangeError when it does not fit. */
  str(v: string, lengthBytes: 1 | 2 | 4): void {
    const len = Buffer.byteLength(v);
    if (len >= 2 ** (8 * lengthBytes)) throw new RangeError(`string of ${len} bytes too long for its field`);
    if (lengthBytes === 1) this.u8(len);
    else if (lengthBytes === 2) this.u16(len);
    else this.u32(len);
    this.ensure(len);
    this.buf.write(v, this.pos);
    this.pos += len;
  }
  user(u: UserId): void {
    if (typeof u === 'number') {
      this.u8(0);
      this.f64(u);
    } else {
      this.u8(1);
      this.str(u, 1);
    }
  }
  key(k: KeyAnswer | undefined): void {
    if (!k) return this.u8(0);
    this.str(k.key, 1);
    this.str(k.fingerprint, 2);
    this.str(k.answer, 4);
  }
  key1(k: KeyRef | undefined): void {
    if (!k) return this.u8(0);
    this.str(k.key, 1);
    this.str(k.fingerprint, 2);
  }
  record(rec: LogRecord): void {
    this.u8(rec.type);
    switch (rec.type) {
      case RecordType.Board:
        this.f64(rec.at);
        this.str(rec.board, 1);
        this.str(JSON.stringify(rec.config), 2);
        break;
      case RecordType.BoardDelete:
      case RecordType.BoardReset:
        this.f64(rec.at);
        this.str(rec.board, 1);
        break;
      case RecordType.Score:
        this.f64(rec.total);
        this.f64(rec.seq);
        this.f64(rec.at);
        this.str(rec.board, 1);
        this.user(rec.user);
        break;
      case RecordType.Profile:
        this.f64(rec.at);
        this.user(rec.user);
        this.str(JSON.stringify(rec.profile), 2);
        break;
      case RecordType.Erase:
        this.f64(rec.at);
        this.user(rec.user);
        break;
      case RecordType.Period:
        this.f64(rec.at);
        this.str(rec.board, 1);
        this.f64(rec.id);
        this.f64(rec.start);
        this.f64(rec.end ?? NaN);
        break;
      case RecordType.Result:
        this.f64(rec.at);
        this.str(rec.board, 1);
        this.user(rec.user);
        this.f64(rec.total);
        this.f64(rec.seq);
        break;
      case RecordType.Archive:
        this.str(rec.board, 1);
        this.f64(rec.id);
        this.f64(rec.start);
        this.f64(rec.end);
        this.u8(rec.order === 'desc' ? 1 : 0);
        this.u32(rec.rows.length);
        for (const row of rec.rows) {
          this.user(row.user);
          this.f64(row.total);
          this.u8(row.country);
        }
        break;
      case RecordType.Entries: {
        this.str(rec.board, 1);
        const n = rec.users.length;
        this.u32(n);
        let r = 0;
        for (let i = 0; i < n; i++) {
          this.user(rec.users[i]!);
          this.f64(rec.totals[i]!);
          this.f64(rec.seqs[i]!);
          const count = rec.resultCounts[i]!;
          this.u16(count);
          for (const end = r + 3 * count; r < end; r++) this.f64(rec.results[r]!);
        }
        break;
      }
      case RecordType.Profiles:
        this.u32(rec.users.length);
        rec.users.forEach((user, i) => {
          const { name, country, metadata } = rec.profiles[i]!;
          this.user(user);
          this.u8((name === null ? 0 : 1) | (country === null ? 0 : 2) | (metadata === null ? 0 : 4));
          if (name !== null) this.str(name, 1);
          if (country !== null) this.str(country, 1);
          if (metadata !== null) this.str(JSON.stringify(metadata), 4);
        });
        break;
      case RecordType.ArchivedResults:
        this.str(rec.board, 1);
        this.f64(rec.id);
        this.user(rec.user);
        this.u16(rec.results.length);
        for (const r of rec.results) {
          this.f64(r.total);
          this.f64(r.at);
        }
        break;
      case RecordType.KeyPut:
        this.f64(rec.at);
        this.f64(rec.version ?? NaN);
        this.str(JSON.stringify(rec.key), 2);
        break;
      case RecordType.KeyDelete:
        this.f64(rec.at);
        this.f64(rec.version);
        this.str(rec.name, 1);
        break;
      case RecordType.Import:
        this.f64(rec.at);
        this.str(rec.board, 1);
        this.u32(rec.records.length);
        for (const inner of rec.records) this.record(inner);
        break;
      case RecordType.ShardMap:
        this.f64(rec.at);
        this.str(JSON.stringify(rec.map), 4);
        break;
      case RecordType.Freeze:
        this.f64(rec.at);
        this.str(rec.board, 1);
        this.u8(rec.frozen ? 1 : 0);
        break;
      case RecordType.Batch:
        this.f64(rec.at);
        this.key(rec.key);
        this.u32(rec.records.length);
        for (const inner of rec.records) this.record(inner);
        break;
      case RecordType.Answer:
        this.f64(rec.at);
        this.key(rec.key);
        break;
      case RecordType.End:
        this.f64(rec.count);
        break;
      case RecordType.Set:
        this.f64(rec.total);
        this.f64(rec.seq);
        this.f64(rec.at);
        this.user(rec.user);
        this.key1(rec.key);
        break;
      case RecordType.Reset:
        this.f64(rec.at);
        break;
      case RecordType.Key:
        this.f64(rec.at);
        this.user(rec.user);
        this.f64(rec.total);
        this.key1(rec.key);
        break;
    }
  }
  finish(): Buffer {
    const payload = this.buf.subarray(HEADER, this.pos);
    this.buf.writeUInt32LE(payload.length, 0);
    this.buf.writeUInt32LE(crc32(payload), 4);
    return this.buf.subarray(0, this.pos);
  }
}

/** O(size). One framed record. Throws RangeError for a string too long for its field. */
export function encodeRecord(rec: LogRecord): Buffer {
  const w = new Writer();
  w.record(rec);
  return w.finish();
}

/**
 * Reads fields in order. Numbers go through a DataView, which the JIT turns into plain loads (where
 * Buffer's read methods assemble a double byte by byte); a read past the end throws a RangeError.
 */
class Reader {
  pos = 0;
  private readonly view: DataView;
  constructor(private readonly buf: Buffer) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }
  u8(): number {
    return this.view.getUint8(this.pos++);
  }
  u16(): number {
    const v = this.view.getUint16(this.pos, true);
    this.pos += 2;
    return v;
  }
  u32(): number {
    const v = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }
  f64(): number {
    const v = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return v;
  }
  str(lengthBytes: 1 | 2 | 4): string {
    const len = lengthBytes === 1 ? this.u8() : lengthBytes === 2 ? this.u16() : this.u32();
    if (this.pos + len > this.buf.length) throw new RangeError('string past the end');
    const v = this.buf.toString('utf8', this.pos, this.pos + len);
    this.pos += len;
    return v;
  }
  json<T>(lengthBytes: 1 | 2 | 4): T {
    return JSON.parse(this.str(lengthBytes)) as T;
  }
  user(): UserId {
    return this.u8() === 0 ? this.f64() : this.str(1);
  }
  key(): KeyAnswer | undefined {
    const key = this.str(1);
    if (key === '') return undefined;
    return { key, fingerprint: this.str(2), answer: this.str(4) };
  }
  key1(): KeyRef | undefined {
    const key = this.str(1);
    if (key === '') return undefined;
    return { key, fingerprint: this.str(2) };
  }
  change(): ChangeRecord {
    const rec = this.record();
    if (
      rec.type === RecordType.Batch ||
      rec.type === RecordType.Answer ||
      rec.type === RecordType.End ||
      rec.type === RecordType.Set ||
      rec.type === RecordType.Reset ||
      rec.type === RecordType.Key ||
      rec.type === RecordType.Archive ||
      rec.type === RecordType.Entries ||
      rec.type === RecordType.Profiles ||
      rec.type === RecordType.ArchivedResults
    ) {
      throw new RangeError(`record type ${rec.type} inside a batch`);
    }
    return rec;
  }
  record(): LogRecord {
    const type = this.u8();
    switch (type) {
      case RecordType.Board: {
        const at = this.f64();
        const board = this.str(1);
        return { type, at, board, config: this.json<StoredConfig>(2) };
      }
      case RecordType.BoardDelete:
      case RecordType.BoardReset: {
        const at = this.f64();
        return { type, at, board: this.str(1) };
      }
      case RecordType.Score: {
        const total = this.f64();
        const seq = this.f64();
        const at = this.f64();
        const board = this.str(1);
        return { type, at, board, user: this.user(), total, seq };
      }
      case RecordType.Profile: {
        const at = this.f64();
        const user = this.user();
        return { type, at, user, profile: this.json<StoredProfile>(2) };
      }
      case RecordType.Erase: {
        const at = this.f64();
        return { type, at, user: this.user() };
      }
      case RecordType.Period: {
        const at = this.f64();
        const board = this.str(1);
        const id = this.f64();
        const start = this.f64();
        const end = this.f64();
        return { type, at, board, id, start, end: Number.isNaN(end) ? null : end };
      }
      case RecordType.Result: {
        const at = this.f64();
        const board = this.str(1);
        const user = this.user();
        const total = this.f64();
        return { type, at, board, user, total, seq: this.f64() };
      }
      case RecordType.Archive: {
        const board = this.str(1);
        const id = this.f64();
        const start = this.f64();
        const end = this.f64();
        const order = this.u8() === 1 ? 'desc' : 'asc';
        const count = this.u32();
        const rows: ArchivedRow[] = [];
        for (let i = 0; i < count; i++)
          rows.push({ user: this.user(), total: this.f64(), country: this.u8() });
        return { type, board, id, start, end, order, rows };
      }
      case RecordType.Entries: {
        const board = this.str(1);
        const n = this.u32();
        if (n > this.buf.length) throw new RangeError('ENTRIES count past the end');
        const users: UserId[] = new Array<UserId>(n);
        const totals = new Float64Array(n);
        const seqs = new Float64Array(n);
        const resultCounts = new Uint16Array(n);
        const results: number[] = [];
        for (let i = 0; i < n; i++) {
          users[i] = this.user();
          totals[i] = this.f64();
          seqs[i] = this.f64();
          const count = (resultCounts[i] = this.u16());
          for (let k = 0; k < 3 * count; k++) results.push(this.f64());
        }
        return { type, board, users, totals, seqs, resultCounts, results: Float64Array.from(results) };
      }
      case RecordType.Profiles: {
        const n = this.u32();
        if (n > this.buf.length) throw new RangeError('PROFILES count past the end');
        const users: UserId[] = [];
        const profiles: StoredProfile[] = [];
        for (let i = 0; i < n; i++) {
          users.push(this.user());
          const flags = this.u8();
          profiles.push({
            name: flags & 1 ? this.str(1) : null,
            country: flags & 2 ? this.str(1) : null,
            metadata: flags & 4 ? this.json<Record<string, unknown>>(4) : null,
          });
        }
        return { type, users, profiles };
      }
      case RecordType.ArchivedResults: {
        const board = this.str(1);
        const id = this.f64();
        const user = this.user();
        const count = this.u16();
        const results: Array<{ total: number; at: number }> = [];
        for (let i = 0; i < count; i++) results.push({ total: this.f64(), at: this.f64() });
        return { type, board, id, user, results };
      }
      case RecordType.KeyPut: {
        const at = this.f64();
        const version = this.f64();
        const key = this.json<StoredKey>(2);
        return Number.isNaN(version) ? { type, at, key } : { type, at, key, version };
      }
      case RecordType.KeyDelete: {
        const at = this.f64();
        const version = this.f64();
        return { type, at, name: this.str(1), version };
      }
      case RecordType.Import: {
        const at = this.f64();
        const board = this.str(1);
        const count = this.u32();
        const records: LogRecord[] = [];
        for (let i = 0; i < count; i++) {
          const inner = this.record();
          if (!IMPORTABLE.has(inner.type) || ('board' in inner && inner.board !== board)) {
            throw new RangeError(`record type ${inner.type} inside the import of board "${board}"`);
          }
          records.push(inner);
        }
        return { type, at, board, records };
      }
      case RecordType.ShardMap: {
        const at = this.f64();
        return { type, at, map: this.json<ShardMap>(4) };
      }
      case RecordType.Freeze: {
        const at = this.f64();
        const board = this.str(1);
        return { type, at, board, frozen: this.u8() === 1 };
      }
      case RecordType.Batch: {
        const at = this.f64();
        const key = this.key();
        const count = this.u32();
        const records: ChangeRecord[] = [];
        for (let i = 0; i < count; i++) records.push(this.change());
        return key ? { type, at, key, records } : { type, at, records };
      }
      case RecordType.Answer: {
        const at = this.f64();
        const key = this.key();
        if (!key) throw new RangeError('ANSWER record without a key');
        return { type, at, key };
      }
      case RecordType.End:
        return { type, count: this.f64() };
      case RecordType.Set: {
        const total = this.f64();
        const seq = this.f64();
        const at = this.f64();
        const user = this.user();
        const key = this.key1();
        return key ? { type, total, seq, at, user, key } : { type, total, seq, at, user };
      }
      case RecordType.Reset:
        return { type, at: this.f64() };
      case RecordType.Key: {
        const at = this.f64();
        const user = this.user();
        const total = this.f64();
        const key = this.key1();
        if (!key) throw new RangeError('KEY record without a key');
        return { type, at, user, total, key };
      }
      default:
        throw new RangeError(`unknown record type ${type}`);
    }
  }
  done(): boolean {
    return this.pos === this.buf.length;
  }
}

function decodePayload(payload: Buffer): LogRecord {
  const r = new Reader(payload);
  const rec = r.record();
  if (!r.done()) throw new RangeError('trailing bytes in record');
  return rec;
}

/** Outcome of reading one framed record at an offset. */
export type ReadResult =
  | { kind: 'record'; record: LogRecord; next: number }
  /** The buffer ends inside this record: a torn write if it is the file's end. */
  | { kind: 'truncated' }
  /** The frame is complete but its checksum or contents are wrong. */
  | { kind: 'corrupt'; next: number; reason: string };

/** O(record). Reads the framed record at `offset` of `buf`. Never throws. */
export function readRecord(buf: Buffer, offset: number): ReadResult {
  if (offset + HEADER > buf.length) return { kind: 'truncated' };
  const len = buf.readUInt32LE(offset);
  const sum = buf.readUInt32LE(offset + 4);
  const end = offset + HEADER + len;
  if (end > buf.length) return { kind: 'truncated' };
  const payload = buf.subarray(offset + HEADER, end);
  if (crc32(payload) !== sum) return { kind: 'corrupt', next: end, reason: 'checksum mismatch' };
  try {
    return { kind: 'record', record: decodePayload(payload), next: end };
  } catch (err) {
    return { kind: 'corrupt', next: end, reason: (err as Error).message };
  }
}
