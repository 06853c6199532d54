import { durationSeconds } from '../../src/domain/duration.js';
import type { PersonCategories } from '../../src/domain/model.js';
import type { PathwayInput } from '../../src/domain/pathway.js';
import type { Ctx } from './types.js';

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** A template duration in real milliseconds, compressed by the pathway's clock scale. */
export function scaledMs(duration: string, clockScale: number): number {
  return Math.max(1, Math.round((durationSeconds(duration) * 1000) / clockScale));
}

/** A child who arrived with their mother has a parent available unless she cannot care for them. */
export function parentAvailable(ctx: Ctx): boolean {
  if (ctx.input.person.arrivedWith !== 'mother') return false;
  return !Object.values(ctx.state.group.members).some((m) => !m.isChild && m.caregiverUnavailable);
}

/** Households where other children of the family group live together. */
export function siblingHouseholds(ctx: Ctx): string[] {
  const households = Object.values(ctx.state.group.members)
    .filter((m) => m.isChild && m.householdId && !m.separated)
    .map((m) => m.householdId!);
  return [...new Set(households)];
}

export function hasSiblings(ctx: Ctx): boolean {
  return Object.values(ctx.state.group.members).some((m) => m.isChild);
}

/** When the pathway's clocks started: the arrival for pathways of rules 2, else the opening. */
export function anchorOf(state: { anchorAt?: number; openedAt: number }): number {
  return state.anchorAt ?? state.openedAt;
}

/** The moments a child moves to its next age bands, in workflow time. */
export function ageBandMoments(input: PathwayInput, state: { anchorAt?: number; openedAt: number }) {
  return (input.ageBandChanges ?? []).map((c) => ({ at: anchorOf(state) + scaledMs(`P${c.afterDays}D`, input.clockScale), ageBand: c.ageBand }));
}

/** The person's categories at `now`: the age band of the latest change that has come. */
export function personAt(input: PathwayInput, state: { anchorAt?: number; openedAt: number }, now: number): PersonCategories {
  const reached = ageBandMoments(input, state).filter((c) => c.at <= now).at(-1);
  return reached ? { ...input.person, ageBand: reached.ageBand } : input.person;
}
