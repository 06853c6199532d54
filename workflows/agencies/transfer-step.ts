import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { ActivityFailure, ApplicationFailure, log, ParentClosePolicy, proxyActivities, startChild, uuid4, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../../activities/index.js';
import { workflowIdOf } from '../../src/domain/model.js';
import type { PathwayInput } from '../../src/domain/pathway.js';
import { DEFAULT_WAIT_DEADLINE_MS, TRANSFER_REFUSED } from '../../src/domain/projection.js';
import type { TransferOpening } from '../../src/pathways/transfer.js';
import { runs } from '../changes.js';
import { OPERATION, OVERDUE, PROGRAMME, STAGE, STATUS } from '../search-attributes.js';
import type { PathwayState } from '../state.js';
import type { AutomaticEvent } from '../timeline.js';
import { RETRY, waitWords } from '../writes.js';
import { endShares } from './shares.js';

/** The failure's message when the receiving programme refused the person; undefined for any other failure. */
function refusedBecause(error: unknown): string | undefined {
  const cause = error instanceof ActivityFailure ? error.cause : undefined;
  return cause instanceof ApplicationFailure && cause.type === TRANSFER_REFUSED ? cause.message : undefined;
}

/** What keeps a transfer from going ahead without a person acting: its preparation gave up (the deadline), or the new id was taken. */
const stuck = (error: unknown) => error instanceof ActivityFailure || error instanceof WorkflowExecutionAlreadyStartedError;

/**
 * Opens the pathway that continues this one and returns its id. Pathways since `transfer-opens-child`
 * have an activity check that the receiving programme takes the person (PostgreSQL only, within the
 * pathway's wait deadline), then start the new pathway themselves: one command, which needs no
 * other service and no key anyone else could take. Older ones open it through an activity.
 */
async function openContinuation(input: PathwayInput, opening: TransferOpening): Promise<string> {
  if (!runs(input, 'transfer-opens-child')) {
    const { openTransferred } = proxyActivities<Activities>({ startToCloseTimeout: '30 seconds', retry: RETRY });
    return openTransferred(opening);
  }
  const { prepareTransferred } = proxyActivities<Activities>({
    startToCloseTimeout: '30 seconds',
    scheduleToCloseTimeout: input.waitDeadlineMs ?? DEFAULT_WAIT_DEADLINE_MS,
    retry: { ...RETRY, nonRetryableErrorTypes: [TRANSFER_REFUSED] },
  });
  const next = await prepareTransferred({ ...opening, newPathwayId: uuid4() });
  await startChild('pathway', {
    workflowId: workflowIdOf(next.pathwayId),
    taskQueue: workflowInfo().taskQueue,
    args: [next],
    // The new pathway lives on when this one closes, a moment from now.
    parentClosePolicy: ParentClosePolicy.ABANDON,
    typedSearchAttributes: [
      { key: PROGRAMME, value: next.programme },
      { key: OPERATION, value: next.operation },
      { key: STAGE, value: 'intake' },
      { key: STATUS, value: 'active' },
      { key: OVERDUE, value: false },
    ],
  });
  return next.pathwayId;
}

/**
 * A step of the pathway's main loop once a transfer is accepted: opens the pathway that continues
 * this one, then closes this one as transferred. A programme that cannot take the person fails the
 * transfer at once; one that could not be prepared by the wait deadline fails it as stuck, which
 * the projection holds open as an incident. Either way the pathway stays open for people to act on.
 * Actions meanwhile are refused as closed.
 */
export async function completeTransfer(input: PathwayInput, state: PathwayState): Promise<AutomaticEvent[]> {
  const transfer = state.transfer!;
  const { to, programme, operation, acceptedBy } = transfer;
  const sameOperation = programme === input.programme && operation === input.operation;
  const phase = transfer.phase ?? (sameOperation ? input.phase : undefined);
  try {
    transfer.newPathwayId = await openContinuation(input, {
      pathwayId: input.pathwayId,
      programme,
      operation,
      arrivalDate: input.arrivalDate,
      ...(phase ? { phase } : {}),
      person: {
        arrivedWith: input.person.arrivedWith,
        // Papers issued on this pathway count on the new one.
        hasIdentityDocument: input.person.hasIdentityDocument || state.documentation.identityDocument !== undefined,
        hasBirthCertificate: input.person.hasBirthCertificate || state.documentation.birthCertificateIssued,
      },
      acceptedBy: acceptedBy!,
    });
  } catch (error) {
    const refused = refusedBecause(error);
    if (!refused && !stuck(error)) throw error;
    transfer.status = 'failed';
    transfer.failure = refused ?? `The new pathway could not be prepared within ${waitWords(input.waitDeadlineMs ?? DEFAULT_WAIT_DEADLINE_MS)}: PostgreSQL did not answer. Ask for the transfer again once it does.`;
    if (!refused) {
      transfer.stuck = true;
      log.error(`incident: transfer to ${to} not prepared by its deadline`, { pathwayId: input.pathwayId, kind: 'transfer-not-prepared' });
    }
    return [{ type: 'transfer.failed', stage: 'closure', data: { to, programme, reason: transfer.failure, ...(refused ? {} : { stuck: true }) } }];
  }
  // Date.now() is the workflow's deterministic clock here.
  const now = Date.now();
  state.closure = { reason: 'transferred', by: acceptedBy!.id, at: now };
  endShares(state, now);
  return [{ type: 'pathway.transferred', stage: 'closure', data: { to, programme, operation, newPathwayId: transfer.newPathwayId } }];
}
