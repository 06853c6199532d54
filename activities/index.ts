import { log } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { persistBatch, type PersistBatch } from '../src/db/audit.js';
import { isDataRejected, loggableError } from '../src/db/errors.js';
import { familyGroupMembers } from '../src/db/family-groups.js';
import { raiseIncident } from '../src/db/incidents.js';
import type { Pool } from '../src/db/pool.js';
import { AUDIT_WRITE_REFUSED } from '../src/domain/pathway.js';

/** The pathway workflow's activities: the only way it reaches PostgreSQL. */
export function createActivities(deps: { pool: Pool }) {
  return {
    async persist(batch: PersistBatch): Promise<void> {
      try {
        await persistBatch(deps.pool, batch);
      } catch (error) {
        // Anything else (PostgreSQL away, a time-out) is retried until it works.
        if (!isDataRejected(error)) throw error;
        const sqlState = (error as { code: string }).code;
        const firstSeq = batch.entries[0]?.seq ?? batch.projection.version;
        log.error('PostgreSQL refuses the audit entries of a pathway: incident raised', { pathwayId: batch.pathwayId, firstSeq, error: loggableError(error) });
        await raiseIncident(deps.pool, { pathwayId: batch.pathwayId, sqlState, firstSeq });
        throw ApplicationFailure.create({
          type: AUDIT_WRITE_REFUSED,
          message: `PostgreSQL refused the entries (SQLSTATE ${sqlState})`,
          details: [sqlState],
          nonRetryable: true,
        });
      }
    },
    async familyGroupMembers(input: { pathwayId: string; familyGroupId: string }) {
      return familyGroupMembers(deps.pool, input.pathwayId);
    },
  };
}

export type Activities = ReturnType<typeof createActivities>;
