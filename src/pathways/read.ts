import type { Client } from '@temporalio/client';
import type { Config } from '../../config/index.js';
import { logReadWithRecord } from '../db/pathway-access.js';
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

/** The state as this person sees it: only the actions their role may send and the four-eyes rule allows. */
export function forActor(view: PathwayView, actor: Actor): PathwayView {
  const availableActions = view.availableActions.filter((a) => a.roles.includes(actor.role) && !a.excludedActors?.includes(actor.id));
  return { ...view, availableActions };
}

async function finalView(pool: Pool, pathwayId: string): Promise<PathwayView | undefined> {
  const { rows } = await pool.query<{ final_view: PathwayView | null }>('select final_view from pathways where id = $1', [pathwayId]);
  return rows[0]?.final_view ?? undefined;
}

/** The live state from the workflow, or the final state once Temporal no longer keeps a closed pathway. */
async function currentState(deps: ReadDeps, pathwayId: string): Promise<PathwayView> {
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
 * access-log row and the record are one statement, so nothing is answered unless the read was
 * logged, and nothing is asked of the workflow for someone who may not see it. A closed pathway
 * answers with the final state stored when it closed: asking its workflow would replay its history.
 */
export async function readPathway(deps: ReadDeps, actor: Actor, pathwayId: string, requestId: string) {
  const mayReadAll = isOversight(actor, deps.config);
  const access = await logReadWithRecord(deps.pool, { pathwayId, actor, what: 'state', requestId, mayReadAll });
  allowedAccess(access, deps.config, actor, 'read');
  const state = access!.finalView ?? (await currentState(deps, pathwayId));
  return { ...forActor(state, actor), record: access!.record! };
}
