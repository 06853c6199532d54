import type { Template } from '../domain/template.js';
import { durationSeconds } from '../domain/duration.js';
import { kaplanMeier, shareWithin, type Observation, type SurvivalEstimate } from './survival.js';

/**
 * Outcome indicators per programme: time from arrival to placement, a document, school, the end
 * of follow-up, as Kaplan–Meier estimates (people still waiting are counted for as long as they
 * waited). For the organisation's own supervisors: disclosure control is the statistics' job.
 */

/** The clocks the indicators follow, each the stage whose end is the event. */
export const INDICATORS = { placement: 'placement', document: 'documentation', school: 'education', followUpEnded: 'followUp' } as const;
export type Indicator = keyof typeof INDICATORS;

/** People counted per programme, indicator and day, as the database groups them. */
export interface ObservationCount {
  programme: string;
  indicator: Indicator;
  /** Whole days from the arrival date to the event, or to now or the closure for those still waiting. */
  days: number;
  /** The same from the day the stage became ready (its target counts from then); null if it never did. */
  readyDays: number | null;
  event: boolean;
  people: number;
}


export interface IndicatorEstimate {
  people: number;
  reached: number;
  stillWaiting: number;
  /** Days from arrival; null when not reached (the curve never gets to 50% / 10%). */
  medianDays: number | null;
  p90Days: number | null;
  /** The template's target for the stage in days (follow-up: its length), or null. */
  targetDays: number | null;
  /** Share who reached the event within the target, counted from when the stage became ready, 0..1. */
  withinTarget: number | null;
  /** The curve's steps: share still waiting after each day someone reached the event or stopped being counted. */
  curve: { day: number; stillWaiting: number; atRisk: number; lower: number | null; upper: number | null }[];
}

export type ProgrammeIndicators = { programme: string } & Record<Indicator, IndicatorEstimate | null>;

/** Observations as the estimator wants them, one per person, from counts per day. */
export function expand(rows: readonly Pick<ObservationCount, 'days' | 'event' | 'people'>[]): Observation[] {
  return rows.flatMap((r) => Array.from({ length: r.people }, () => ({ duration: r.days, event: r.event })));
}

/**
 * The share who reached the event within the stage's target. The target counts from the day the
 * stage became ready, not from arrival (placement waits for quarantine and medical), so this is
 * its own Kaplan–Meier estimate on that clock, over those whose stage became ready.
 */
export function shareWithinTarget(rows: readonly ObservationCount[], target: number | null): { share: number; people: number } | null {
  const ready = rows.filter((r) => r.readyDays !== null).map((r) => ({ ...r, days: r.readyDays! }));
  if (target === null || ready.length === 0) return null;
  const estimate = kaplanMeier(expand(ready));
  return { share: shareWithin(estimate, target), people: estimate.people };
}

/** A stage's target in whole days from the template; follow-up is measured against its length. */
export function targetDays(template: Template | undefined, stage: string): number | null {
  const found = template?.stages.find((s) => s.stage === stage);
  const text = found?.target ?? found?.duration;
  return text ? Math.round(durationSeconds(text) / 86_400) : null;
}

export function estimateOf(estimate: SurvivalEstimate, target: number | null, within: { share: number } | null): IndicatorEstimate {
  return {
    people: estimate.people,
    reached: estimate.events,
    stillWaiting: estimate.censored,
    medianDays: estimate.median ?? null,
    p90Days: estimate.p90 ?? null,
    targetDays: target,
    withinTarget: within?.share ?? null,
    curve: estimate.curve.map((p) => ({ day: p.time, stillWaiting: p.survival, atRisk: p.atRisk, lower: p.lower, upper: p.upper })),
  };
}

export function programmeIndicators(rows: readonly ObservationCount[], templates: ReadonlyMap<string, Template>): ProgrammeIndicators[] {
  const programmes = [...new Set(rows.map((r) => r.programme))].sort();
  return programmes.map((programme) => {
    const entry = { programme } as ProgrammeIndicators;
    for (const [indicator, stage] of Object.entries(INDICATORS) as [Indicator, string][]) {
      const mine = rows.filter((r) => r.programme === programme && r.indicator === indicator);
      const target = targetDays(templates.get(programme), stage);
      entry[indicator] = mine.length === 0 ? null : estimateOf(kaplanMeier(expand(mine)), target, shareWithinTarget(mine, target));
    }
    return entry;
  });
}
