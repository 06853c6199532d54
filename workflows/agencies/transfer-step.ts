import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';
import { TRANSFER_REFUSED, type PathwayInput } from '../../src/domain/pathway.js';
import type { TransferOpening } from '../../src/pathways/transfer.js';
import type { PathwayState } from '../state.js';
import type { AutomaticEvent } from '../timeline.js';
import { endShares } from './shares.js';

/**
 * A step of the pathway's main loop once a transfer is accepted: opens the pathway that continues
 * this one (an activity retried until PostgreSQL and Temporal take it, opening one pathway however
 * often it runs), then closes this one as transferred. A programme that cannot take the person
 * fails the transfer and the pathway stays open. Actions meanwhile are refused as closed.
 */
export async function completeTransfer(
  input: PathwayInput,
  state: PathwayState,
  openTransferred: (opening: TransferOpening) => Promise<string>,
): Promise<AutomaticEvent[]> {
  const transfer = state.transfer!;
  const { to, programme, operation, acceptedBy } = transfer;
  const sameOperation = programme === input.programme && operation === input.operation;
  try {
    transfer.newPathwayId = await openTransferred({
      pathwayId: input.pathwayId,
      programme,
      operation,
      arrivalDate: input.arrivalDate,
      ...(sameOperation && input.phase ? { phase: input.phase } : {}),
      person: {
        arrivedWith: input.person.arrivedWith,
        // Papers issued on this pathway count on the new one.
        hasIdentityDocument: input.person.hasIdentityDocument || state.documentation.identityDocument !== undefined,
        hasBirthCertificate: input.person.hasBirthCertificate || state.documentation.birthCertificateIssued,
      },
      acceptedBy: acceptedBy!,
    });
  } catch (error) {
    const cause = error instanceof ActivityFailure ? error.cause : undefined;
    if (!(cause instanceof ApplicationFailure) || cause.type !== TRANSFER_REFUSED) throw error;
    transfer.status = 'failed';
    transfer.failure = cause.message;
    return [{ type: 'transfer.failed', stage: 'closure', data: { to, programme, reason: cause.message } }];
  }
  // Date.now() is the workflow's deterministic clock here.
  const now = Date.now();
  state.closure = { reason: 'transferred', by: acceptedBy!.id, at: now };
  endShares(state, now);
  return [{ type: 'pathway.transferred', stage: 'closure', data: { to, programme, operation, newPathwayId: transfer.newPathwayId } }];
}
