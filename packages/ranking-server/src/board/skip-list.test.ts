import { describe, expect, it } from 'vitest';
import { SkipList } from './skip-list.js';
import { randomInt, seededRandom } from '@scoreboard/random';

/** The reference model: keys in a plain array, sorted by (score desc, sub desc, seq asc); sub is 0 without subscores. */
interface Key {
  score: number;
  seq: number;
  sub: number;
}
const cmp = (a: Key, b: Key): number => b.score - a.score || b.sub - a.sub || a.seq - b.seq;
/** Whether key `a` ranks before key `b`. */
const ahead = (a: Key, b: Key): boolean => cmp(a, b) < 0;

function expectSameAsModel(list: SkipList, nodeOf: Map<number, number>, model: Key[]): void {
  model.sort(cmp);
  expect(list.size).toBe(model.length);
  const walked: Key[] = [];
  for (let n = list.next(0); n !== 0; n = list.next(n)) {
    walked.push({ score: list.scoreOf(n), seq: list.seqOf(n), sub: list.subOf(n) });
  }
  expect(walked).toEqual(model);
  model.forEach((k, i) => {
    const node = nodeOf.get(k.seq)!;
    expect(list.rankOf(node)).toBe(i + 1);
    expect(list.atRank(i + 1)).toBe(node);
  });
}

/** Removes the model's `i`-th key from the list and the model. */
function removeAt(list: SkipList, model: Key[], nodeOf: Map<number, number>, i: number): void {
  const k = model[i]!;
  list.remove(nodeOf.get(k.seq)!);
  nodeOf.delete(k.seq);
  model.splice(i, 1);
}

/** Moves the model's `i`-th key to `nk` in the list (the same node) and the model. */
function rekeyAt(list: SkipList, model: Key[], nodeOf: Map<number, number>, i: number, nk: Key): void {
  const k = model[i]!;
  const node = nodeOf.get(k.seq)!;
  list.update(node, nk.score, nk.seq, nk.sub);
  nodeOf.delete(k.seq);
  nodeOf.set(nk.seq, node);
  model[i] = nk;
}

describe('SkipList', () => {
  it('is empty at first and answers nothing outside its ranks', () => {
    const list = new SkipList({ random: seededRandom(1) });
    expect(list.size).toBe(0);
    expect(list.atRank(1)).toBe(0);
    expect(list.range(1, 10)).toEqual([]);
    list.checkValid();
  });

  it('orders by score, then by who got the score first', () => {
    const list = new SkipList({ random: seededRandom(2) });
    const a = list.insert(10, 1);
    const b = list.insert(20, 2);
    const c = list.insert(10, 3);
    list.checkValid();
    expect(list.range(1, 3)).toEqual([b, a, c]);
    expect([list.rankOf(a), list.rankOf(b), list.rankOf(c)]).toEqual([2, 1, 3]);
  });

  for (const [seed, interleaveFrom, subscores] of [
    [7, undefined, false],
    [42, 0, false],
    [1234, undefined, false],
    [99991, 0, false],
    [5, undefined, true],
    [77, 0, true],
  ] as const) {
    const how = `${interleaveFrom === 0 ? 'interleaved' : 'plain'} updates${subscores ? ', subscores' : ''}`;
    it(`matches a sorted-array model over thousands of random operations (seed ${seed}, ${how})`, () => {
      const random = seededRandom(seed);
      const list = new SkipList({
        random,
        capacity: 16,
        subscores,
        ...(interleaveFrom === 0 ? { interleaveFrom } : {}),
      });
      // Subs from a small range, so equal scores often differ by sub and sometimes tie on it too.
      const subOf = (): number => (subscores ? randomInt(random, -3, 3) : 0);
      const model: Key[] = [];
      const nodeOf = new Map<number, number>(); // seq -> node
      let seq = 0;
      for (let op = 0; op < 6000; op++) {
        const r = random();
        const scoreRange = op % 2 === 0 ? 20 : 1_000_000; // many ties, then few
        if (r < 0.45 || model.length === 0) {
          const k = { score: randomInt(random, -scoreRange, scoreRange), seq: ++seq, sub: subOf() };
          nodeOf.set(k.seq, list.insert(k.score, k.seq, 0, k.sub));
          model.push(k);
        } else if (r < 0.85) {
          const i = randomInt(random, 0, model.length - 1);
          const k = model[i]!;
          const node = nodeOf.get(k.seq)!;
          // Small steps (often in place) and jumps anywhere (a new place, up or down).
          const score =
            random() < 0.5 ? k.score + randomInt(random, -5, 5) : randomInt(random, -scoreRange, scoreRange);
          const nk = { score, seq: ++seq, sub: random() < 0.5 ? k.sub : subOf() };
          list.update(node, nk.score, nk.seq, nk.sub);
          nodeOf.delete(k.seq);
          nodeOf.set(nk.seq, node);
          model[i] = nk;
        } else {
          const i = randomInt(random, 0, model.length - 1);
          const k = model[i]!;
          list.remove(nodeOf.get(k.seq)!);
          nodeOf.delete(k.seq);
          model.splice(i, 1);
        }
        // The rank of the key written last (answered without a descent while nothing else changed;
        // after a removal it must be searched for again).
        const last = seq;
        if (nodeOf.has(last)) {
          const key = model.find((k) => k.seq === last)!;
          const rank = 1 + model.filter((k) => ahead(k, key)).length;
          expect(list.rankOf(nodeOf.get(last)!)).toBe(rank);
        }
        if (op % 97 === 96) {
          list.checkValid();
          expectSameAsModel(list, nodeOf, model);
          const from = randomInt(random, 1, model.length + 2);
          const count = randomInt(random, 0, 30);
          const want = model.slice(from - 1, from - 1 + count).map((k) => nodeOf.get(k.seq));
          expect(list.range(from, count)).toEqual(want);
          // Counting by score, for standard ranks and ranges: probe present and absent scores.
          for (const score of [randomInt(random, -scoreRange, scoreRange), model[0]?.score ?? 0]) {
            expect(list.countAbove(score)).toBe(model.filter((k) => k.score > score).length);
            expect(list.countAtLeast(score)).toBe(model.filter((k) => k.score >= score).length);
            const first = model.find((k) => k.score === score && k.sub === 0);
            expect(list.findScore(score)).toBe(first ? nodeOf.get(first.seq) : 0);
            // By (score, sub), for standard and dense ranks with subscores.
            const sub = subOf();
            const better = (k: Key): boolean => k.score > score || (k.score === score && k.sub > sub);
            expect(list.countAbove(score, sub)).toBe(model.filter(better).length);
            const firstPair = model.find((k) => k.score === score && k.sub === sub);
            expect(list.findScore(score, sub)).toBe(firstPair ? nodeOf.get(firstPair.seq) : 0);
            const after = { score, sub, seq: randomInt(random, 0, seq + 1) };
            const next = model.find((k) => ahead(after, k));
            expect(list.firstAfter(after.score, after.seq, after.sub)).toBe(next ? nodeOf.get(next.seq) : 0);
          }
        }
      }
      list.checkValid();
      expectSameAsModel(list, nodeOf, model);
    });
  }

  it('links keys that rank last without a search, mixed with every other change, like the model', () => {
    for (const seed of [5, 77, 2024]) {
      const random = seededRandom(seed);
      const list = new SkipList({ random, capacity: 16 });
      const model: Key[] = [];
      const nodeOf = new Map<number, number>();
      let seq = 0;
      let low = 0; // every key so far scores above it: a key at `low` ranks last
      for (let op = 0; op < 4000; op++) {
        const r = random();
        if (r < 0.6 || model.length === 0) {
          // Runs of keys in rank order (a snapshot's load), ties on the last score included.
          if (random() < 0.7) low -= randomInt(random, 0, 3);
          const k = { score: random() < 0.9 ? low : randomInt(random, low, 1000), seq: ++seq, sub: 0 };
          nodeOf.set(k.seq, list.insert(k.score, k.seq));
          model.push(k);
        } else if (r < 0.8) {
          removeAt(list, model, nodeOf, randomInt(random, 0, model.length - 1));
        } else {
          const i = randomInt(random, 0, model.length - 1);
          const nk = {
            score: random() < 0.5 ? low - 1 : model[i]!.score + randomInt(random, -2, 2),
            seq: ++seq,
            sub: 0,
          };
          rekeyAt(list, model, nodeOf, i, nk);
          low = Math.min(low, nk.score);
        }
        if (op % 53 === 52) {
          list.checkValid();
          expectSameAsModel(list, nodeOf, model);
        }
      }
      list.checkValid();
      expectSameAsModel(list, nodeOf, model);
      list.clear();
      for (let i = 0; i < 50; i++) list.insert(-i, ++seq);
      list.checkValid();
      expect(list.rankOf(list.atRank(50))).toBe(50);
    }
  });

  it('appends runs of keys in rank order, stops at the first out of order, mixed with every change, like the model', () => {
    for (const seed of [3, 41, 909]) {
      const random = seededRandom(seed);
      const list = new SkipList({ random, capacity: 4 }); // runs grow the buffer midway
      const model: Key[] = [];
      const nodeOf = new Map<number, number>();
      let seq = 0;
      let low = 0;
      for (let op = 0; op < 600; op++) {
        const r = random();
        if (r < 0.4 || model.length === 0) {
          // A run; now and then one key in it ranks too high, and the run stops there.
          const n = randomInt(random, 0, 40);
          const scores: number[] = [];
          const seqs: number[] = [];
          const breakAt = random() < 0.3 ? randomInt(random, 0, n) : n;
          for (let i = 0; i < n; i++) {
            if (i === breakAt) scores.push(low + randomInt(random, 1, 50));
            else {
              if (random() < 0.7) low -= randomInt(random, 0, 3);
              scores.push(low);
            }
            seqs.push(++seq);
          }
          const nodes = new Int32Array(n);
          const linked = list.appendRun(n, scores, seqs, seqs, nodes);
          // The first key that ranks above the list's last one ends the run, and only it.
          const last = model.length === 0 ? undefined : [...model].sort(cmp)[model.length - 1];
          const stopsAt = scores.findIndex((score, i) => {
            const prev = i === 0 ? last : { score: scores[i - 1]!, seq: seqs[i - 1]!, sub: 0 };
            return prev !== undefined && cmp(prev, { score, seq: seqs[i]!, sub: 0 }) >= 0;
          });
          expect(linked).toBe(stopsAt === -1 ? n : stopsAt);
          for (let i = 0; i < linked; i++) {
            expect(list.slotOf(nodes[i]!)).toBe(seqs[i]);
            nodeOf.set(seqs[i]!, nodes[i]!);
            model.push({ score: scores[i]!, seq: seqs[i]!, sub: 0 });
          }
          if (linked > 0) expect(list.rankOf(nodes[linked - 1]!)).toBe(model.length);
          if (linked < n) low = Math.min(low, ...model.map((k) => k.score));
        } else if (r < 0.55) {
          const k = { score: randomInt(random, low, 100), seq: ++seq, sub: 0 };
          nodeOf.set(k.seq, list.insert(k.score, k.seq));
          model.push(k);
        } else if (r < 0.75) {
          removeAt(list, model, nodeOf, randomInt(random, 0, model.length - 1));
        } else {
          const i = randomInt(random, 0, model.length - 1);
          const nk = { score: model[i]!.score + randomInt(random, -20, 20), seq: ++seq, sub: 0 };
          rekeyAt(list, model, nodeOf, i, nk);
          low = Math.min(low, nk.score);
        }
        list.checkValid();
        if (op % 17 === 16) expectSameAsModel(list, nodeOf, model);
      }
      expectSameAsModel(list, nodeOf, model);
    }
  });

  it('resumes a walk after a key with firstAfter, and counts every change', () => {
    const list = new SkipList({ random: seededRandom(9) });
    const nodes = [50, 40, 40, 30].map((score, i) => list.insert(score, i + 1));
    expect(list.firstAfter(40, 2)).toBe(nodes[2]);
    expect(list.firstAfter(40, 2.5)).toBe(nodes[2]);
    expect(list.firstAfter(40, 3)).toBe(nodes[3]);
    expect(list.firstAfter(99, 0)).toBe(nodes[0]);
    expect(list.firstAfter(30, 4)).toBe(0);
    const before = list.changes;
    list.update(nodes[3]!, 31, 4); // in place
    expect(list.changes).toBeGreaterThan(before);
    const moved = list.changes;
    list.remove(nodes[0]!);
    expect(list.changes).toBeGreaterThan(moved);
    expect(list.scoreOf(list.firstAfter(45, 0))).toBe(40);
  });

  it('keeps two payloads per node, set at insert and changed in place', () => {
    const list = new SkipList({ random: seededRandom(3) });
    const a = list.insert(5, 1, 42);
    const b = list.insert(7, 2, 43);
    expect([list.slotOf(a), list.auxOf(a), list.slotOf(b), list.auxOf(b)]).toEqual([42, 0, 43, 0]);
    list.setAux(a, -9);
    list.setSlot(b, 44);
    list.update(a, 9, 3); // moves past b: payloads travel with the node
    expect([list.slotOf(a), list.auxOf(a), list.slotOf(b)]).toEqual([42, -9, 44]);
    list.remove(a);
    const c = list.insert(1, 4, 7); // may reuse a's block: aux starts at 0 again
    expect(list.auxOf(c)).toBe(0);
    list.checkValid();
  });

  it('bulk-loads keys given in rank order into the same list a search-built one is, and keeps working', () => {
    const random = seededRandom(21);
    for (const count of [0, 1, 2, 17, 3000]) {
      const list = new SkipList({ random, capacity: 4 });
      const keys = Array.from({ length: count }, (_, i) => ({
        score: 1_000_000 - i * 3 - (i % 2),
        seq: i + 1,
        slot: i,
      }));
      const nodes = list.bulkLoad(
        keys.map((k) => k.score),
        keys.map((k) => k.seq),
        keys.map((k) => k.slot),
      );
      list.checkValid();
      expect(list.size).toBe(count);
      for (let i = 0; i < count; i += Math.max(1, Math.floor(count / 50))) {
        expect(list.atRank(i + 1)).toBe(nodes[i]);
        expect(list.rankOf(nodes[i]!)).toBe(i + 1);
        expect(list.slotOf(nodes[i]!)).toBe(i);
      }
      // Searches, updates and removals work on a loaded list as on any other.
      const a = list.insert(500, 99_999, -1);
      if (count > 10) {
        list.update(nodes[5]!, -10, 100_000);
        list.remove(nodes[7]!);
      }
      list.checkValid();
      expect(list.rankOf(a)).toBe(1 + list.countAbove(500));
    }
    expect(() => {
      const list = new SkipList({ random });
      list.insert(1, 1);
      list.bulkLoad([0], [2], [0]);
    }).toThrow(/empty/);
  });

  it('empties on clear and is usable again', () => {
    const random = seededRandom(5);
    const list = new SkipList({ random });
    for (let i = 0; i < 200; i++) list.insert(randomInt(random, 0, 50), i);
    list.clear();
    expect(list.size).toBe(0);
    list.checkValid();
    const n = list.insert(3, 1);
    expect(list.rankOf(n)).toBe(1);
    list.checkValid();
  });

  it('checkValid catches a broken order', () => {
    const list = new SkipList({ random: seededRandom(9) });
    const a = list.insert(5, 1);
    list.insert(4, 2);
    // Corrupt the key behind the list's back: checkValid must notice.
    (list as unknown as { f64: Float64Array }).f64[a] = 1;
    expect(() => list.checkValid()).toThrow(/out of order/);
  });
});

describe('SkipList with subscores', () => {
  it('loads keys in (score, sub, seq) order in one pass and stops at the first out of order', () => {
    const list = new SkipList({ random: seededRandom(4), capacity: 4, subscores: true });
    const nodes = list.bulkLoad([9, 9, 9, 5], [3, 1, 2, 4], [0, 1, 2, 3], [7, 2, 2, -1]);
    list.checkValid();
    expect([...nodes].map((n) => list.subOf(n))).toEqual([7, 2, 2, -1]);
    expect([...nodes].map((n) => list.rankOf(n))).toEqual([1, 2, 3, 4]);
    // (9, sub 2) ranks after (9, sub 7) whatever its seq: a run that says otherwise stops there.
    const more = new Int32Array(2);
    expect(list.appendRun(2, [5, 5], [1, 9], [4, 5], more, [-1, 0])).toBe(0);
    expect(list.appendRun(2, [5, 5], [5, 9], [4, 5], more, [-1, -2])).toBe(2);
    list.checkValid();
    expect(list.countAbove(9, 2)).toBe(1);
    expect(list.countAbove(9)).toBe(0);
    expect(list.countAbove(5, -1)).toBe(3);
  });

  it('takes 8 bytes more per node than the same list without subscores, and the header no more', () => {
    const plain = new SkipList({ random: seededRandom(6), capacity: 4 });
    const subs = new SkipList({ random: seededRandom(6), capacity: 4, subscores: true });
    const empty = plain.byteSize();
    expect(subs.byteSize()).toBe(empty);
    for (let i = 0; i < 1000; i++) {
      plain.insert(i % 17, i);
      subs.insert(i % 17, i, 0, i % 5);
    }
    expect(subs.byteSize() - empty).toBe(plain.byteSize() - empty + 8 * 1000);
  });

  it('reads every sub as 0 on a list without subscores', () => {
    const list = new SkipList({ random: seededRandom(5) });
    const a = list.insert(3, 1, 0, 99);
    const b = list.insert(3, 2, 0, 100);
    expect([list.subOf(a), list.subOf(b)]).toEqual([0, 0]);
    expect(list.range(1, 2)).toEqual([a, b]);
  });
});
