import { Context, log } from '@temporalio/activity';
import type { Config } from '../config/index.js';
import { ApplicationFailure } from '@temporalio/common';
import { persistBatch, type PersistBatch } from '../src/db/audit.js';
import { isDataRejected, loggableError } from '../src/db/errors.js';
import { familyGroupMembers } from '../src/db/family-groups.js';
import { raiseIncident } from '../src/db/incidents.js';
import { insertTransferredPathway } from '../src/db/pathways.js';
import type { Pool } from '../src/db/pool.js';
import type { Programme } from '../src/domain/model.js';
import type { PathwayInput } from '../src/domain/pathway.js';
import { AUDIT_WRITE_REFUSED, TRANSFER_REFUSED, type IncidentKind } from '../src/domain/projection.js';
import type { Template } from '../src/domain/template.js';
import { dispatchNotifications } from '../src/notify/dispatcher.js';
import { openTransferred, prepareTransferred, transferRefusal, type TransferOpening } from '../src/pathways/transfer.js';

/** The pathway workflow's activities: the only way it reaches PostgreSQL. */
export function createActivities(deps: {
  pool: Pool;
  config: Config;
  templates: ReadonlyMap<Programme, Template>;
  /** Aborted when the worker begins to stop: long activities hand back at once instead of holding the shutdown. */
  stopping?: AbortSignal;
}) {
  /** A transfer the receiving programme cannot take fails for good: retrying the same opening never helps. */
  const refusedForGood = (error: unknown, programme: string) => {
    const refused = transferRefusal(error, programme);
    return refused ? ApplicationFailure.create({ type: TRANSFER_REFUSED, message: refused, nonRetryable: true }) : error;
  };
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
    /** An incident the workflow raises itself (its entries late past their deadline): what it says goes to the log too. */
    async raiseIncident(incident: { pathwayId: string; kind: IncidentKind; firstSeq?: number; detail: string }): Promise<void> {
      log.error(`incident raised: ${incident.detail}`, { pathwayId: incident.pathwayId, kind: incident.kind, firstSeq: incident.firstSeq });
      await raiseIncident(deps.pool, incident);
    },
    /** The input of the pathway a transfer continues in; a programme that cannot take the person fails it for good. */
    async prepareTransferred(transfer: TransferOpening & { newPathwayId: string }): Promise<PathwayInput> {
      return prepareTransferred(deps, transfer).catch((error: unknown) => Promise.reject(refusedForGood(error, transfer.programme)));
    },
    /** A pathway a transfer started writes its own row first, with the person's record copied from the one it continues. */
    async writeOwnRow(input: PathwayInput & { transferredFrom: string }): Promise<void> {
      await insertTransferredPathway(deps.pool, input);
    },
    /** How pathways that accepted a transfer before `prepareTransferred` existed open the new one. */
    async openTransferred(transfer: TransferOpening): Promise<string> {
      return openTransferred({ ...deps, client: Context.current().client }, transfer).catch((error: unknown) =>
        Promise.reject(refusedForGood(error, transfer.programme)),
      );
    },
    /** A minute of notification delivery: the `notifier` workflow runs it again and again. */
    async dispatchNotifications(): Promise<void> {
      await dispatchNotifications({ pool: deps.pool, config: deps.config, logger: log }, deps.stopping);
    },
    async familyGroupMembers(input: { pathwayId: string; familyGroupId: string }) {
      return familyGroupMembers(deps.pool, input.pathwayId);
    },
  };
}

export type Activities = ReturnType<typeof createActivities>;
