/**
 * Bulk import of player rows into a board: profiles (name, country) through `POST /players` and
 * totals through `POST /boards/:board/scores`, in batches of up to 1 000, in order.
 *
 * Resumable without applying anything twice: every batch carries an Idempotency-Key made from the
 * file's SHA-256, the board and the batch's number, and a state file beside the input records the
 * batches done (written after each). Run again after an interruption, the import skips the
 * batches done; the one in flight when it stopped is sent again with the same key, so the server
 * answers it as it did the first time instead of applying it again (keys are remembered for a
 * bounded time and count: see the README). A changed file starts over.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import type { Api } from './api.js';
import { readRows, type PlayerRow } from './rows.js';

/** Largest batch the API takes. */
export const MAX_BATCH = 1000;

/** Options of {@link importRows}. */
export interface ImportOptions {
  board: string;
  /** Rows per batch, 1–1 000. */
  batch: number;
  /** The configuration of a board created by the import (default: the service's defaults). */
  create?: Record<string, unknown>;
  /** Hears of progress: rows done so far, of the total. */
  progress?: (done: number, total: number) => void;
}

/** What an import did. */
export interface ImportResult {
  rows: number;
  batches: number;
  /** Batches skipped because a previous run had done them. */
  resumedBatches: number;
  createdBoard: boolean;
}

interface ImportState {
  sha256: string;
  board: string;
  batchesDone: number;
}

/** O(1). Where the state of importing `file` into `board` is kept. */
export function statePath(file: string, board: string): string {
  return `${file}.import-${board}.json`;
}

/** O(rows) requests/rows. Imports `file` into `options.board` (see the module comment). */
export async function importRows(api: Api, file: string, options: ImportOptions): Promise<ImportResult> {
  if (!Number.isInteger(options.batch) || options.batch < 1 || options.batch > MAX_BATCH) {
    throw new Error(`--batch must be an integer from 1 to ${MAX_BATCH}`);
  }
  const text = readFileSync(file, 'utf8');
  const sha256 = createHash('sha256').update(text).digest('hex');
  const rows = readRows(text);
  const stateFile = statePath(file, options.board);
  let done = 0;
  if (existsSync(stateFile)) {
    const state = JSON.parse(readFileSync(stateFile, 'utf8')) as ImportState;
    if (state.sha256 === sha256 && state.board === options.board) done = state.batchesDone;
  }
  const board = encodeURIComponent(options.board);
  const createdBoard = (await api.findBoard(options.board)) === undefined;
  if (createdBoard) await api.request('PUT', `/boards/${board}`, options.create ?? {});

  const batches = Math.ceil(rows.length / options.batch);
  const keyOf = (kind: string, i: number) =>
    `import-${sha256.slice(0, 24)}-${options.board}-${kind}${i}`.slice(0, 128);
  const resumedBatches = done;
  options.progress?.(Math.min(rows.length, done * options.batch), rows.length);
  for (let i = done; i < batches; i++) {
    const slice: PlayerRow[] = rows.slice(i * options.batch, (i + 1) * options.batch);
    const players = slice
      .filter((r) => r.name !== undefined || r.country !== undefined)
      .map(({ user, name, country }) => ({
        user,
        ...(name ? { name } : {}),
        ...(country ? { country } : {}),
      }));
    if (players.length > 0) {
      await api.request('POST', '/players', { players }, { 'idempotency-key': keyOf('p', i) });
    }
    const scores = slice.map(({ user, total, subscore, metadata }) => ({
      user,
      total,
      ...(subscore !== undefined ? { subscore } : {}),
      ...(metadata ? { metadata } : {}),
    }));
    await api.request('POST', `/boards/${board}/scores`, { scores }, { 'idempotency-key': keyOf('s', i) });
    const state: ImportState = { sha256, board: options.board, batchesDone: i + 1 };
    writeFileSync(`${stateFile}.tmp`, JSON.stringify(state));
    renameSync(`${stateFile}.tmp`, stateFile);
    options.progress?.(Math.min(rows.length, (i + 1) * options.batch), rows.length);
  }
  rmSync(stateFile, { force: true });
  return { rows: rows.length, batches, resumedBatches, createdBoard };
}
