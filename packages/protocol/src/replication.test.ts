import { describe, expect, it } from 'vitest';
import { decodeReplication, encodeReplication, type ReplicationMessage } from './replication.js';

describe('the replication link', () => {
  it('reads back every message it writes', () => {
    const messages: ReplicationMessage[] = [
      { kind: 'hello', lsn: 42, epoch: 9, endpoint: 'tcp://10.0.0.6:5555' },
      { kind: 'records', epoch: 9, first: 43, bytes: Buffer.from([1, 2, 3]) },
      { kind: 'snapshot-begin', epoch: 9, lsn: 40, bytes: 1 << 20 },
      { kind: 'snapshot-chunk', bytes: Buffer.alloc(5, 9) },
      { kind: 'snapshot-end' },
    ];
    for (const m of messages) expect(decodeReplication(encodeReplication(m))).toEqual(m);
  });

  it('refuses what is not a message: unknown kinds, bad heads, negative or fractional numbers, missing bytes', () => {
    const f = (...parts: string[]) => parts.map((p) => Buffer.from(p));
    for (const frames of [
      f('hello'),
      f('what', '{}'),
      f('hello', 'not json'),
      f('hello', 'null'),
      f('hello', '{"lsn":-1,"epoch":0,"endpoint":"x"}'),
      f('hello', '{"lsn":1.5,"epoch":0,"endpoint":"x"}'),
      f('hello', '{"lsn":1,"epoch":0}'),
      f('hello', '{"lsn":1,"endpoint":"x"}'),
      f('ack', '{"lsn":3}'),
      f('records', '{"epoch":1,"first":1}'),
      f('records', '{"first":1}', 'a'),
      f('snapshot-begin', '{"epoch":1,"lsn":1}'),
      f('snapshot-chunk', '{}'),
      f('records', '{"epoch":1,"first":1}', 'a', 'b'),
    ]) {
      expect(decodeReplication(frames)).toBeUndefined();
    }
  });
});
