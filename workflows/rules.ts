import type { StageName, StageStatus } from '../src/domain/model.js';
import type { Actor } from '../src/domain/model.js';
import type { ActionEnvelope, AvailableAction, PathwayInput, Refusal } from '../src/domain/pathway.js';
import { audienceOf } from '../src/domain/template.js';
import { inLegalProceedings, unfinished } from './stages/closure.js';
import { personAt } from './stages/common.js';
import { ACTIONS, STAGE_MODULES } from './stages/index.js';
import { refusal as refusalWith, type ActionDefinition, type Ctx, type GroupNotice } from './stages/types.js';
import { faultsOfIssues } from '../src/domain/problem-codes.js';
import { receiversOf } from './agencies/shares.js';
import type { PathwayState } from './state.js';

/** Stages an adult in legal proceedings does not go through. */
const LEGAL_SKIPS: StageName[] = ['livelihood', 'followUp'];
const OPEN: StageStatus[] = ['ready', 'active'];
const FINISHED: StageStatus[] = ['done', 'skipped'];

export const isFinished = (status: StageStatus) => FINISHED.includes(status);

/** The stages of this pathway, in the template's order. */
export function stageOrder(input: PathwayInput): StageName[] {
  return ['intake', ...input.template.stages.map((s) => s.stage), 'closure'];
}

function computeStatus(ctx: Ctx, stage: StageName): StageStatus {
  const { state } = ctx;
  const module = STAGE_MODULES[stage];
  if (stage === 'intake') return 'done';
  if (stage === 'closure') return state.closure ? 'done' : unfinished(ctx).length ? 'blocked' : 'ready';
  const template = ctx.template(stage);
  if (!template) return 'skipped';
  const audience = audienceOf(template);
  if ((audience === 'children' && !ctx.person.isChild) || (audience === 'adults' && ctx.person.isChild)) return 'skipped';
  if (module.applies && !module.applies(ctx)) return 'skipped';
  if (LEGAL_SKIPS.includes(stage) && inLegalProceedings(ctx)) return 'skipped';
  if (module.done(ctx)) return 'done';
  if (state.closure) return 'skipped';
  if (template.after.some((before) => !isFinished(ctx.status(before)))) return 'blocked';
  return module.startsItself || state.touched.includes(stage) ? 'active' : 'ready';
}

/** A view of the pathway at one moment; statuses are computed once and remembered. */
export function createCtx(input: PathwayInput, state: PathwayState, now: number, emit: (event: GroupNotice) => void = () => {}): Ctx {
  const statuses = new Map<StageName, StageStatus>();
  const ctx: Ctx = {
    input,
    state,
    now,
    person: personAt(input, state, now),
    emit,
    template: (stage) => input.template.stages.find((s) => s.stage === stage),
    at: (other, moment, tell) => createCtx(input, other, moment, tell),
    status(stage) {
      let status = statuses.get(stage);
      if (!status) statuses.set(stage, (status = computeStatus(ctx, stage)));
      return status;
    },
  };
  return ctx;
}

/** Why a stage cannot start, or what keeps it from ending. */
export function blockersOf(ctx: Ctx, stage: StageName): string[] {
  const status = ctx.status(stage);
  if (stage === 'closure' && status === 'blocked') return [`waiting for ${unfinished(ctx).join(', ')}`];
  if (status === 'blocked') {
    const after = ctx.template(stage)?.after ?? [];
    return after.filter((before) => !isFinished(ctx.status(before))).map((before) => `waiting for ${before} to be done`);
  }
  return OPEN.includes(status) ? (STAGE_MODULES[stage].waitingFor?.(ctx) ?? []) : [];
}

function stageRefusal(ctx: Ctx, stage: StageName): Refusal {
  const status = ctx.status(stage);
  if (status === 'done') return refusalWith('wrong-stage', `The ${stage} stage is already done.`, 'stage-already-done', { stage });
  if (status === 'skipped') return refusalWith('wrong-stage', `The ${stage} stage does not apply to this pathway.`, 'stage-not-applicable', { stage });
  const blockers = blockersOf(ctx, stage);
  return refusalWith('wrong-stage', `The ${stage} stage cannot start yet: ${blockers.join('; ')}.`, 'stage-not-started', { stage, blockers });
}

const NOT_OFFERED: Refusal = refusalWith('wrong-stage', 'Not available now.', 'not-available-now');

const INCIDENT_REFUSAL: Refusal = {
  code: 'incident',
  message: "The pathway's audit trail cannot be written at the moment; it accepts no action until its entries are written (an incident operators see).",
  why: { code: 'audit-incident' },
};

type ActionEntry = { stage: StageName; definition: ActionDefinition };

/** Who may send it with this payload: its own rule, else the pathway's organisations and those that accepted a referral of its stage. */
function actingOrganisations(ctx: Ctx, { stage, definition }: ActionEntry, payload?: unknown): string[] {
  return definition.organisations?.(ctx, payload) ?? [...ctx.state.organisations, ...receiversOf(ctx.state, stage)];
}

/**
 * The one gate every action passes, for refusing it and for listing it as available: why the
 * pathway would refuse it now (with this payload, from this actor when one is given).
 */
function gate(ctx: Ctx, entry: ActionEntry, payload: () => unknown, actor?: Actor, listing = false): Refusal | undefined {
  const { stage, definition } = entry;
  if (actor && !definition.roles.includes(actor.role)) {
    return refusalWith('wrong-role', `${definition.type} may be sent by ${definition.roles.join(' or ')}, not by ${actor.role}.`, 'wrong-role', { action: definition.type, roles: definition.roles, role: actor.role });
  }
  // Before anything else is said about the pathway: another organisation learns nothing from a refusal.
  if (actor && !actingOrganisations(ctx, entry, payload()).includes(actor.org)) {
    return refusalWith('wrong-organisation', `${definition.type} may not be sent by people of ${actor.org} on this pathway now.`, 'wrong-organisation', { action: definition.type, organisation: actor.org });
  }
  if (ctx.state.closure) return refusalWith('closed', 'The pathway is closed.', 'pathway-closed');
  if (ctx.state.transfer?.status === 'accepted') return refusalWith('closed', 'The pathway is being transferred: it closes as soon as the new one is open.', 'pathway-being-transferred');
  if (ctx.state.incident) return INCIDENT_REFUSAL;
  if (!definition.anyStage && !OPEN.includes(ctx.status(stage))) return stageRefusal(ctx, stage);
  const value = payload();
  if (listing && definition.offered) return definition.offered(ctx) ? undefined : NOT_OFFERED;
  const refusal = definition.refuse?.(ctx, value, actor);
  if (refusal) return refusal;
  if (actor && definition.excluded?.(ctx, value).includes(actor.id)) {
    return definition.fourEyes
      ? refusalWith('four-eyes', definition.fourEyes.message, definition.fourEyes.code)
      : refusalWith('four-eyes', 'A supervisor may not approve a decision they requested or recorded themselves.', 'four-eyes-approval');
  }
  return undefined;
}

/** Every reason the pathway would refuse the action now, in the order a caller should fix them. */
export function refusalOf(ctx: Ctx, envelope: ActionEnvelope): Refusal | undefined {
  const entry = ACTIONS.get(envelope.type);
  if (!entry) return refusalWith('unknown-action', `There is no action of type ${envelope.type}.`, 'unknown-action', { action: envelope.type });
  const payload = entry.definition.payload.safeParse(envelope.payload ?? {});
  if (!payload.success) {
    return {
      ...refusalWith('invalid-data', `The payload of ${envelope.type} is not valid.`, 'invalid-payload', { action: envelope.type }),
      fields: faultsOfIssues(payload.error.issues, envelope.payload ?? {}, ['payload']),
    };
  }
  return gate(ctx, entry, () => payload.data, envelope.actor);
}

/** Every action the pathway would accept now, routine ones first, each with a payload it accepts. */
export function availableActions(ctx: Ctx): AvailableAction[] {
  const available: AvailableAction[] = [];
  for (const stage of stageOrder(ctx.input)) {
    for (const definition of STAGE_MODULES[stage].actions) {
      const entry = { stage, definition };
      // One entry per example when the action names what it answers (each referral its own receiver).
      const examples: (() => Record<string, unknown>)[] = definition.examples
        ? definition.examples(ctx).map((example) => () => example)
        : [() => definition.example(ctx)];
      for (const make of examples) {
        let example: Record<string, unknown> = {};
        if (gate(ctx, entry, () => (example = make()), undefined, true)) continue;
        const excluded = definition.excluded?.(ctx, example);
        const choices = definition.choices?.(ctx);
        const organisations = actingOrganisations(ctx, entry, definition.examples ? example : undefined);
        const ownOnly = organisations.length === ctx.state.organisations.length && organisations.every((o) => ctx.state.organisations.includes(o));
        available.push({
          type: definition.type,
          // The stage it concerns: a referral's answer belongs to the referred stage.
          stage: definition.auditStage?.(ctx, example) ?? stage,
          roles: definition.roles,
          routine: definition.routine?.(ctx) ?? true,
          example,
          ...(excluded ? { excludedActors: excluded } : {}),
          ...(ownOnly ? {} : { organisations }),
          ...(choices ? { choices } : {}),
        });
      }
    }
  }
  return [...available.filter((a) => a.routine), ...available.filter((a) => !a.routine)];
}
