/**
 * Time to an event (placement, a document, school enrolment, the end of follow-up) for a group of
 * people, some of whom are still waiting. Medians of the finished only would flatter a programme
 * that leaves its hardest cases waiting; the Kaplan–Meier estimate counts each person still
 * waiting for as long as they are known to have waited (right-censored), and no longer.
 */

/** One person: days from the start of the clock to the event, or to today if still waiting. */
export interface Observation {
  /** Days, a finite number >= 0. */
  duration: number;
  /** True when the event happened at `duration`; false when the person is still waiting (censored). */
  event: boolean;
}

/** One step of the curve: a time at which someone had the event or stopped being followed. */
export interface CurvePoint {
  time: number;
  /** People still waiting just before `time` (those censored at `time` included). */
  atRisk: number;
  events: number;
  censored: number;
  /** Share still waiting just after `time`. */
  survival: number;
  /** Greenwood's standard error of `survival`; null once no one is left waiting (survival 0). */
  standardError: number | null;
  /** Confidence limits (log-log transform, so they stay within 0..1); null when survival is 0. */
  lower: number | null;
  upper: number | null;
}

export interface SurvivalEstimate {
  people: number;
  events: number;
  censored: number;
  curve: CurvePoint[];
  /** First time the share still waiting is <= 0.5; undefined when not reached. */
  median: number | undefined;
  /** First time the share still waiting is <= 0.1 (90% have had the event); undefined when not reached. */
  p90: number | undefined;
}

export interface SurvivalOptions {
  /** Normal quantile for the confidence limits; 1.959964 gives 95%. */
  z?: number;
}

const Z95 = 1.959963984540054;

/**
 * The Kaplan–Meier estimate: S(t) is the product over event times u <= t of (1 - d(u)/n(u)).
 * At a time with both events and people leaving the count, the events come first (the person
 * censored at t was still waiting at t), the usual convention.
 */
export function kaplanMeier(observations: readonly Observation[], options: SurvivalOptions = {}): SurvivalEstimate {
  const z = options.z ?? Z95;
  for (const o of observations) {
    if (!Number.isFinite(o.duration) || o.duration < 0) throw new RangeError(`a duration must be a finite number of days >= 0, not ${o.duration}`);
  }
  const byTime = new Map<number, { events: number; censored: number }>();
  for (const o of observations) {
    const at = byTime.get(o.duration) ?? { events: 0, censored: 0 };
    if (o.event) at.events += 1;
    else at.censored += 1;
    byTime.set(o.duration, at);
  }
  const times = [...byTime.keys()].sort((a, b) => a - b);

  const curve: CurvePoint[] = [];
  let atRisk = observations.length;
  let survival = 1;
  // Greenwood's sum of d / (n (n - d)); infinite once everyone left has had the event.
  let greenwood = 0;
  for (const time of times) {
    const { events, censored } = byTime.get(time)!;
    if (events > 0) {
      survival *= 1 - events / atRisk;
      greenwood += events === atRisk ? Infinity : events / (atRisk * (atRisk - events));
    }
    curve.push({ time, atRisk, events, censored, survival, ...interval(survival, greenwood, z) });
    atRisk -= events + censored;
  }

  const events = observations.filter((o) => o.event).length;
  return {
    people: observations.length,
    events,
    censored: observations.length - events,
    curve,
    median: firstTimeAtOrBelow(curve, 0.5),
    p90: firstTimeAtOrBelow(curve, 0.1),
  };
}

/**
 * Greenwood's variance, Var S = S² Σ d/(n(n-d)), and limits on the log-log scale
 * (Kalbfleisch and Prentice): S^exp(±z·σ) with σ² = Σ d/(n(n-d)) / (ln S)². Plain limits
 * S ± z·SE can leave 0..1 in small groups, which is exactly where our programmes are.
 */
function interval(survival: number, greenwood: number, z: number): Pick<CurvePoint, 'standardError' | 'lower' | 'upper'> {
  if (survival === 0 || !Number.isFinite(greenwood)) return { standardError: null, lower: null, upper: null };
  const standardError = survival * Math.sqrt(greenwood);
  if (survival === 1) return { standardError, lower: 1, upper: 1 };
  const sigma = Math.sqrt(greenwood) / Math.abs(Math.log(survival));
  return { standardError, lower: survival ** Math.exp(z * sigma), upper: survival ** Math.exp(-z * sigma) };
}

// A small tolerance so that 0.5 reached through a product of fractions (e.g. 1/2 · 1) counts as reached.
const EPSILON = 1e-12;

function firstTimeAtOrBelow(curve: readonly CurvePoint[], share: number): number | undefined {
  return curve.find((p) => p.events > 0 && p.survival <= share + EPSILON)?.time;
}

/** The share still waiting just after `time` (the curve is a step function, right-continuous). */
export function survivalAt(estimate: SurvivalEstimate, time: number): number {
  let survival = 1;
  for (const point of estimate.curve) {
    if (point.time > time) break;
    survival = point.survival;
  }
  return survival;
}

/** The share who had the event within `target` days (1 - S(target)), e.g. placed within the template's target. */
export function shareWithin(estimate: SurvivalEstimate, target: number): number {
  return 1 - survivalAt(estimate, target);
}

/**
 * The time by which a share `q` had the event (the first time S(t) <= 1 - q); undefined when the
 * curve never gets there ("not reached").
 */
export function timeToShare(estimate: SurvivalEstimate, q: number): number | undefined {
  if (!(q > 0 && q <= 1)) throw new RangeError(`a share is in (0, 1], not ${q}`);
  return firstTimeAtOrBelow(estimate.curve, 1 - q);
}
