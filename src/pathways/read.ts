import type { Client } from '@temporalio/client';
import type { Config } from '../../config/index.js';
import type { AccessKind } from '../db/access-log.js';
import { logReadWithRecord, type AccessVia, type StoredView } from '../db/pathway-access.js';
import type { Pool } from '../db/pool.js';
import type { Actor } from '../domain/model.js';
import type { PathwayView } from '../domain/pathway.js';
import { AppError } from '../errors.js';
import { allowedAccess, isOversight } from './access.js';
import { queryState } from './temporal-calls.js';

export interface ReadDeps {
  pool: Pool;
  client: Client;
  config: Config;
}

/** The actions this person may send now: their role, their organisation, and the four-eyes rule. */
function actionsFor(view: PathwayView, actor: Actor, via: AccessVia) {
  if (via === 'oversight' || via === 'emergency') return [];
  return view.availableActions.filter(
    (a) => a.roles.includes(actor.role) && !a.excludedActors?.includes(actor.id) && (a.organisations ?? view.organisations).includes(actor.org),
  );
}

/**
 * The state as this person sees it. An organisation a stage was referred to sees that stage only
 * (its details, blockers, assignment and its own referrals), one offered a transfer sees the
 * summary and the offer; nobody outside the pathway's organisations sees its family group.
 */
export function forActor(view: PathwayView, actor: Actor, via: AccessVia = 'organisation', referredStages: string[] = []): PathwayView {
  const availableActions = actionsFor(view, actor, via);
  if (via !== 'referral' && via !== 'transfer') return { ...view, availableActions };
  const stages = via === 'referral' ? referredStages : [];
  const shown = view.stages.filter((s) => stages.includes(s.stage));
  return {
    ...view,
    // Legal proceedings are not another organisation's business: open or closed is.
    status: view.status === 'closed' ? 'closed' : 'active',
    ...(via === 'referral' && shown[0] ? { currentStage: shown[0].stage, overdue: shown.some((s) => s.overdue) } : {}),
    familyGroup: undefined,
    stages: shown,
    notes: view.notes?.filter((note) => stages.some((stage) => note.startsWith(`${stage}: `))),
    referrals: view.referrals?.filter((r) => r.to === actor.org && stages.includes(r.stage)),
    transfer: via === 'transfer' ? view.transfer : undefined,
    // Its own people's hold on the referred stage: who else works on it is not its business.
    assignments: view.assignments && { stages: view.assignments.stages.filter((a) => stages.includes(a.stage) && a.org === actor.org) },
    corrections: undefined,
    // Whether its organisation means to close it early is its own deliberation until it closes.
    closeRequest: undefined,
    availableActions,
  };
}

async function finalView(pool: Pool, pathwayId: string): Promise<PathwayView | undefined> {
  const { rows } = await pool.query<{ final_view: PathwayView | null }>('select final_view from pathways where id = $1', [pathwayId]);
  return rows[0]?.final_view ?? undefined;
}

/**
 * The view the pathway stored with its last batch, when it is the pathway's whole state: at least
 * the version the caller has seen (`minVersion`, from an action's answer), and no write of the
 * pathway's held back by an incident (the workflow then shows the incident and what waits).
 */
export function usableView(stored: StoredView | undefined, minVersion = 0): PathwayView | undefined {
  if (!stored || stored.writeIncident || stored.view.version < minVersion) return undefined;
  return stored.view;
}

/** The live state from the workflow, or the final state once Temporal no longer keeps a closed pathway. */
export async function currentState(deps: ReadDeps, pathwayId: string): Promise<PathwayView> {
  try {
    return await queryState(deps.client, pathwayId, deps.config.temporal.updateTimeoutMs);
  } catch (error) {
    const closed = error instanceof AppError && error.code === 'unavailable' ? await finalView(deps.pool, pathwayId) : undefined;
    if (closed) return closed;
    throw error;
  }
}

/**
 * One pathway with the person's record, for someone allowed to see it. The access check, the
 * access-log row, the record and the view the pathway stored with its last batch are one
 * statement, so nothing is answered unless the read was logged, and nothing is asked of the
 * workflow for someone who may not see it. The workflow is asked only when the stored view will
 * not do (`usableView`), or the pathway has none yet (opened before views were stored). A closed
 * pathway answers with its final state. `what` is logged: a read to print or download the state
 * is logged as that.
 */
export async function readPathway(deps: ReadDeps, actor: Actor, pathwayId: string, requestId: string, what: AccessKind = 'state', minVersion = 0) {
  const mayReadAll = isOversight(actor, deps.config);
  const access = await logReadWithRecord(deps.pool, { pathwayId, actor, what, requestId, mayReadAll });
  const { via } = allowedAccess(access, deps.config, actor, 'read');
  const state = access!.finalView ?? usableView(access!.stored, minVersion) ?? (await currentState(deps, pathwayId));
  return { ...forActor(state, actor, via, access!.referredStages), record: access!.record! };
}
