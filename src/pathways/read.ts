import type { Client } from '@temporalio/client';
import type { Config } from '../../config/index.js';
import { recordAccess } from '../db/access-log.js';
import { personRecord } from '../db/pathway-access.js';
import type { Pool } from '../db/pool.js';
import type { Actor } from '../domain/model.js';
import type { PathwayView } from '../domain/pathway.js';
import { AppError } from '../errors.js';
import { accessiblePathway } from './access.js';
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
 * One pathway with the person's record, for someone allowed to see it. The read is logged while
 * the state is fetched, and nothing is answered unless the log row was written.
 */
export async function readPathway(deps: ReadDeps, actor: Actor, pathwayId: string, requestId: string) {
  await accessiblePathway(deps.pool, deps.config, actor, pathwayId, 'read');
  const [state, record] = await Promise.all([
    currentState(deps, pathwayId),
    personRecord(deps.pool, pathwayId),
    recordAccess(deps.pool, { pathwayId, actor, what: 'state', requestId }),
  ]);
  return { ...forActor(state, actor), record: record! };
}
