/**
 * The counter that stamps tie-break sequence numbers, shared by every board: among equal totals
 * the entry whose total was reached first (the lower number) ranks higher.
 */
export class Sequence {
  private nextSeq = 1;

  /** O(1). The next number to stamp. */
  get next(): number {
    return this.nextSeq;
  }

  /** O(1). Stamps one. */
  take(): number {
    return this.nextSeq++;
  }

  /** O(1). Makes the next stamp at least `seq + 1` (a record applied used `seq`). */
  passed(seq: number): void {
    if (seq >= this.nextSeq) this.nextSeq = seq + 1;
  }

  /** O(1). Makes the next stamp at least `seq` (a snapshot's header). */
  atLeast(seq: number): void {
    if (seq > this.nextSeq) this.nextSeq = seq;
  }
}
