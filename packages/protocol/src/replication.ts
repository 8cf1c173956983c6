/**
 * The replication link: a standby's DEALER talks to its primary's ROUTER (REPLICATION_ENDPOINT).
 * A message is two or three frames — its kind, a JSON head, and for records and snapshot chunks the
 * bytes — and the records travel exactly as the primary's log holds them (the ranking server's
 * record format; this package never looks inside).
 *
 * standby → primary: `hello`, with the last record its own log holds durably — on connecting, every
 * second, and whenever that advances (it is the standby's acknowledgement). primary → standby: either `records` from the standby's next log sequence number on, or
 * first a snapshot (`snapshot-begin`, `snapshot-chunk`…, `snapshot-end`) and then `records` from the
 * snapshot's sequence number on.
 */

/**
 * What a standby says: its last log sequence number held durably, the epoch of the primary whose
 * history its log holds (0: none yet), and its client endpoint.
 */
export interface ReplicationHello {
  kind: 'hello';
  lsn: number;
  epoch: number;
  endpoint: string;
}

/** Records `first`, `first + 1`, … in the log's own format, back to back, from the primary of `epoch`. */
export interface ReplicationRecords {
  kind: 'records';
  epoch: number;
  first: number;
  bytes: Buffer;
}

/** A snapshot of `bytes` bytes of the primary of `epoch` follows; the records after it start at `lsn + 1`. */
export interface ReplicationSnapshotBegin {
  kind: 'snapshot-begin';
  epoch: number;
  lsn: number;
  bytes: number;
}

/** The next piece of the snapshot file. */
export interface ReplicationSnapshotChunk {
  kind: 'snapshot-chunk';
  bytes: Buffer;
}

/** The snapshot is whole. */
export interface ReplicationSnapshotEnd {
  kind: 'snapshot-end';
}

/** Any message of the replication link. */
export type ReplicationMessage =
  | ReplicationHello
  | ReplicationRecords
  | ReplicationSnapshotBegin
  | ReplicationSnapshotChunk
  | ReplicationSnapshotEnd;

const count = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;

/** O(size). The frames of `m`. */
export function encodeReplication(m: ReplicationMessage): Buffer[] {
  switch (m.kind) {
    case 'records':
      return [Buffer.from(m.kind), Buffer.from(JSON.stringify({ epoch: m.epoch, first: m.first })), m.bytes];
    case 'snapshot-chunk':
      return [Buffer.from(m.kind), Buffer.from('{}'), m.bytes];
    default: {
      const { kind, ...head } = m;
      return [Buffer.from(kind), Buffer.from(JSON.stringify(head))];
    }
  }
}

/** O(size). The message in `frames`, or undefined when they are not one (the caller logs it). */
export function decodeReplication(frames: readonly Buffer[]): ReplicationMessage | undefined {
  const [kindFrame, headFrame, bytes] = frames;
  if (!kindFrame || !headFrame || frames.length > 3) return undefined;
  let head: Record<string, unknown>;
  try {
    head = JSON.parse(headFrame.toString()) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (typeof head !== 'object' || head === null) return undefined;
  const kind = kindFrame.toString();
  switch (kind) {
    case 'hello':
      return count(head.lsn) && count(head.epoch) && typeof head.endpoint === 'string'
        ? { kind, lsn: head.lsn, epoch: head.epoch, endpoint: head.endpoint }
        : undefined;
    case 'records':
      return count(head.epoch) && count(head.first) && bytes
        ? { kind, epoch: head.epoch, first: head.first, bytes }
        : undefined;
    case 'snapshot-begin':
      return count(head.epoch) && count(head.lsn) && count(head.bytes)
        ? { kind, epoch: head.epoch, lsn: head.lsn, bytes: head.bytes }
        : undefined;
    case 'snapshot-chunk':
      return bytes ? { kind, bytes } : undefined;
    case 'snapshot-end':
      return { kind };
    default:
      return undefined;
  }
}
