import type { Actor, AgeBand, ClosureReason, PlacementOption, StageName } from '../src/domain/model.js';

/** Times are milliseconds of workflow time. */
export interface StageTimes {
  readyAt?: number;
  startedAt?: number;
  endedAt?: number;
  dueAt?: number;
  overdueAt?: number;
  /** When the stage's people were last told its due date is near (a later due date may remind again). */
  remindedAt?: number;
  /** When its supervisors were last told it is still overdue (a later overdue may tell them again). */
  escalatedAt?: number;
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
    /** The institution caring for the child (state care) is its guardian by law, without a court's order. */
    guardianByLaw?: boolean;
    /** A new petition after a refused order: the court's deadline, and its decision once recorded. */
    guardianshipPetition?: { filedAt: number; dueAt: number; decision?: 'granted' | 'refused' };
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
  /** Work on one stage referred to another organisation; the id is the seq of the entry that made it. */
  referrals: Referral[];
  /** The whole pathway moving to another organisation or programme. */
  transfer?: Transfer;
  /**
   * Named people responsible for the pathway, or for one of its stages: the pathway's organisations
   * share one hold per stage; each accepted referral's receiver holds its stage on its own, by
   * referral id (absent in runs of older code, which kept it in `stages`).
   */
  assignments: { pathway?: Assignment; stages: Partial<Record<StageName, Assignment>>; referred?: Record<string, Assignment> };
  /** The recorded steps a correction can name (empty in pathways opened before corrections). */
  log: LoggedAction[];
  /**
   * What the correctable stages held when their log began, for a run carried over from code
   * without the log: a correction replays the logged steps from here, not from nothing.
   */
  logBase?: Partial<Pick<PathwayState, CorrectableStage>>;
  /** Entries corrected (their seq) and the correction that did it. */
  corrections: Record<string, number>;
  /** A supervisor hid the person's name from lists (absent: never hidden). */
  nameHidden?: boolean;
  /**
   * `duplicateOf`: the pathway of the same person that stays, when closed as a duplicate. `by` asked
   * for it; `approvedBy`, the second supervisor of an early close.
   */
  closure?: Closing & { approvedBy?: string };
  /** A supervisor asked to close the pathway early: it stays open until a second one approves or rejects it. */
  closeRequest?: Closing;
}

/** Who closes a pathway (or asks to), when and why. */
export interface Closing {
  reason: ClosureReason;
  by: string;
  at: number;
  duplicateOf?: string;
}

/** Whether another organisation has answered a referral, and how it ended. */
export type ReferralStatus = 'pending' | 'accepted' | 'declined' | 'withdrawn' | 'completed' | 'closed';

export interface Referral {
  id: string;
  stage: StageName;
  from: string;
  to: string;
  by: string;
  reason: string;
  /** Who consented (the person or a guardian), or the legal basis when a child has no guardian yet. */
  consent: { by: 'person' | 'guardian' } | { legalBasis: string };
  status: ReferralStatus;
  requestedAt: number;
  /** When an unanswered referral escalates to the referring organisation's supervisors. */
  dueAt: number;
  escalatedAt?: number;
  answeredBy?: string;
  declineReason?: string;
  endedAt?: number;
}

export interface Transfer {
  to: string;
  programme: string;
  operation: string;
  /** The phase of the operation the person joins, when asked for (else the pathway's own in the same operation). */
  phase?: string;
  by: string;
  requestedAt: number;
  status: 'pending' | 'accepted' | 'declined' | 'withdrawn' | 'failed';
  /** Who accepted: the new pathway opens in their organisation, in their name. */
  acceptedBy?: { id: string; role: 'coordinator' | 'supervisor'; org: string };
  newPathwayId?: string;
  failure?: string;
  /** Failed because it could not be prepared by the wait deadline: an incident until it is asked for again. */
  stuck?: boolean;
}

export interface Assignment {
  assignee: string;
  org: string;
  by: string;
  at: number;
}

/** A recorded step of a stage that a correction may name. */
export interface LoggedAction {
  seq: number;
  type: string;
  stage: StageName;
  payload: unknown;
  actor: Actor;
  at: number;
  /** Who corrected it, in order (absent before the first correction, and in runs of older code). */
  correctedBy?: string[];
}

/**
 * Stages whose recorded steps a correction can replace: their state is theirs alone and no clock
 * changes it, so it can be rebuilt from their steps. (Quarantine and follow-up also change with
 * time; intake and closure record no stage facts.)
 */
export const CORRECTABLE_STAGES = ['medical', 'security', 'psychosocial', 'documentation', 'placement', 'education', 'livelihood', 'care'] as const;
export type CorrectableStage = (typeof CORRECTABLE_STAGES)[number];

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
  // Steps before this run were not logged: corrections replay from what the stages held then.
  // A copy: the stages' records change from here on, what they held then must not.
  if (!('log' in (carried as object))) merged.logBase = JSON.parse(JSON.stringify(Object.fromEntries(CORRECTABLE_STAGES.map((stage) => [stage, merged[stage]]))));
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
    referrals: [],
    assignments: { stages: {} },
    log: [],
    corrections: {},
  };
}
