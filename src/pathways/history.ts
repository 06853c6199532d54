import type { Config } from '../../config/index.js';
import { auditTrail } from '../db/audit-trail.js';
import type { Pool } from '../db/pool.js';
import type { Actor } from '../domain/model.js';
import { accessiblePathway } from './access.js';

/** The audit trail of one pathway, for a supervisor allowed to see it. */
export async function pathwayHistory(deps: { pool: Pool; config: Config }, actor: Actor, pathwayId: string) {
  await accessiblePathway(deps.pool, deps.config, actor, pathwayId, 'read');
  return { pathwayId, entries: await auditTrail(deps.pool, pathwayId) };
}
