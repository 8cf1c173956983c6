/**
 * The bytes a record is made of: a growable writer and a bounds-checked reader of little-endian
 * primitives, and the field codecs a record's layout lists (layouts.ts). A field codec writes one
 * value and reads it back; the layout's order is the order of the bytes.
 *
 * Strings are s8/s16/s32: a u8/u16/u32 length and UTF-8. A user is a u8 tag (0: an f64 integer,
 * 1: an s8 string). An idempotency key is s8 key (empty: none) + s16 request fingerprint + s32
 * answer (JSON); the first version's key1 has no answer.
 */
import type { UserId } from '@scoreboard/protocol';

/** The frame's header: u32 payload length, u32 CRC-32 of the payload. */
export const HEADER = 8;

/** Appends little-endian primitives, growing its buffer as needed; starts after the frame header. */
export class Writer {
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
}

/**
 * Reads fields in order. Numbers go through a DataView, which the JIT turns into plain loads (where
 * Buffer's read methods assemble a double byte by byte); a read past the end throws a RangeError.
 */
export class Reader {
  pos = 0;
  private readonly view: DataView;

  constructor(readonly buf: Buffer) {
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
  /** O(1). True when every byte has been read. */
  done(): boolean {
    return this.pos === this.buf.length;
  }
}

/** How one field of a record is written and read back. */
export interface Field<T> {
  write(w: Writer, value: T): void;
  read(r: Reader): T;
}

/** A field a record may leave out: its codec writes and reads `undefined` for "absent". */
export interface OptionalField<T> extends Field<T | undefined> {
  readonly optional: true;
}

/** O(1). Marks a field whose codec can say "absent" as optional in the record's type. */
export function optional<T>(field: Field<T | undefined>): OptionalField<T> {
  return { ...field, optional: true };
}

export const f64: Field<number> = { write: (w, v) => w.f64(v), read: (r) => r.f64() };
export const u8: Field<number> = { write: (w, v) => w.u8(v), read: (r) => r.u8() };
export const s8: Field<string> = { write: (w, v) => w.str(v, 1), read: (r) => r.str(1) };
export const s16: Field<string> = { write: (w, v) => w.str(v, 2), read: (r) => r.str(2) };

/** An f64 where NaN stands for null (a period without an end). */
export const f64OrNull: Field<number | null> = {
  write: (w, v) => w.f64(v ?? NaN),
  read: (r) => {
    const v = r.f64();
    return Number.isNaN(v) ? null : v;
  },
};

/** An f64 where NaN stands for "absent" (a key record from before key versions). */
export const f64OrAbsent: Field<number | undefined> = {
  write: (w, v) => w.f64(v ?? NaN),
  read: (r) => {
    const v = r.f64();
    return Number.isNaN(v) ? undefined : v;
  },
};

/** A boolean as a u8 (1 true, 0 false). */
export const flag: Field<boolean> = { write: (w, v) => w.u8(v ? 1 : 0), read: (r) => r.u8() === 1 };

/** A board's order as a u8 (1 desc, 0 asc). */
export const order: Field<'desc' | 'asc'> = {
  write: (w, v) => w.u8(v === 'desc' ? 1 : 0),
  read: (r) => (r.u8() === 1 ? 'desc' : 'asc'),
};

/** O(1). JSON with a 2- or 4-byte length. */
export function json<T>(lengthBytes: 2 | 4): Field<T> {
  return {
    write: (w, v) => w.str(JSON.stringify(v), lengthBytes),
    read: (r) => JSON.parse(r.str(lengthBytes)) as T,
  };
}

/** A user id: u8 tag, then an f64 integer or an s8 string. */
export const user: Field<UserId> = {
  write: (w, u) => {
    if (typeof u === 'number') {
      w.u8(0);
      w.f64(u);
    } else {
      w.u8(1);
      w.str(u, 1);
    }
  },
  read: (r) => (r.u8() === 0 ? r.f64() : r.str(1)),
};

/** An idempotency key with the fingerprint of the request it was first used with. */
export interface KeyRef {
  key: string;
  fingerprint: string;
}

/** An idempotency key with its request's fingerprint and the answer it gave (JSON). */
export interface KeyAnswer extends KeyRef {
  answer: string;
}

/** An idempotency key and its answer, or none (an empty key). */
export const keyAnswer: Field<KeyAnswer | undefined> = {
  write: (w, k) => {
    if (!k) return w.u8(0);
    w.str(k.key, 1);
    w.str(k.fingerprint, 2);
    w.str(k.answer, 4);
  },
  read: (r) => {
    const key = r.str(1);
    if (key === '') return undefined;
    return { key, fingerprint: r.str(2), answer: r.str(4) };
  },
};

/** The first version's key: without its answer. */
export const keyRef: Field<KeyRef | undefined> = {
  write: (w, k) => {
    if (!k) return w.u8(0);
    w.str(k.key, 1);
    w.str(k.fingerprint, 2);
  },
  read: (r) => {
    const key = r.str(1);
    if (key === '') return undefined;
    return { key, fingerprint: r.str(2) };
  },
};

/** O(1). A field that must be present, from one that can say "absent" (a RangeError when absent). */
export function required<T>(field: Field<T | undefined>, what: string): Field<T> {
  return {
    write: (w, v) => field.write(w, v),
    read: (r) => {
      const v = field.read(r);
      if (v === undefined) throw new RangeError(`${what} without a key`);
      return v;
    },
  };
}

/** O(1). A list: a u16 or u32 count, then each item. A count larger than the bytes left is refused. */
export function list<T>(item: Field<T>, countBytes: 2 | 4 = 4): Field<T[]> {
  return {
    write: (w, items) => {
      if (countBytes === 2) w.u16(items.length);
      else w.u32(items.length);
      for (const it of items) item.write(w, it);
    },
    read: (r) => {
      const n = countBytes === 2 ? r.u16() : r.u32();
      if (n > r.buf.length) throw new RangeError('list count past the end');
      const out: T[] = [];
      for (let i = 0; i < n; i++) out.push(item.read(r));
      return out;
    },
  };
}

/** O(1). An object of fields, written in the order of `fields`. */
export function struct<T extends object>(fields: { [K in keyof T]-?: Field<T[K]> }): Field<T> {
  const entries = Object.entries(fields) as Array<[keyof T, Field<unknown>]>;
  return {
    write: (w, value) => {
      for (const [k, f] of entries) f.write(w, value[k]);
    },
    read: (r) => {
      const out = {} as T;
      for (const [k, f] of entries) out[k] = f.read(r) as T[keyof T];
      return out;
    },
  };
}
