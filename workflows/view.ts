import type { StageName } from '../src/domain/model.js';
import type { PathwayInput, PathwayView, StageView } from '../src/domain/pathway.js';
import type { ProjectedAction, ProjectedShare, Projection } from '../src/domain/projection.js';
import { availableActions, blockersOf, createCtx, isFinished, stageOrder } from './rules.js';
import { inLegalProceedings } from './stages/closure.js';
import { iso, parentAvailable } from './stages/common.js';
import { checkInOverdue } from './stages/follow-up.js';
import { deadlineOf } from './stages/guardianship.js';
import { STAGE_MODULES } from './stages/index.js';
import type { Ctx } from './stages/types.js';
import type { Assignment, Closing, PathwayState } from './state.js';

const isoOrUndefined = (ms: number | undefined) => (ms === undefined ? undefined : iso(ms));

/** What a person is told of the pathway's incident: by its code, a refusal's SQLSTATE otherwise. */
const INCIDENT_MESSAGES: Record<string, string> = {
  refused: "PostgreSQL refuses to store this pathway's audit entries; no action is accepted until an operator resolves it.",
  'audit-write-late': "This pathway's audit entries have not been written by their deadline (PostgreSQL does not take them); they are kept and retried, and no action is accepted meanwhile.",
};

function stageOverdue(ctx: Ctx, stage: StageName): boolean {
  if (isFinished(ctx.status(stage))) return false;
  return deadlineOf(ctx.state, stage).overdueAt !== undefined || (stage === 'followUp' && checkInOverdue(ctx.state));
}

function stageView(ctx: Ctx, stage: StageName): StageView {
  const times = ctx.state.times[stage] ?? {};
  return {
    stage,
    status: ctx.status(stage),
    readyAt: isoOrUndefined(times.readyAt),
    startedAt: isoOrUndefined(times.startedAt),
    endedAt: isoOrUndefined(times.endedAt),
    dueAt: isoOrUndefined(deadlineOf(ctx.state, stage).dueAt),
    overdue: stageOverdue(ctx, stage),
    blockers: blockersOf(ctx, stage),
    details: STAGE_MODULES[stage].details(ctx.state, ctx),
  };
}

function currentStage(ctx: Ctx): StageName {
  if (ctx.state.closure) return 'closure';
  const open = stageOrder(ctx.input).filter((stage) => !isFinished(ctx.status(stage)));
  // Documentation runs alongside the others: it is current only when nothing else is left.
  return open.find((stage) => stage !== 'documentation' && stage !== 'closure') ?? open[0] ?? 'closure';
}

/** Where the pathway stands: what search attributes and lists show. */
export interface Summary {
  status: PathwayView['status'];
  currentStage: StageName;
  overdue: boolean;
}

function summaryOf(ctx: Ctx): Summary {
  const order = stageOrder(ctx.input);
  return {
    status: ctx.state.closure ? 'closed' : inLegalProceedings(ctx) ? 'legal-proceedings' : 'active',
    currentStage: currentStage(ctx),
    overdue: order.some((stage) => stageOverdue(ctx, stage)),
  };
}

export function summarise(input: PathwayInput, state: PathwayState, now: number): Summary {
  return summaryOf(createCtx(input, state, now));
}

/** The whole state of the pathway, as the query returns it. */
/** Every interim or estimated fact, in words, so nobody mistakes it for a settled one. */
function notesOf(ctx: Ctx, stages: StageView[]): string[] {
  const { person, state, input } = ctx;
  const notes: string[] = [];
  if (person.birthDateEstimated) notes.push('birth date estimated');
  if (person.bornAfterArrival) notes.push('born after arrival, during quarantine');
  if (state.anchorAt !== undefined && state.anchorAt < state.openedAt) {
    notes.push(`clocks run from the arrival on ${input.arrivalDate}; the pathway was opened on ${iso(state.openedAt).slice(0, 10)}`);
  }
  for (const stage of stages) {
    const said = stage.details.note;
    for (const note of Array.isArray(said) ? said : [said]) if (typeof note === 'string') notes.push(`${stage.stage}: ${note}`);
  }
  return notes;
}

/** Every hold on a stage: the pathway's organisations' shared one, and each referral receiver's own. */
function heldStages(state: PathwayState): (Assignment & { stage: StageName })[] {
  const { stages = {}, referred = {} } = state.assignments ?? {};
  const ofReferral = (id: string) => (state.referrals ?? []).find((r) => r.id === id)?.stage;
  return [
    ...Object.entries(stages).map(([stage, a]) => ({ ...a!, stage: stage as StageName })),
    ...Object.entries(referred).flatMap(([id, a]) => (ofReferral(id) ? [{ ...a, stage: ofReferral(id)! }] : [])),
  ];
}

/** Referrals, a transfer, assignments and corrections: only what the pathway has. */
function agencyViews(input: PathwayInput, state: PathwayState): Partial<PathwayView> {
  const { referrals = [], transfer, assignments, corrections = {} } = state;
  const views: Partial<PathwayView> = {};
  if (referrals.length) {
    views.referrals = referrals.map(({ requestedAt, dueAt, escalatedAt, endedAt, ...r }) => ({
      ...r,
      requestedAt: iso(requestedAt),
      dueAt: iso(dueAt),
      escalatedAt: isoOrUndefined(escalatedAt),
      endedAt: isoOrUndefined(endedAt),
    }));
  }
  if (transfer) views.transfer = { ...transfer, requestedAt: iso(transfer.requestedAt), acceptedBy: transfer.acceptedBy?.id };
  const stages = heldStages(state).map(({ stage, ...a }) => ({ ...a, stage, at: iso(a.at) }));
  if (assignments?.pathway || stages.length) {
    views.assignments = { pathway: assignments!.pathway && { ...assignments!.pathway, at: iso(assignments!.pathway.at) }, stages };
  }
  if (input.transferredFrom) views.transferredFrom = input.transferredFrom;
  if (Object.keys(corrections).length) views.corrections = corrections;
  return views;
}

/**
 * What PostgreSQL keeps of referrals, a transfer and assignments: for access checks and worklists.
 * Nothing for a pathway that never had any (most), so their writes cost nothing; once it had some,
 * every batch carries them all, so an ended one is removed too.
 */
function sharesOf(state: PathwayState): Pick<Projection, 'shares' | 'assignments' | 'incidents'> {
  const held = state.assignments ?? { stages: {} };
  const stages = heldStages(state);
  if (!state.referrals?.length && !state.transfer && !held.pathway && !stages.length) return {};
  const shares: ProjectedShare[] = (state.referrals ?? []).map((r) => ({
    id: r.id, kind: 'referral', stage: r.stage, from: r.from, to: r.to, status: r.status, escalated: r.escalatedAt !== undefined, dueAt: iso(r.dueAt),
  }));
  const t = state.transfer;
  if (t) shares.push({ id: 'transfer', kind: 'transfer', from: state.organisations[0]!, to: t.to, status: t.status, escalated: false });
  // Open while the transfer stands as it failed, on an open pathway: asking again or closing ends it.
  const incidents = t?.stuck && t.status === 'failed' && !state.closure ? [{ kind: 'transfer-not-prepared' as const, detail: `transfer to ${t.to}: ${t.failure}` }] : [];
  const assignments = [
    ...(held.pathway ? [{ scope: 'pathway', assignee: held.pathway.assignee, org: held.pathway.org }] : []),
    ...stages.map((a) => ({ scope: a.stage, assignee: a.assignee, org: a.org })),
  ];
  return { shares, assignments, ...(t ? { incidents } : {}) };
}

const closingView = ({ reason, at, by, duplicateOf }: Closing) => ({ reason, at: iso(at), by, ...(duplicateOf ? { duplicateOf } : {}) });

export function buildView(input: PathwayInput, state: PathwayState, now: number): PathwayView {
  const ctx = createCtx(input, state, now);
  const { person } = ctx;
  const stages = stageOrder(input).map((stage) => stageView(ctx, stage));
  return {
    pathwayId: input.pathwayId,
    programme: input.programme,
    operation: input.operation,
    phase: input.phase,
    arrivalDate: input.arrivalDate,
    template: { programme: input.template.programme, version: input.template.version, name: input.template.name },
    person,
    organisations: state.organisations,
    ...summaryOf(ctx),
    openedAt: iso(state.openedAt),
    familyGroup: input.familyGroupId
      ? {
          id: input.familyGroupId,
          members: Object.entries(state.group.members).map(([pathwayId, member]) => ({ pathwayId, ...member })),
          caregiverNeeded: person.isChild && person.arrivedWith === 'mother' && !parentAvailable(ctx),
        }
      : undefined,
    stages,
    notes: notesOf(ctx, stages),
    availableActions: availableActions(ctx),
    closure: state.closure && { ...closingView(state.closure), ...(state.closure.approvedBy ? { approvedBy: state.closure.approvedBy } : {}) },
    // A transfer may close the pathway while a request waits: it is moot then.
    ...(state.closeRequest && !state.closure ? { closeRequest: closingView(state.closeRequest) } : {}),
    ...agencyViews(input, state),
    incident: state.incident
      ? {
          code: state.incident.code,
          since: iso(state.incident.since),
          firstUnwrittenSeq: state.incident.firstSeq,
          message: INCIDENT_MESSAGES[state.incident.code] ?? INCIDENT_MESSAGES.refused!,
        }
      : undefined,
    version: state.seq,
  };
}

/**
 * What worklists need: the actions the pathway accepts, without example payloads. The projection
 * is stored only when PostgreSQL takes the batch, which ends any incident, so the actions are
 * those of the pathway without it. Undefined (stored as unknown) rather than a failed workflow
 * task should a rule throw: the pathway must go on recording whatever a worklist shows.
 */
function projectedActions(ctx: Ctx, input: PathwayInput, state: PathwayState, now: number): ProjectedAction[] | undefined {
  try {
    const withoutIncident = state.incident === undefined ? ctx : createCtx(input, { ...state, incident: undefined }, now);
    return availableActions(withoutIncident).map(({ example: _, ...action }) => action);
  } catch {
    return undefined;
  }
}

/** The view, or none (stored as null: reads then ask the workflow) should a rule throw: the pathway must go on recording. */
function viewOrNone(input: PathwayInput, state: PathwayState, now: number): PathwayView | undefined {
  try {
    return buildView(input, state, now);
  } catch {
    return undefined;
  }
}

/**
 * The row lists, worklists and reports read, and the whole view, which reads answer from (about
 * 5 KB in the batch's activity input); once the pathway is closed, PostgreSQL keeps it as the final view.
 * The row's fields are taken from the view (one pass of the rules per batch), or computed apart
 * when the view could not be built.
 */
export function buildProjection(input: PathwayInput, state: PathwayState, now: number): Projection {
  // As the pathway shows itself once this batch is written: writing it ends any incident.
  const view = viewOrNone(input, state.incident ? { ...state, incident: undefined } : state, now);
  return {
    pathwayId: input.pathwayId,
    version: state.seq,
    ...(view ? rowOfView(view) : rowWithoutView(input, state, now)),
    organisations: state.organisations,
    closureReason: state.closure?.reason,
    closedAt: state.closure ? iso(state.closure.at) : undefined,
    ...sharesOf(state),
    ...(state.nameHidden !== undefined ? { nameHidden: state.nameHidden } : {}),
    view,
  };
}

type RowFields = Pick<Projection, 'status' | 'currentStage' | 'overdue' | 'stages' | 'availableActions'>;

function rowOfView({ status, currentStage, overdue, stages, availableActions: actions }: PathwayView): RowFields {
  return {
    status,
    currentStage,
    overdue,
    stages: stages.map(({ details: _, ...stage }) => stage),
    availableActions: actions.map(({ example: _, ...action }) => action),
  };
}

function rowWithoutView(input: PathwayInput, state: PathwayState, now: number): RowFields {
  const ctx = createCtx(input, state, now);
  return {
    ...summaryOf(ctx),
    stages: stageOrder(input).map((stage) => {
      const { readyAt, startedAt, endedAt, dueAt, overdue, status, blockers } = stageView(ctx, stage);
      return { stage, status, readyAt, startedAt, endedAt, dueAt, overdue, blockers };
    }),
    availableActions: projectedActions(ctx, input, state, now),
  };
}
