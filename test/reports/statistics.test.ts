import { describe, expect, it } from 'vitest';
import { caseloadTable, publishCounts } from '../../src/reports/statistics.js';

describe('statistics as they leave the organisation', () => {
  it('publishes Table 1 (people per programme: men, women, children) with small counts hidden', () => {
    const table = caseloadTable([
      { programme: 'kazakhstan', men: 40, women: 120, children: 300 },
      { programme: 'tajikistan', men: 2, women: 30, children: 80 },
      { programme: 'uzbekistan', men: 25, women: 90, children: 200 },
    ]);
    const published = publishCounts(table);
    expect(published.rows).toEqual(['kazakhstan', 'tajikistan', 'uzbekistan']);
    expect(published.columns).toEqual(['men', 'women', 'children']);
    // 2 men is small; 30 women (the smallest in its row) and 25 men (the smallest in its column)
    // go with it, then 90 to pair 25 in its row: 2 could be anything from 0 to 2 + min(30, 25) = 27.
    expect(published.cells).toEqual([
      [40, 120, 300],
      [null, null, 80],
      [null, null, 200],
    ]);
    expect(published.rowTotals).toEqual([460, 112, 315]);
    expect(published.total).toBe(887);
  });

  it('refuses labels that do not fit the counts', () => {
    expect(() => publishCounts({ rows: ['a'], columns: ['x', 'y'], counts: [[1]] })).toThrow(RangeError);
  });
});
