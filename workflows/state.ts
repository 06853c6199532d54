import type { AgeBand, ClosureReason, PlacementOption, StageName } from '../src/domain/model.js';

/** Times are milliseconds of workflow time. */
export interface StageTimes {
  readyAt?: number;
  startedAt?: number;
  endedAt?: number;
  dueAt?: number;
  overdueAt?: number;
}

export interface GroupMember {
  isChild: boolean;
  householdId?: string;
  separated?: boolean;
  caregiverUnavailable?: boolean;
}

/**
 * Everything a pathway has recorded. Plain data: it travels through continue-as-new, and every
 * status, blocker and available action is derived from it.
 */
export interface PathwayState {
  openedAt: number;
  /** When the pathway's clocks started: the arrival (rules 2), or the opening. */
  anchorAt?: number;
  /** The child's age band as last announced (rules 2: it changes with time). */
  ageBand?: AgeBand;
  /** Organisations whose people may see and act on the pathway. */
  organisations: string[];
  /** Sequence number of the last audit entry produced. */
  seq: number;
  appliedActionIds: string[];
  /** What each applied action id stood for (a digest of its content) and the version it made; absent in runs of older code. */
  appliedActions?: Record<string, { digest?: string; version: number }>;
  /** Set while PostgreSQL refuses the pathway's audit entries: no action is accepted until they are written. */
  incident?: { code: string; firstSeq: number; since: number; attempts?: number };
  times: Partial<Record<StageName, StageTimes>>;
  /** Stages in which someone has recorded something. */
  touched: StageName[];
  quarantine: { minimumEndsAt?: number; minimumPassed: boolean; released: boolean };
  medical: { result?: 'cleared' | 'treatment-needed'; inHospital: boolean; referrals: number };
  security: {
    outcome?: 'cleared' | 'charged';
    courtDecision?: 'acquitted' | 'convicted' | 'probation';
    /** A convicted person back on the pathway: pardoned, amnestied or sentence served. */
    release?: 'pardon' | 'amnesty' | 'sentence-served';
    movementRestrictionMonths?: number;
  };
  psychosocial: { needs?: Record<string, string>; supportOutcome?: 'completed' | 'referred-to-specialist' | 'declined'; declinedBy?: 'person' | 'guardian' };
  documentation: {
    identityDocument?: string;
    dnaResult?: 'match' | 'no-match' | 'inconclusive' | 'not-possible';
    /** Why no DNA comparison could be made. */
    dnaNotPossible?: 'mother-deceased' | 'mother-unreachable' | 'orphan';
    citizenshipDecision?: 'granted' | 'refused';
    citizenshipBasis?: 'dna-match' | 'other-evidence';
    birthCertificateIssued: boolean;
    guardianshipOrder?: 'granted' | 'refused';
    guardian?: string;
  };
  placement: {
    option?: PlacementOption;
    householdId?: string;
    homeAssessment?: 'suitable' | 'unsuitable';
    familyClearance?: 'cleared' | 'refused';
    /** Relatives or a foster family must accept the child (consent). */
    familyAcceptance?: 'accepted' | 'declined';
    /** The vetting was done before the arrival (Kyrgyzstan vetted relatives for a year). */
    vettedBeforeArrival?: boolean;
    requestedBy?: string;
    approvedBy?: string;
    /** Everyone who recorded part of the current decision: none of them may approve it. */
    recordedBy: string[];
    separationException?: { reason: string; by: string };
  };
  education: { level?: string; grade?: number; tutoring?: boolean; enrolledIn?: 'school' | 'kindergarten'; schoolId?: string };
  livelihood: { track?: string; outcome?: string };
  /** Medical care that continues after quarantine (amputations, chronic illness, learning delays). */
  care: { needs?: string[]; reviews: number; outcome?: string };
  followUp: {
    startsAt?: number;
    endsAt?: number;
    /** The length chosen for this person within the template's range, in months. */
    lengthMonths?: number;
    /** Periods whose end has been processed. */
    periodsClosed: number;
    checkIns: { period: number; at: number; outcome: string }[];
    missedPeriods: number[];
    ended: boolean;
  };
  group: { members: Record<string, GroupMember> };
  closure?: { reason: ClosureReason; by: string; at: number };
}

/** A state carried over from an earlier run, with the defaults of newer code for what it lacks. */
export function carriedState(carried: unknown, openedAt: number, organisations: string[]): PathwayState {
  const defaults = initialState(openedAt, organisations) as unknown as Record<string, unknown>;
  const merged: Record<string, unknown> = { ...defaults };
  // One level deep: a stage's record gains the fields newer code added, and keeps what it had.
  for (const [key, value] of Object.entries(carried as Record<string, unknown>)) {
    const base = defaults[key];
    const plain = (v: unknown) => v !== null && typeof v === 'object' && !Array.isArray(v);
    merged[key] = plain(base) && plain(value) ? { ...(base as object), ...(value as object) } : value;
  }
  return merged as unknown as PathwayState;
}

export function initialState(openedAt: number, organisations: string[]): PathwayState {
  return {
    openedAt,
    organisations,
    seq: 0,
    appliedActionIds: [],
    appliedActions: {},
    times: {},
    touched: [],
    quarantine: { minimumPassed: false, released: false },
    medical: { inHospital: false, referrals: 0 },
    security: {},
    psychosocial: {},
    documentation: { birthCertificateIssued: false },
    placement: { recordedBy: [] },
    education: {},
    livelihood: {},
    care: { reviews: 0 },
    followUp: { periodsClosed: 0, checkIns: [], missedPeriods: [], ended: false },
    group: { members: {} },
  };
}
