import type { ClosureReason, PlacementOption, StageName } from '../src/domain/model.js';

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
  /** Organisations whose people may see and act on the pathway. */
  organisations: string[];
  /** Sequence number of the last audit entry produced. */
  seq: number;
  appliedActionIds: string[];
  /** What each applied action id stood for (a digest of its content) and the version it made; absent in runs of older code. */
  appliedActions?: Record<string, { digest?: string; version: number }>;
  /** Set while PostgreSQL refuses the pathway's audit entries: no action is accepted until they are written. */
  incident?: { code: string; firstSeq: number; since: number };
  times: Partial<Record<StageName, StageTimes>>;
  /** Stages in which someone has recorded something. */
  touched: StageName[];
  quarantine: { minimumEndsAt?: number; minimumPassed: boolean; released: boolean };
  medical: { result?: 'cleared' | 'treatment-needed'; inHospital: boolean; referrals: number };
  security: { outcome?: 'cleared' | 'charged'; courtDecision?: 'acquitted' | 'convicted'; movementRestrictionMonths?: number };
  psychosocial: { needs?: Record<string, string>; supportOutcome?: 'completed' | 'referred-to-specialist' };
  documentation: {
    identityDocument?: string;
    dnaResult?: 'match' | 'no-match' | 'inconclusive';
    citizenshipDecision?: 'granted' | 'refused';
    birthCertificateIssued: boolean;
    guardianshipOrder?: 'granted' | 'refused';
    guardian?: string;
  };
  placement: {
    option?: PlacementOption;
    householdId?: string;
    homeAssessment?: 'suitable' | 'unsuitable';
    familyClearance?: 'cleared' | 'refused';
    requestedBy?: string;
    approvedBy?: string;
    /** Everyone who recorded part of the current decision: none of them may approve it. */
    recordedBy: string[];
    separationException?: { reason: string; by: string };
  };
  education: { level?: string; grade?: number; tutoring?: boolean; enrolledIn?: 'school' | 'kindergarten'; schoolId?: string };
  livelihood: { track?: string; outcome?: string };
  followUp: {
    startsAt?: number;
    endsAt?: number;
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
  return { ...initialState(openedAt, organisations), ...(carried as PathwayState) };
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
    followUp: { periodsClosed: 0, checkIns: [], missedPeriods: [], ended: false },
    group: { members: {} },
  };
}
