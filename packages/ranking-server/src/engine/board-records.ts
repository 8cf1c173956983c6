/**
 * A board's configuration as a log record and back. The record holds the whole configuration and
 * the live period as they are after the change, so replaying it twice changes nothing; records
 * written before periods existed lack the time fields and read back with their defaults.
 */
import { DEFAULT_KEEP } from '@scoreboard/protocol';
import type { Board, BoardConfig, Period } from '../board/board.js';
import { RecordType, type RecordOfType, type StoredConfig } from '../records/index.js';

/** A BOARD record. */
export type BoardRecord = RecordOfType<typeof RecordType.Board>;

/** O(1). The record of a board as it now is. */
export function boardRecord(board: Board, at: number): BoardRecord {
  return boardRecordOf(board.id, { config: board.config, created: board.created, period: board.period }, at);
}

/** O(1). The record of board `id` with these rules, creation time and live period. */
export function boardRecordOf(
  id: string,
  { config: c, created, period }: { config: BoardConfig; created: number; period: Period },
  at: number,
): BoardRecord {
  const config: StoredConfig = {
    order: c.order,
    operator: c.operator,
    min: c.min,
    max: c.max,
    reset: c.reset && ('everySeconds' in c.reset ? { everySeconds: c.reset.everySeconds } : { ...c.reset }),
    keep: c.keep,
    history: c.history,
    start: c.start,
    end: c.end,
    hours: c.hours && { ...c.hours, days: [...c.hours.days] },
    // Only when set: the records of boards that are no tournaments stay as they were.
    ...(c.join ? { join: true } : {}),
    ...(c.maxPlayers !== null ? { maxPlayers: c.maxPlayers } : {}),
    ...(c.maxAttempts !== null ? { maxAttempts: c.maxAttempts } : {}),
    ...(c.bucket !== null ? { bucket: { size: c.bucket.size } } : {}),
    ...(c.tiers !== null ? { tiers: structuredClone([...c.tiers]) } : {}),
    ...(c.promote !== 0 ? { promote: c.promote } : {}),
    ...(c.relegate !== 0 ? { relegate: c.relegate } : {}),
    ...(c.rewards !== null ? { rewards: structuredClone([...c.rewards]) } : {}),
    ...(c.subscore !== null ? { subscore: { order: c.subscore.order } } : {}),
    created,
    period: { ...period },
  };
  return { type: RecordType.Board, at, board: id, config };
}

/** O(1). A board's configuration, creation time and live period from its record (written at `at`). */
export function boardFromRecord(
  stored: StoredConfig,
  at: number,
): { config: BoardConfig; created: number; period: Period } {
  const created = stored.created ?? at;
  return {
    config: {
      order: stored.order,
      operator: stored.operator,
      min: stored.min,
      max: stored.max,
      reset: stored.reset ?? null,
      keep: stored.keep ?? DEFAULT_KEEP,
      history: stored.history ?? 0,
      start: stored.start ?? null,
      end: stored.end ?? null,
      hours: stored.hours ?? null,
      join: stored.join ?? false,
      maxPlayers: stored.maxPlayers ?? null,
      maxAttempts: stored.maxAttempts ?? null,
      bucket: stored.bucket ?? null,
      tiers: stored.tiers ?? null,
      promote: stored.promote ?? 0,
      relegate: stored.relegate ?? 0,
      rewards: stored.rewards ?? null,
      subscore: stored.subscore ?? null,
    },
    created,
    period: stored.period ?? { id: 1, start: created, end: null },
  };
}
