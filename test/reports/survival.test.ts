import { describe, expect, it } from 'vitest';
import { kaplanMeier, shareWithin, survivalAt, timeToShare, type Observation } from '../../src/reports/survival.js';

const ev = (duration: number): Observation => ({ duration, event: true });
const waiting = (duration: number): Observation => ({ duration, event: false });

describe('time to an event, counting people still waiting', () => {
  it('matches a hand computation with people still waiting', () => {
    // Six people: placed at 3, 5, 8, 12 days; still waiting at 5 and 10 days.
    //  t   n  d  c   S(t)                    Σ d/(n(n-d))
    //  3   6  1  0   5/6         = 0.8333    1/30
    //  5   5  1  1   5/6·4/5     = 0.6667    1/30 + 1/20 = 1/12
    //  8   3  1  0   2/3·2/3     = 0.4444    1/12 + 1/6  = 1/4
    // 10   2  0  1   4/9 (a person stops being followed: no step)
    // 12   1  1  0   0
    // Greenwood SE at 8: 4/9 · √(1/4) = 2/9 = 0.2222.
    // Log-log limits at 5: σ = √(1/12) / |ln(2/3)| = 0.288675 / 0.405465 = 0.711959;
    //   e^(1.96·σ) = 4.03663; lower = (2/3)^4.03663 = 0.19462; upper = (2/3)^(1/4.03663) = 0.90443.
    // Median: first S <= 0.5 is at 8. 90th percentile: first S <= 0.1 is at 12.
    // A median of the finished only (3, 5, 8, 12) would say 6.5 days.
    const km = kaplanMeier([ev(3), waiting(5), ev(5), ev(8), waiting(10), ev(12)]);
    expect(km.curve.map((p) => [p.time, p.atRisk, p.events, p.censored])).toEqual([
      [3, 6, 1, 0],
      [5, 5, 1, 1],
      [8, 3, 1, 0],
      [10, 2, 0, 1],
      [12, 1, 1, 0],
    ]);
    [5 / 6, 2 / 3, 4 / 9, 4 / 9, 0].forEach((s, i) => expect(km.curve[i]!.survival).toBeCloseTo(s, 12));
    expect(km.curve[2]!.standardError).toBeCloseTo(2 / 9, 10);
    expect(km.curve[1]!.lower).toBeCloseTo(0.19462, 4);
    expect(km.curve[1]!.upper).toBeCloseTo(0.90443, 4);
    expect(km.curve[4]).toMatchObject({ survival: 0, standardError: null, lower: null, upper: null });
    expect(km).toMatchObject({ people: 6, events: 4, censored: 2, median: 8, p90: 12 });
    // Share within a target: 1 - S(target). Within 7 days: 1 - 2/3; within 8: 1 - 4/9.
    expect(shareWithin(km, 7)).toBeCloseTo(1 / 3, 12);
    expect(shareWithin(km, 8)).toBeCloseTo(5 / 9, 12);
    expect(shareWithin(km, 2)).toBe(0);
    expect(survivalAt(km, 11)).toBeCloseTo(4 / 9, 12);
    expect(timeToShare(km, 0.5)).toBe(8);
    expect(timeToShare(km, 0.25)).toBe(5); // S(5) = 2/3 <= 0.75
  });

  it('counts someone who stops being followed on the day of an event as still waiting that day', () => {
    // t=2: n=2, d=1, c=1, S = 1 - 1/2 = 0.5, so the median is reached at 2. Had the censoring come
    // first, n would be 1 and S would drop to 0.
    const km = kaplanMeier([waiting(2), ev(2)]);
    expect(km.curve).toEqual([expect.objectContaining({ time: 2, atRisk: 2, events: 1, censored: 1, survival: 0.5 })]);
    expect(km.median).toBe(2);
    expect(km.p90).toBeUndefined();
  });

  it('says "not reached" when too many are still waiting', () => {
    // 10 people: 4 placed at 10, 20, 30, 40 days, 6 still waiting at 50 days. S(40) = 6/10 > 0.5.
    const km = kaplanMeier([ev(10), ev(20), ev(30), ev(40), ...Array.from({ length: 6 }, () => waiting(50))]);
    expect(km.curve.at(-2)!.survival).toBeCloseTo(0.6, 12);
    expect(km.median).toBeUndefined();
    expect(km.p90).toBeUndefined();
    expect(shareWithin(km, 365)).toBeCloseTo(0.4, 12);
  });

  it('handles no one, everyone still waiting, and everyone at once', () => {
    expect(kaplanMeier([])).toEqual({ people: 0, events: 0, censored: 0, curve: [], median: undefined, p90: undefined });
    expect(shareWithin(kaplanMeier([]), 30)).toBe(0);

    const allWaiting = kaplanMeier([waiting(4), waiting(9), waiting(9)]);
    expect(allWaiting.curve.map((p) => p.survival)).toEqual([1, 1]);
    expect(allWaiting.curve[0]).toMatchObject({ standardError: 0, lower: 1, upper: 1 });
    expect(allWaiting).toMatchObject({ events: 0, censored: 3, median: undefined, p90: undefined });

    const allAtOnce = kaplanMeier([ev(7), ev(7), ev(7), ev(7)]);
    expect(allAtOnce.curve).toEqual([{ time: 7, atRisk: 4, events: 4, censored: 0, survival: 0, standardError: null, lower: null, upper: null }]);
    expect(allAtOnce).toMatchObject({ median: 7, p90: 7 });
    expect(shareWithin(allAtOnce, 6)).toBe(0);
    expect(shareWithin(allAtOnce, 7)).toBe(1);
  });

  it('refuses a duration that is not a number of days', () => {
    expect(() => kaplanMeier([ev(-1)])).toThrow(RangeError);
    expect(() => kaplanMeier([ev(Number.NaN)])).toThrow(RangeError);
    expect(() => timeToShare(kaplanMeier([ev(1)]), 0)).toThrow(RangeError);
  });
});

describe('the textbook table: Freireich et al. (1963), remission of acute leukaemia, weeks', () => {
  // The 6-MP group (n = 21, 9 relapses, 12 still in remission marked false) and the placebo group
  // (n = 21, all relapsed), as in Kleinbaum & Klein, Survival Analysis, ch. 2, and Collett.
  const sixMp: Observation[] = [
    ...[6, 6, 6, 7, 10, 13, 16, 22, 23].map(ev),
    ...[6, 9, 10, 11, 17, 19, 20, 25, 32, 32, 34, 35].map(waiting),
  ];
  const placebo = [1, 1, 2, 2, 3, 4, 4, 5, 5, 8, 8, 8, 8, 11, 11, 12, 12, 15, 17, 22, 23].map(ev);

  it('reproduces the published estimates of the 6-MP group to four decimals', () => {
    const km = kaplanMeier(sixMp);
    const steps = km.curve.filter((p) => p.events > 0);
    // Published: time, n at risk, relapses, S(t) (Kleinbaum & Klein's table of ordered failure times).
    const published = [
      [6, 21, 3, 0.8571],
      [7, 17, 1, 0.8067],
      [10, 15, 1, 0.7529],
      [13, 12, 1, 0.6902],
      [16, 11, 1, 0.6275],
      [22, 7, 1, 0.5378],
      [23, 6, 1, 0.4482],
    ] as const;
    expect(steps.map((p) => [p.time, p.atRisk, p.events])).toEqual(published.map(([t, n, d]) => [t, n, d]));
    steps.forEach((p, i) => expect(p.survival).toBeCloseTo(published[i]![3], 4));
    // Greenwood standard errors and log-log 95% limits as printed by R's survfit(conf.type =
    // "log-log") for these data; at 6 weeks by hand: SE = 18/21 · √(3/(21·18)) = 0.07636,
    // σ = √(3/378)/|ln(18/21)| = 0.57793, limits (18/21)^e^(±1.96σ) = 0.6197 and 0.9516.
    const greenwood = [0.0764, 0.0869, 0.0963, 0.1068, 0.1141, 0.1282, 0.1346];
    const lower = [0.62, 0.563, 0.503, 0.432, 0.368, 0.268, 0.188];
    const upper = [0.952, 0.923, 0.889, 0.849, 0.805, 0.747, 0.68];
    steps.forEach((p, i) => {
      expect(p.standardError).toBeCloseTo(greenwood[i]!, 4);
      expect(p.lower).toBeCloseTo(lower[i]!, 3);
      expect(p.upper).toBeCloseTo(upper[i]!, 3);
    });
    // Published median remission: 23 weeks; the 90th percentile is not reached (S ends at 0.4482).
    expect(km).toMatchObject({ people: 21, events: 9, censored: 12, median: 23, p90: undefined });
  });

  it('reproduces the placebo group: median 8 weeks', () => {
    const km = kaplanMeier(placebo);
    const expected = [
      [1, 19 / 21],
      [2, 17 / 21],
      [3, 16 / 21],
      [4, 14 / 21],
      [5, 12 / 21],
      [8, 8 / 21],
      [11, 6 / 21],
      [12, 4 / 21],
      [15, 3 / 21],
      [17, 2 / 21],
      [22, 1 / 21],
      [23, 0],
    ];
    expect(km.curve.map((p) => p.time)).toEqual(expected.map(([t]) => t));
    km.curve.forEach((p, i) => expect(p.survival).toBeCloseTo(expected[i]![1]!, 12));
    // S(5) = 0.5714, S(8) = 0.3810: median 8 (published). S(15) = 0.1429, S(17) = 0.0952: p90 = 17.
    expect(km).toMatchObject({ median: 8, p90: 17 });
    // With no one still waiting the estimate is the plain share: 13 of 21 relapsed within 8 weeks.
    expect(shareWithin(km, 8)).toBeCloseTo(13 / 21, 12);
  });
});
