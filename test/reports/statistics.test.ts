import { describe, expect, it } from 'vitest';
import { caseloadTable, publishCounts, waitingIndicator } from '../../src/reports/statistics.js';

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

  it('gives waiting times of a large enough group, and hides them for a small one', () => {
    // 10 people: placed at 10..60 days (6), 4 still waiting at 90. S(30) = 0.7, S(50) = 0.5.
    const group = [10, 20, 30, 40, 50, 60].map((duration) => ({ duration, event: true }));
    const waiting = Array.from({ length: 4 }, () => ({ duration: 90, event: false }));
    expect(waitingIndicator([...group, ...waiting], 30)).toEqual({
      people: 10,
      // 4 still waiting is small, and 6 would give it away (10 - 6): both are hidden, the group size is not.
      reached: null,
      stillWaiting: null,
      median: 50,
      p90: 'not-reached',
      withinTarget: expect.closeTo(0.3, 12),
      targetDays: 30,
    });
  });

  it('hides durations when fewer than five reached the event, however large the group', () => {
    const few = [...[5, 9, 12].map((duration) => ({ duration, event: true })), ...Array.from({ length: 40 }, () => ({ duration: 100, event: false }))];
    expect(waitingIndicator(few, 30)).toMatchObject({ people: 43, reached: null, stillWaiting: null, median: 'hidden', p90: 'hidden', withinTarget: null });
  });
});
