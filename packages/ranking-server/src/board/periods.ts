/**
 * A board's periods: the live one, and the finished ones kept readable (at most `keep`, oldest
 * first). Ids count up from 1; a live period's `end` is null on a board that never resets. A
 * finished period is an {@link ArchivedPeriod}: sorted arrays, read-only.
 */
import { isoOf } from '@scoreboard/calendar';
import type { PeriodView, UserId } from '@scoreboard/protocol';
import { ArchivedPeriod, type BanView } from './archive.js';

/** A period: ids count up from 1; `end` is null on a board that never resets. */
export interface Period {
  id: number;
  start: number;
  end: number | null;
}

/** O(1). A period as answered. */
export function periodInfo(p: Period): { id: number; start: string; end: string | null } {
  return { id: p.id, start: isoOf(p.start), end: p.end === null ? null : isoOf(p.end) };
}

/** The live period of a board and its finished periods. */
export class Periods {
  private live: Period;
  /** Finished periods kept readable, oldest first. */
  private archived: ArchivedPeriod[] = [];

  /** O(1). */
  constructor(live: Period) {
    this.live = { ...live };
  }

  /** O(1). The live period. */
  get current(): Readonly<Period> {
    return this.live;
  }

  /** O(1). The live period becomes `period` (a record's, or the next after an end). */
  begin(period: Period): void {
    this.live = { ...period };
  }

  /** O(1). Keeps a finished period (built by the board from its rows when its period ended). */
  keep(period: ArchivedPeriod): void {
    this.archived.push(period);
  }

  /**
   * O(1). A finished period read back from a snapshot (its rows follow), or the one already held
   * with that id, in id order.
   */
  restore(
    id: number,
    start: number,
    end: number,
    sign: 1 | -1,
    subOrder: 'desc' | 'asc' | null = null,
    bans?: BanView,
  ): ArchivedPeriod {
    let period = this.archived.find((p) => p.id === id);
    if (!period) {
      period = new ArchivedPeriod(id, start, end, sign, subOrder, bans);
      this.archived.push(period);
      this.archived.sort((a, b) => a.id - b.id);
    }
    return period;
  }

  /** O(periods). A finished period kept readable, by id. */
  finished(id: number): ArchivedPeriod | undefined {
    return this.archived.find((p) => p.id === id);
  }

  /** O(1) per step. The finished periods, oldest first (snapshots). */
  all(): readonly ArchivedPeriod[] {
    return this.archived;
  }

  /** O(periods). Every period, the live one first (with `liveCount` entries), then the finished ones newest first. */
  views(liveCount: number): PeriodView[] {
    const out: PeriodView[] = [{ ...periodInfo(this.live), count: liveCount }];
    for (let i = this.archived.length - 1; i >= 0; i--) {
      const p = this.archived[i]!;
      out.push({ id: p.id, start: isoOf(p.start), end: isoOf(p.end), count: p.count });
    }
    return out;
  }

  /** O(periods · n). True when a finished period holds a row or results of the player. */
  holds(user: UserId): boolean {
    return this.archived.some((p) => p.holds(user));
  }

  /** O(periods · n). Removes a player from every finished period (erasure); true if it was in one. */
  erase(user: UserId): boolean {
    let found = false;
    for (const p of this.archived) if (p.remove(user)) found = true;
    return found;
  }

  /** O(archives). Drops the oldest finished periods past `keep`. */
  trim(keep: number): void {
    if (this.archived.length > keep) this.archived.splice(0, this.archived.length - keep);
  }

  /**
   * O(periods). Checks that the finished periods come in id order, end before the live period
   * begins and are at most `keep`. Throws naming the fault. For tests.
   */
  checkValid(keep: number): void {
    if (this.archived.length > keep)
      throw new Error(`${this.archived.length} finished periods > keep ${keep}`);
    for (let i = 0; i < this.archived.length; i++) {
      const p = this.archived[i]!;
      if (i > 0 && p.id <= this.archived[i - 1]!.id) throw new Error(`finished period ${p.id} out of order`);
      if (p.id >= this.live.id)
        throw new Error(`finished period ${p.id} not before the live ${this.live.id}`);
      if (p.end > this.live.start) throw new Error(`finished period ${p.id} ends after the live one starts`);
    }
  }
}
