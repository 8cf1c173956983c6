import { describe, expect, it } from 'vitest';
import { RowError, readRows, rowLine } from './rows.js';
import { samplePlayers } from './sample.js';

describe('player rows', () => {
  const rows = [...samplePlayers(50, 3)];
  const ndjson = rows.map(rowLine).join('\n') + '\n';

  it('read back the same from NDJSON, a JSON array and CSV', () => {
    expect(readRows(ndjson)).toEqual(rows);
    expect(readRows(JSON.stringify(rows))).toEqual(rows);
    const csv = [
      'user,name,country,total',
      ...rows.map((r) => `${r.user},${r.name},${r.country},${r.total}`),
    ].join('\n');
    expect(readRows(csv)).toEqual(rows);
  });

  it('take numeric user ids, and rows without a name or country', () => {
    expect(readRows('user,name,country,total\n42,,,7\n"x y",Ann,,-3\n')).toEqual([
      { user: 42, total: 7 },
      { user: 'x y', name: 'Ann', total: -3 },
    ]);
  });

  it("carry a score's metadata: an object in JSON, JSON text in a CSV cell", () => {
    const withMeta = [
      { user: 'ann', total: 5, metadata: { replay: 'r-1', laps: [1, 2] } },
      { user: 7, name: 'Bo', total: 3 },
    ];
    const lines = withMeta.map(rowLine).join('\n');
    expect(readRows(lines)).toEqual(withMeta);
    expect(readRows(JSON.stringify(withMeta))).toEqual(withMeta);
    const csv = 'user,name,total,metadata\nann,,5,"{""replay"":""r-1"",""laps"":[1,2]}"\n7,Bo,3,\n';
    expect(readRows(csv)).toEqual(withMeta);
    expect(() => readRows('{"user":1,"total":1,"metadata":[1]}\n')).toThrow(/line 1: "metadata"/);
    expect(() => readRows('user,total,metadata\n1,1,nope\n')).toThrow(/CSV row 2: "metadata"/);
  });

  it('carry a subscore: an integer in JSON, a number in a CSV cell', () => {
    const rows = [
      { user: 'ann', total: 5, subscore: -12 },
      { user: 7, total: 5, subscore: 0 },
      { user: 8, total: 4 },
    ];
    expect(readRows(rows.map(rowLine).join('\n'))).toEqual(rows);
    expect(readRows('user,total,subscore\nann,5,-12\n7,5,0\n8,4,\n')).toEqual(rows);
    expect(() => readRows('{"user":1,"total":1,"subscore":1.5}\n')).toThrow(/line 1: "subscore"/);
    expect(() => readRows('user,total,subscore\n1,1,x\n')).toThrow(/CSV row 2: "subscore"/);
  });

  it('refuse a bad row naming where it is', () => {
    expect(() => readRows('{"user":1,"total":1}\n{"user":2,"total":1.5}\n')).toThrow(/line 2: "total"/);
    expect(() => readRows('{"user":1,"total":1}\nnot json\n')).toThrow(RowError);
    expect(() => readRows('[{"total":1}]')).toThrow(/item 0: no "user"/);
    expect(() => readRows('user,total\n1,abc\n')).toThrow(/CSV row 2/);
  });

  it('sample the same players for the same seed, with names, countries and a spread of totals', () => {
    expect([...samplePlayers(50, 3)]).toEqual(rows);
    expect([...samplePlayers(50, 4)]).not.toEqual(rows);
    const many = [...samplePlayers(5000, 1)];
    expect(new Set(many.map((r) => r.user)).size).toBe(5000);
    for (const r of many) {
      expect(r.name!.length).toBeGreaterThan(1);
      expect(r.name!.length).toBeLessThanOrEqual(32);
      expect(r.country).toMatch(/^[A-Z]{2}$/);
      expect(Number.isSafeInteger(r.total) && r.total >= 0).toBe(true);
    }
    const totals = many.map((r) => r.total).sort((a, b) => a - b);
    // Log-normal: the top is far above the median, which is far above the bottom.
    expect(totals[4999]! / totals[2500]!).toBeGreaterThan(10);
    expect(new Set(many.map((r) => r.country)).size).toBeGreaterThan(15);
  });
});
