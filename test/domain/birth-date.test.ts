import { describe, expect, it } from 'vitest';
import { childBandChanges, parseBirthDate } from '../../src/domain/birth-date.js';

describe('a birth date known in part', () => {
  it('stands for mid-year or mid-month, but never for a day after the arrival that it includes', () => {
    expect(parseBirthDate('2015')).toEqual({ date: '2015-07-01', precision: 'year' });
    expect(parseBirthDate('2015-06')).toEqual({ date: '2015-06-15', precision: 'month' });
    expect(parseBirthDate('2024', '2024-03-01')).toEqual({ date: '2024-03-01', precision: 'year' });
    expect(parseBirthDate('2024-03', '2024-03-10')).toEqual({ date: '2024-03-10', precision: 'month' });
    expect(parseBirthDate('2023', '2024-03-01')).toEqual({ date: '2023-07-01', precision: 'year' });
  });

  it('gives a child every later age band, even one whose month-rounded start falls just before the arrival', () => {
    // Three on 2024-05-20, arrived 2024-05-10 aged two: pre-school starts at once, school at six.
    const changes = childBandChanges('2021-05-20', '2024-05-10');
    expect(changes.map((c) => c.ageBand)).toEqual(['3-5', '6-11', '12-17']);
    expect(changes[0]!.afterDays).toBe(0);
    expect(childBandChanges('2010-01-01', '2024-05-10')).toEqual([]);
  });
});
