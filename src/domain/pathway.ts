import { z } from 'zod';
import type { ErrorParams, FieldFault } from './problem-codes.js';
import type { RefusalWhy } from './refusal-codes.js';
import {
  Actor,
  AgeBand,
  ClosureReason,
  PathwayStatus,
  PersonCategories,
  Programme,
  Role,
  StageName,
  StageStatus,
  type Programme as ProgrammeCode,
} from './model.js';
import type { Template } from './template.js';

export interface FamilyMember {
  pathwayId: string;
  isChild: boolean;
  openedEarlier?: boolean;
}

/** What a pathway starts with: ids and categories only, never a personal field. */
export interface PathwayInput {
  pathwayId: string;
  programme: ProgrammeCode;
  operation: string;
  phase?: string;
  /** The arrival day of the operation (YYYY-MM-DD). */
  arrivalDate: string;
  familyGroupId?: string;
  /**
   * The other members of the family group when the pathway opened, so it need not look them up;
   * `openedEarlier` marks those of an earlier request, who are told it joined. Absent in pathways
   * opened before it existed: they look the group up themselves.
   */
  familyMembers?: FamilyMember[];
  organisations: string[];
  person: PersonCategories;
  /** The template as it was when the pathway opened. */
  template: Template;
  /** Template seconds that pass in one real second (1 outside demonstrations and tests). */
  clockScale: number;
  openedBy: Actor;
  requestId?: string;
  /**
   * Which rules the pathway follows: 2 anchors clocks on the arrival date and lets a child's age
   * band change with time (absent in pathways opened before: they keep the rules they began with).
   */
  rulesVersion?: number;
  /**
   * Which changes to its own commands the workflow runs (`workflows/changes.ts`); absent in
   * pathways opened before it existed: they ask `patched()`.
   */
  workflowVersion?: number;
  /** A child's next age bands, as days after arrival (month precision): never a date of birth. */
  ageBandChanges?: { afterDays: number; ageBand: AgeBand }[];
  /** The pathway this one continues, when a transfer opened it. */
  transferredFrom?: string;
  /**
   * Set when the pathway it continues started this one itself (a transfer): it writes its own row
   * first, copying the person's record from that pathway in PostgreSQL. Absent for pathways the
   * API opened, whose rows were written before they started.
   */
  writesOwnRow?: boolean;
  /**
   * How long the pathway waits on PostgreSQL (an audit write, a transfer being prepared) before it
   * raises an incident, in milliseconds (WAIT_DEADLINE_SECONDS); absent in pathways opened before.
   */
  waitDeadlineMs?: number;
  /**
   * When the API opened it (ms since the epoch): the workflow takes its opening steps at this time,
   * so the API answers the opening with the state the workflow then has (`workflows/opening.ts`).
   * Read only from pathways of workflow version 5 on (`opened-at`); absent in those opened before,
   * and in those a transfer starts itself: they take their first task's time.
   */
  openedAt?: number;
  /**
   * The API wrote the opening's entries, projection and view in the opening's own transaction
   * (`openingBatch`): the workflow takes the same steps and writes nothing for them. Read only
   * from pathways of workflow version 6 on (`opening-written`), with `openedAt`.
   */
  openingWritten?: boolean;
  /** Set by continue-as-new: the state the previous run ended with. */
  carried?: unknown;
}

/** One action sent by a person: the body of the pathway's `act` update. */
export const ActionEnvelope = z.object({
  /** First, so the payload codec can tell whose payload this is (absent from older clients). */
  pathwayId: z.string().optional(),
  type: z.string().min(1).max(100),
  payload: z.unknown(),
  actionId: z.string().regex(/^[A-Za-z0-9_.:-]{1,100}$/, 'must be 1-100 letters, digits or ._:-'),
  /** A hash of type, payload and note: the action id stands for this content only. */
  digest: z.string().max(100).optional(),
  actor: Actor,
  requestId: z.string().max(200).optional(),
  /** The sender shows the state after the action: the answer carries it, so no query follows. */
  withState: z.boolean().optional(),
});
export type ActionEnvelope = z.infer<typeof ActionEnvelope>;

/** Why a pathway refused an action. */
export const RefusalCode = z.enum([
  'invalid-data',
  'unknown-action',
  'wrong-role',
  'wrong-stage',
  'missing-prerequisite',
  'not-due',
  'four-eyes',
  'wrong-organisation',
  'group-rule',
  'later-decision',
  'stale-version',
  'closed',
  'incident',
  'action-id-reused',
]);
export type RefusalCode = z.infer<typeof RefusalCode>;

export interface Refusal {
  code: RefusalCode;
  message: string;
  /** Its own code in the catalogue and the parameters its sentence names, for a client to tell in its language. */
  why: { code: RefusalWhy; params?: ErrorParams };
  /** For invalid data: the fields at fault. */
  fields?: FieldFault[];
}

/** An action the pathway would accept right now, with a payload it would accept as is. */
export const AvailableAction = z.object({
  type: z.string(),
  stage: StageName,
  roles: z.array(Role),
  /** True when it moves the pathway on; false when it records an exception (a referral, a rejection). */
  routine: z.boolean(),
  /** A payload it accepts as is; except `correction`'s, which names the latest step with what it recorded: change the payload. */
  example: z.record(z.string(), z.unknown()),
  /** Actors who may not send it because of the four-eyes rule. */
  excludedActors: z.array(z.string()).optional(),
  /** The organisations whose people may send it, when not exactly the pathway's own (a referral's receiver). */
  organisations: z.array(z.string()).optional(),
  /** For a field whose schema allows more than the pathway would accept now: the values it would (a mother only when she is there). */
  choices: z.record(z.string(), z.array(z.string())).optional(),
});
export type AvailableAction = z.infer<typeof AvailableAction>;

export const StageView = z.object({
  stage: StageName,
  status: StageStatus,
  readyAt: z.string().optional(),
  startedAt: z.string().optional(),
  endedAt: z.string().optional(),
  dueAt: z.string().optional(),
  overdue: z.boolean(),
  /** Why the stage cannot start, or why it cannot end yet. */
  blockers: z.array(z.string()),
  /** What has been recorded in this stage (categories only). */
  details: z.record(z.string(), z.unknown()),
});
export type StageView = z.infer<typeof StageView>;

export const GroupMemberView = z.object({
  pathwayId: z.string(),
  isChild: z.boolean(),
  householdId: z.string().optional(),
  /** Placed apart from the group under a supervisor's exception. */
  separated: z.boolean().optional(),
  caregiverUnavailable: z.boolean().optional(),
});

export const ReferralView = z.object({
  id: z.string().describe('The seq of the audit entry that made the referral'),
  stage: StageName,
  from: z.string(),
  to: z.string(),
  by: z.string(),
  reason: z.string(),
  consent: z.union([z.object({ by: z.enum(['person', 'guardian']) }), z.object({ legalBasis: z.string() })]),
  status: z.enum(['pending', 'accepted', 'declined', 'withdrawn', 'completed', 'closed']),
  requestedAt: z.string(),
  dueAt: z.string().describe('An unanswered referral escalates to the referring supervisors then'),
  escalatedAt: z.string().optional(),
  answeredBy: z.string().optional(),
  declineReason: z.string().optional(),
  endedAt: z.string().optional(),
});
export type ReferralView = z.infer<typeof ReferralView>;

export const TransferView = z.object({
  to: z.string(),
  programme: z.string(),
  operation: z.string(),
  phase: z.string().optional(),
  by: z.string(),
  requestedAt: z.string(),
  status: z.enum(['pending', 'accepted', 'declined', 'withdrawn', 'failed']),
  acceptedBy: z.string().optional(),
  newPathwayId: z.string().optional().describe('The pathway that continues this one'),
  failure: z.string().optional(),
  stuck: z.boolean().optional().describe('It failed because it could not be prepared by its deadline: an incident stays open until it is asked for again or the pathway closes'),
});

const AssignmentView = z.object({ assignee: z.string(), org: z.string(), by: z.string(), at: z.string() });
export const AssignmentsView = z.object({
  pathway: AssignmentView.optional(),
  stages: z.array(AssignmentView.extend({ stage: StageName })),
});

/** Who closed the pathway (or asked to), when and why. */
const ClosingView = z.object({ reason: ClosureReason, at: z.string(), by: z.string(), duplicateOf: z.string().optional().describe('The pathway of the same person that stays') });

/** The whole state of one pathway, as its query returns it. */
export const PathwayView = z.object({
  pathwayId: z.string(),
  programme: Programme,
  operation: z.string(),
  phase: z.string().optional(),
  arrivalDate: z.string(),
  template: z.object({ programme: Programme, version: z.number(), name: z.string() }),
  person: PersonCategories,
  organisations: z.array(z.string()),
  status: PathwayStatus,
  currentStage: StageName,
  overdue: z.boolean(),
  openedAt: z.string(),
  familyGroup: z
    .object({
      id: z.string(),
      members: z.array(GroupMemberView),
      caregiverNeeded: z.boolean(),
    })
    .optional(),
  stages: z.array(StageView),
  /** Interim or estimated facts in words ("placement: placed in state care; guardianship order pending"). */
  notes: z.array(z.string()).optional(),
  availableActions: z.array(AvailableAction),
  closure: ClosingView.extend({ approvedBy: z.string().optional().describe('The second supervisor, who approved closing it early') }).optional(),
  closeRequest: ClosingView.optional().describe('A supervisor asked to close the pathway early: it stays open until another supervisor approves (pathway.close-approve) or rejects it'),
  referrals: z.array(ReferralView).optional(),
  transfer: TransferView.optional(),
  assignments: AssignmentsView.optional(),
  /** The pathway this one continues, when it was opened by a transfer. */
  transferredFrom: z.string().optional(),
  /** Entries (by seq) that a later correction replaced, and the correction's seq. */
  corrections: z.record(z.string(), z.number()).optional(),
  /** Set while PostgreSQL refuses to store the pathway's audit entries; it accepts no action meanwhile. */
  incident: z.object({ code: z.string(), since: z.string(), firstUnwrittenSeq: z.number(), message: z.string() }).optional(),
  /** How many audit entries the pathway has produced: grows with every change. */
  version: z.number(),
});
export type PathwayView = z.infer<typeof PathwayView>;

/** The answer to an accepted action, stored in history: the state only when the sender asked for it. */
export interface ActionResult {
  /** First, so the payload codec can tell whose payload this is (absent in results of older runs). */
  pathwayId?: string;
  /** False when the same action id had already been applied: nothing changed. */
  applied: boolean;
  /** The pathway's version once the action was recorded. */
  version: number;
  /** The state once the action was recorded, when the envelope asked `withState` (workers before that answer without). */
  state?: PathwayView;
}

/** One line of the audit trail: an accepted action or an automatic event. */
export interface AuditEntry {
  /** Position in the pathway's trail, from 1, without gaps. */
  seq: number;
  kind: 'action' | 'event';
  type: string;
  stage: StageName;
  occurredAt: string;
  actor?: Actor;
  actionId?: string;
  requestId?: string;
  /** The accepted payload or the event's facts: categories and references only. */
  data: Record<string, unknown>;
  /** Set when the entry is an escalation (a stage overdue, a missed check-in, siblings apart). */
  escalation?: 'stage-overdue' | 'check-in-missed' | 'siblings-apart' | 'referral-unanswered';
}

/** What one pathway tells the others of its family group (signals: nobody waits for an answer). */
export type GroupEvent =
  | { kind: 'joined'; from: string; isChild: boolean }
  | { kind: 'caregiver'; from: string; available: boolean }
  | { kind: 'placed'; from: string; householdId: string; separated: boolean };
