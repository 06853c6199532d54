import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadTemplates } from '../../config/pathways/index.js';
import type { Template } from '../../src/domain/template.js';
import type { ObservationCount } from '../../src/reports/indicators.js';
import { buildStatistics, type StatisticsInput, type StatisticsTable } from '../../src/reports/published.js';

let templates: ReadonlyMap<string, Template>;
beforeAll(async () => {
  templates = await loadTemplates();
});

type Indicator = ObservationCount['indicator'];
/** `people` reached the event on `day` (or are still waiting on it), their stage ready from arrival. */
const seen = (programme: string, indicator: Indicator, day: number, people: number, event = true): ObservationCount => ({ programme, indicator, days: day, readyDays: day, event, people });
const input = (parts: Partial<StatisticsInput>): StatisticsInput => ({ people: [], placements: [], observations: [], templates, threshold: 5, ...parts });
const LARGE = (programme: string) => ({ programme, men: 40, women: 120, children: 300 });

describe('statistics safe to publish, as one answer', () => {
  it('says of a hidden cell only that it is hidden: knowing which one is small would give both away', () => {
    // 4 men and 4 women: were the two marked "small", the total of 8 would make each 4.
    const stats = buildStatistics(input({ people: [{ programme: 'KZ', men: 4, women: 4, children: 0 }] }));
    expect(stats.people.cells[0]).toEqual([{ count: null, suppressed: true }, { count: null, suppressed: true }, { count: 0, suppressed: false }]);
    expect(JSON.stringify(stats.people)).not.toMatch(/why|small|protect/);
  });

  it('takes the waiting times\' counts from the indicator tables, so the two never tell different things', () => {
    // Documented: KZ 3 of 53, UZ 60 of 80. The documents table hides KZ's 3 and what gives it away;
    // the waiting times of a document must not show UZ's 60, or the column total would give KZ's 3.
    const stats = buildStatistics(input({
      people: [LARGE('KZ'), LARGE('UZ')],
      observations: [seen('KZ', 'document', 10, 3), seen('KZ', 'document', 100, 50, false), ...Array.from({ length: 60 }, (_, i) => seen('UZ', 'document', i + 1, 1)), seen('UZ', 'document', 100, 20, false)],
    }));
    stats.indicators.forEach((row, r) => {
      expect(row.document.reached).toEqual(stats.documents.cells[r]![0]);
      expect(row.document.stillWaiting).toEqual(stats.documents.cells[r]![1]);
    });
    expect(stats.documents.cells[0]![0]).toEqual({ count: null, suppressed: true });
    const shownUz = stats.indicators[1]!.document.reached;
    if (!shownUz.suppressed && stats.documents.columnTotals?.[0] && !stats.documents.columnTotals[0].suppressed) {
      throw new Error('UZ documented and the documented total both shown: KZ documented = total - UZ');
    }
  });

  it('publishes no total of an indicator table, and nothing of a programme, when the people table hides part of that programme', () => {
    const stats = buildStatistics(input({
      people: [LARGE('KG'), { programme: 'KZ', men: 1, women: 7, children: 6 }, LARGE('UZ')],
      observations: [seen('KZ', 'placement', 10, 6, false), ...['KG', 'UZ'].flatMap((p) => [seen(p, 'placement', 20, 200), seen(p, 'placement', 100, 100, false)])],
    }));
    expect(stats.people.cells[1]![0]!.suppressed).toBe(true);
    for (const table of [stats.placements, stats.documents, stats.enrolments, stats.followUp]) {
      expect([table.rowTotals, table.columnTotals, table.total]).toEqual([null, null, null]);
      // Six Kazakh children not yet placed, all shown, would add up to Table 1's hidden children.
      expect(table.cells[1]!.every((c) => c.suppressed)).toBe(true);
    }
    // Kyrgyzstan or Uzbekistan hides a cell to protect Kazakhstan's man; the other is shown whole, and its placements too.
    const whole = stats.people.cells.findIndex((row) => row.every((c) => !c.suppressed));
    expect(stats.people.rows[whole]).toMatch(/KG|UZ/);
    expect(stats.placements.cells[whole]!.at(-1)).toEqual({ count: 100, suppressed: false });
  });

  it('shows a waiting time only where the number who reached it is shown, and a share only where it tells no small count', () => {
    // 60 reached, all before the 45-day target; 3 still waiting past it. 95% of 63 would make the 3 known.
    const kz = Array.from({ length: 60 }, (_, i) => seen('KZ', 'placement', (i % 40) + 1, 1));
    const stats = buildStatistics(input({ people: [LARGE('KZ')], observations: [...kz, seen('KZ', 'placement', 90, 3, false)] }));
    const placement = stats.indicators[0]!.placement;
    expect(placement.stillWaiting).toEqual({ count: null, suppressed: true });
    expect(placement.reached.suppressed).toBe(true);
    expect(placement).toMatchObject({ durationShown: false, medianDays: 'hidden', withinTarget: null });

    // 30 placed by day 40, 20 waiting: the share (60%) implies 30 within, 20 past: both large enough.
    const big = buildStatistics(input({
      people: [LARGE('KZ')],
      observations: [...Array.from({ length: 30 }, (_, i) => seen('KZ', 'placement', i + 10, 1)), seen('KZ', 'placement', 90, 20, false)],
    }));
    expect(big.indicators[0]!.placement).toMatchObject({ durationShown: true, withinTarget: 0.6 });
  });

  it('counts the share within the target from the day the stage became ready, not from arrival', () => {
    // Placed 60 days after arrival, 20 days after placement became ready: within the 45-day target.
    const ready = (day: number, readyDays: number, people: number): ObservationCount => ({ ...seen('KZ', 'placement', day, people), readyDays });
    const stats = buildStatistics(input({ people: [LARGE('KZ')], observations: [ready(60, 20, 10), ready(100, 60, 10)] }));
    expect(stats.indicators[0]!.placement).toMatchObject({ medianDays: 60, targetDays: 45, withinTarget: 0.5 });
  });

  it('keeps every answer consistent, whatever the counts (fast-check)', () => {
    const count = fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 5, max: 60 }));
    const programme = fc.record({ men: count, women: count, children: count, placed: fc.array(fc.record({ day: fc.integer({ min: 0, max: 120 }), people: count }), { maxLength: 4 }), waiting: count, documented: count, undocumented: count });
    fc.assert(
      fc.property(fc.array(programme, { minLength: 1, maxLength: 3 }), (programmes) => {
        const names = ['KG', 'KZ', 'UZ'].slice(0, programmes.length);
        const stats = buildStatistics(input({
          people: programmes.map((p, i) => ({ programme: names[i]!, men: p.men, women: p.women, children: p.children })),
          placements: programmes.map((p, i) => ({ programme: names[i]!, option: 'kinship', placed: p.placed.reduce((n, x) => n + x.people, 0) })),
          observations: programmes.flatMap((p, i) => [
            ...p.placed.filter((x) => x.people).map((x) => seen(names[i]!, 'placement', x.day, x.people)),
            ...(p.waiting ? [seen(names[i]!, 'placement', 130, p.waiting, false)] : []),
            ...(p.documented ? [seen(names[i]!, 'document', 20, p.documented)] : []),
            ...(p.undocumented ? [seen(names[i]!, 'document', 130, p.undocumented, false)] : []),
          ]),
        }));
        const tables: StatisticsTable[] = [stats.people, stats.placements, stats.documents, stats.enrolments, stats.followUp];
        for (const table of tables) {
          const entries = [...table.cells.flat(), ...(table.rowTotals ?? []), ...(table.columnTotals ?? []), ...(table.total ? [table.total] : [])];
          for (const c of entries) {
            expect(c.suppressed).toBe(c.count === null);
            if (c.count !== null) expect(c.count === 0 || c.count >= 5).toBe(true);
          }
        }
        const peopleHide = stats.people.cells.flat().some((c) => c.suppressed) || !!stats.people.rowTotals?.some((c) => c.suppressed);
        if (peopleHide) expect([stats.placements.columnTotals, stats.documents.total]).toEqual([null, null]);
        stats.indicators.forEach((row, r) => {
          expect(row.document.reached).toEqual(stats.documents.cells[r]![0]);
          expect(row.placement.stillWaiting).toEqual(stats.placements.cells[r]!.at(-1));
          for (const p of [row.placement, row.document]) {
            if (p.durationShown) expect(!p.reached.suppressed && p.reached.count! >= 5).toBe(true);
            else expect([p.medianDays, p.p90Days]).toEqual(['hidden', 'hidden']);
            if (p.withinTarget !== null) {
              const within = Math.round(p.withinTarget * p.people.count!);
              expect([within, p.people.count! - within].every((n) => n === 0 || n >= 5 || Math.abs(p.withinTarget! * p.people.count! - within) > 0.5)).toBe(true);
            }
          }
        });
      }),
      { numRuns: 500 },
    );
  });
});
