import { Context, log } from '@temporalio/activity';
import type { Config } from '../config/index.js';
import { ApplicationFailure } from '@temporalio/common';
import { persistBatch, type PersistBatch } from '../src/db/audit.js';
import { isDataRejected, loggableError } from '../src/db/errors.js';
import { familyGroupMembers } from '../src/db/family-groups.js';
import { raiseIncident } from '../src/db/incidents.js';
import type { Pool } from '../src/db/pool.js';
import type { Programme } from '../src/domain/model.js';
import { AUDIT_WRITE_REFUSED, TRANSFER_REFUSED } from '../src/domain/pathway.js';
import type { Template } from '../src/domain/template.js';
import { openTransferred, transferRefusal, type TransferOpening } from '../src/pathways/transfer.js';

/** The pathway workflow's activities: the only way it reaches PostgreSQL. */
export function createActivities(deps: { pool: Pool; config: Config; templates: ReadonlyMap<Programme, Template> }) {
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
    /** Opens the pathway a transfer continues in; a programme that cannot take the person fails it for good. */
    async openTransferred(transfer: TransferOpening): Promise<string> {
      try {
        return await openTransferred({ ...deps, client: Context.current().client }, transfer);
      } catch (error) {
        const refused = transferRefusal(error, transfer.programme);
        if (!refused) throw error;
        throw ApplicationFailure.create({ type: TRANSFER_REFUSED, message: refused, nonRetryable: true });
      }
    },
    async familyGroupMembers(input: { pathwayId: string; familyGroupId: string }) {
      return familyGroupMembers(deps.pool, input.pathwayId);
    },
  };
}

export type Activities = ReturnType<typeof createActivities>;
