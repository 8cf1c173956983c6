/** A journal that keeps the records handed to it, so tests can read what a command logged. */
import type { Journal } from '../engine/handler.js';
import type { LogRecord } from '../records/index.js';

/** A {@link Journal} that records in memory. */
export class RecordingJournal implements Journal {
  readonly records: LogRecord[] = [];

  /** O(1). */
  append(record: LogRecord): number {
    this.records.push(record);
    return this.records.length;
  }

  /** O(1). */
  get appendedTicket(): number {
    return this.records.length;
  }

  /** Set by a test to make the journal refuse writes, as a full disk does. */
  stalled: Error | undefined = undefined;

  /** O(1). Counts the requests for compaction. */
  compactions = 0;

  /** O(1). */
  compactSoon(): void {
    this.compactions++;
  }
}
