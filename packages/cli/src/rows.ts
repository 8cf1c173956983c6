/**
 * The CLI's one data format: a player row `{"user", "name", "country", "total", "subscore",
 * "metadata"}` — read
 * from NDJSON (one row per line), a JSON array of rows, or CSV with those columns (a CSV
 * `metadata` cell holds the object as JSON text); written as NDJSON.
 */
import { parse as parseCsv } from 'csv-parse/sync';

/** One player and their total. `name`, `country` and the score's `metadata` are optional. */
export interface PlayerRow {
  user: string | number;
  name?: string;
  country?: string;
  total: number;
  /** The entry's subscore, on a board with one. */
  subscore?: number;
  metadata?: Record<string, unknown>;
}

/** A row that cannot be read: where, and why. */
export class RowError extends Error {
  override readonly name = 'RowError';
}

/** O(1). A checked row from a parsed record; `where` names it in errors (e.g. "line 12"). */
export function toRow(record: unknown, where: string): PlayerRow {
  if (record === null || typeof record !== 'object' || Array.isArray(record)) {
    throw new RowError(`${where}: not an object`);
  }
  const r = record as Record<string, unknown>;
  const user = typeof r['user'] === 'string' && /^\d+$/.test(r['user']) ? Number(r['user']) : r['user'];
  if (typeof user !== 'string' && typeof user !== 'number') throw new RowError(`${where}: no "user"`);
  const total = typeof r['total'] === 'string' && r['total'] !== '' ? Number(r['total']) : r['total'];
  if (typeof total !== 'number' || !Number.isSafeInteger(total)) {
    throw new RowError(`${where}: "total" must be an integer`);
  }
  const row: PlayerRow = { user, total };
  const sub = r['subscore'];
  if (sub !== undefined && sub !== null && sub !== '') {
    const subscore = typeof sub === 'string' ? Number(sub) : sub;
    if (typeof subscore !== 'number' || !Number.isSafeInteger(subscore)) {
      throw new RowError(`${where}: "subscore" must be an integer`);
    }
    row.subscore = subscore;
  }
  for (const field of ['name', 'country'] as const) {
    const v = r[field];
    if (v === undefined || v === null || v === '') continue;
    if (typeof v !== 'string') throw new RowError(`${where}: "${field}" must be a string`);
    row[field] = v;
  }
  const metadata = metadataOf(r['metadata'], where);
  if (metadata !== undefined) row.metadata = metadata;
  return row;
}

/** O(size). A row's score metadata: an object, or JSON text of one (a CSV cell); absent when empty. */
function metadataOf(v: unknown, where: string): Record<string, unknown> | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  let parsed: unknown = v;
  if (typeof v === 'string') {
    try {
      parsed = JSON.parse(v) as unknown;
    } catch {
      throw new RowError(`${where}: "metadata" must be a JSON object`);
    }
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new RowError(`${where}: "metadata" must be a JSON object`);
  }
  return parsed as Record<string, unknown>;
}

/** O(size). The rows of a file's text, whichever of the three formats it is in (by its content). */
export function readRows(text: string): PlayerRow[] {
  const start = text.trimStart();
  if (start.startsWith('[')) {
    const parsed: unknown = JSON.parse(start);
    if (!Array.isArray(parsed)) throw new RowError('a JSON file must hold an array of rows');
    return parsed.map((r, i) => toRow(r, `item ${i}`));
  }
  if (start.startsWith('{')) {
    const rows: PlayerRow[] = [];
    text.split('\n').forEach((line, i) => {
      if (line.trim() === '') return;
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        throw new RowError(`line ${i + 1}: not JSON`);
      }
      rows.push(toRow(parsed, `line ${i + 1}`));
    });
    return rows;
  }
  const records = parseCsv<Record<string, string>>(text, {
    columns: true,
    skip_empty_lines: true,
    trim: true,
  });
  return records.map((r, i) => toRow(r, `CSV row ${i + 2}`));
}

/** O(1). A row as one NDJSON line, fields in the documented order. */
export function rowLine(row: PlayerRow): string {
  const { user, name, country, total, subscore, metadata } = row;
  return JSON.stringify({
    user,
    ...(name ? { name } : {}),
    ...(country ? { country } : {}),
    total,
    ...(subscore !== undefined ? { subscore } : {}),
    ...(metadata ? { metadata } : {}),
  });
}
