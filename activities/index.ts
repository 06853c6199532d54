import { persistBatch, type PersistBatch } from '../src/db/audit.js';
import { familyGroupMembers } from '../src/db/family-groups.js';
import type { Pool } from '../src/db/pool.js';

/** The pathway workflow's activities: the only way it reaches PostgreSQL. */
export function createActivities(deps: { pool: Pool }) {
  return {
    async persist(batch: PersistBatch): Promise<void> {
      await persistBatch(deps.pool, batch);
    },
    async familyGroupMembers(input: { familyGroupId: string; pathwayId: string }) {
      return familyGroupMembers(deps.pool, input.familyGroupId, input.pathwayId);
    },
  };
}

export type Activities = ReturnType<typeof createActivities>;
