// What leaves a pathway for PostgreSQL besides its audit entries: the row lists and reports read,
// and the failures and incidents its writes can end in.
import type { ClosureReason, PathwayStatus, StageName } from './model.js';
import type { AvailableAction, PathwayView, StageView } from './pathway.js';

/** The type of the failure `persist` raises when PostgreSQL refuses the data itself (retrying cannot help). */
export const AUDIT_WRITE_REFUSED = 'audit-write-refused';

/** The type of the failure the transfer activities raise when the receiving programme cannot take the person (retrying cannot help). */
export const TRANSFER_REFUSED = 'transfer-refused';

/** How long a pathway opened before WAIT_DEADLINE_SECONDS existed waits on PostgreSQL before it raises an incident. */
export const DEFAULT_WAIT_DEADLINE_MS = 15 * 60_000;

/** Kinds of incident: what a person must act on (README, Reliability). */
export const INCIDENT_KINDS = ['audit-write-refused', 'audit-write-late', 'transfer-not-prepared'] as const;
export type IncidentKind = (typeof INCIDENT_KINDS)[number];

/** The per-pathway row that lists and reports read. */
export interface Projection {
  pathwayId: string;
  version: number;
  status: PathwayStatus;
  currentStage: StageName;
  overdue: boolean;
  organisations: string[];
  closureReason?: ClosureReason;
  closedAt?: string;
  /** `blockers` is absent from batches of workers older than the worklist: stored as unknown. */
  stages: (Pick<StageView, 'stage' | 'status' | 'readyAt' | 'startedAt' | 'endedAt' | 'dueAt' | 'overdue'> & { blockers?: string[] })[];
  /**
   * What the pathway accepts now, for worklists; absent when older workers wrote the batch, or
   * when the actions could not be worked out: stored as unknown.
   */
  availableActions?: ProjectedAction[];
  /** Organisations other than the pathway's own that may see part of it: referrals and a transfer; absent from older workers' batches. */
  shares?: ProjectedShare[];
  /** Who is assigned the pathway (scope `pathway`) or a stage; absent from older workers' batches. */
  assignments?: { scope: string; assignee: string; org: string }[];
  /**
   * The incidents the pathway holds open itself (a transfer not prepared by its deadline), written
   * with the shares: those not listed are resolved. Absent for a pathway that never had a transfer.
   */
  incidents?: { kind: IncidentKind; detail: string }[];
  /** Whether lists show the person's name as initials; absent while never hidden, and from older workers' batches (left as stored). */
  nameHidden?: boolean;
  /** The whole state as the query answers it, at this version: what reads answer from. Absent from batches of older workers. */
  view?: PathwayView;
  /** Once closed: the final state, kept for when Temporal no longer retains the workflow; sent apart by older workers only (newer ones send `view`). */
  finalView?: PathwayView;
}

/** A referral or transfer as PostgreSQL keeps it, for access checks and worklists. */
export interface ProjectedShare {
  id: string;
  kind: 'referral' | 'transfer';
  /** The referred stage; absent for a transfer. */
  stage?: StageName;
  from: string;
  to: string;
  status: string;
  escalated: boolean;
  dueAt?: string;
}

/** An available action as the projection keeps it: without its example payload. */
export type ProjectedAction = Omit<AvailableAction, 'example'>;

