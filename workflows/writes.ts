import { ActivityFailure, ApplicationFailure, getExternalWorkflowHandle, log, proxyActivities, sleep } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import { workflowIdOf } from '../src/domain/model.js';
import type { AuditEntry, GroupEvent, PathwayInput } from '../src/domain/pathway.js';
import { AUDIT_WRITE_REFUSED, DEFAULT_WAIT_DEADLINE_MS } from '../src/domain/projection.js';
import { runs } from './changes.js';
import { groupSignal } from './definitions.js';
import type { PathwayState } from './state.js';
import { buildProjection } from './view.js';

// No maximum number of attempts: an event is retried until PostgreSQL takes it, never dropped.
export const RETRY = { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2 } as const;

const { familyGroupMembers } = proxyActivities<Activities>({ startToCloseTimeout: '30 seconds', retry: RETRY });
// Best effort: the incident is in the pathway's state and its log line whatever becomes of this.
const { raiseIncident } = proxyActivities<Activities>({ startToCloseTimeout: '10 seconds', scheduleToCloseTimeout: '1 minute', retry: RETRY });
/** Once late, a write is given a day per attempt: a long outage adds a few events to the history, not thousands. */
const LATE_WINDOW_MS = 24 * 60 * 60_000;

export { familyGroupMembers };

/** A wait in words, for people: seconds below two minutes, minutes above. */
export const waitWords = (ms: number) => (ms < 120_000 ? `${Math.round(ms / 1000)} seconds` : `${Math.round(ms / 60_000)} minutes`);

/** How long an attempt at something PostgreSQL must take may last: the wait deadline, or a late one's longer window; none for runs of older code. */
function window(input: PathwayInput, state: PathwayState): number | undefined {
  if (!runs(input, 'persist-deadline')) return undefined;
  return state.incident?.code === 'audit-write-late' ? LATE_WINDOW_MS : (input.waitDeadlineMs ?? DEFAULT_WAIT_DEADLINE_MS);
}

/** Records that what PostgreSQL must take is late: in the state (the pathway shows it, accepts nothing), the log and, when it answers, the incidents. */
async function late(input: PathwayInput, state: PathwayState, firstSeq: number, what: string, now: number) {
  if (state.incident) return;
  state.incident = { code: 'audit-write-late', firstSeq, since: now };
  const detail = `${what} not written within ${waitWords(input.waitDeadlineMs ?? DEFAULT_WAIT_DEADLINE_MS)}; kept and retried`;
  log.error(`incident: ${detail}`, { pathwayId: input.pathwayId });
  await raiseIncident({ pathwayId: input.pathwayId, kind: 'audit-write-late', firstSeq, detail }).catch(() => undefined);
}

/**
 * A pathway a transfer started writes its own row before its first entry (the person's record
 * copied from the one it continues). Retried until PostgreSQL takes it; past the wait deadline it
 * says so (the state and the log: there is no row for an incident yet) and goes on trying.
 */
export async function writeOwnRow(input: PathwayInput & { transferredFrom: string }, state: PathwayState, now: () => number): Promise<void> {
  for (;;) {
    const scheduleToCloseTimeout = window(input, state);
    const { writeOwnRow: write } = proxyActivities<Activities>({ startToCloseTimeout: '30 seconds', ...(scheduleToCloseTimeout ? { scheduleToCloseTimeout } : {}), retry: RETRY });
    try {
      await write(input);
      state.incident = undefined;
      return;
    } catch (error) {
      if (!(error instanceof ActivityFailure)) throw error;
      state.incident ??= { code: 'audit-write-late', firstSeq: 1, since: now() };
      log.error(`incident: the pathway's own row not written within ${waitWords(input.waitDeadlineMs ?? DEFAULT_WAIT_DEADLINE_MS)}; kept and retried`, { pathwayId: input.pathwayId, transferredFrom: input.transferredFrom });
    }
  }
}

/** How long a pathway with a refused write waits before it tries again: doubling from 10 minutes to a day, so its history stays small. */
const incidentRetryMs = (attempts: number) => Math.min(24 * 60, 10 * 2 ** Math.min(attempts, 8)) * 60 * 1000;

/** What the pathway has produced and not yet handed on: audit entries for PostgreSQL, news for its family group. */
export interface Outgoing {
  entries: AuditEntry[];
  signals: { to: string; event: GroupEvent }[];
}

/**
 * Writes the entries (with the projection) and sends the signals; resolves to the last entry
 * written, or undefined when none was. A write PostgreSQL refuses for its data, or that has not
 * gone through by the pathway's wait deadline, raises an incident: the entries are kept, in
 * order, and the next call tries again (after a pause when refused); meanwhile the pathway
 * shows the incident and accepts nothing.
 */
export async function writeOut(input: PathwayInput, state: PathwayState, out: Outgoing, now: () => number): Promise<number | undefined> {
  const entries = out.entries.splice(0);
  const signals = out.signals.splice(0).map(({ to, event }) => signalMember(to, event));
  const incident = state.incident;
  const scheduleToCloseTimeout = window(input, state);
  const { persist } = proxyActivities<Activities>({ startToCloseTimeout: '30 seconds', ...(scheduleToCloseTimeout ? { scheduleToCloseTimeout } : {}), retry: RETRY });
  const persisted = entries.length
    ? persist({ pathwayId: input.pathwayId, entries, projection: buildProjection(input, state, now()), resolvesIncident: incident !== undefined })
    : undefined;
  try {
    // Every promise costs the SDK a stack trace: no Promise.all for the usual lone write.
    await (signals.length ? Promise.all([persisted, ...signals]) : persisted);
  } catch (error) {
    if (!(error instanceof ActivityFailure)) throw error;
    out.entries.unshift(...entries);
    const firstSeq = entries[0]!.seq;
    const code = refusedByDatabase(error);
    if (code) {
      if (state.incident?.code === 'audit-write-late') state.incident = undefined;
      state.incident ??= { code, firstSeq, since: now() };
      state.incident.attempts = (state.incident.attempts ?? 0) + 1;
      await sleep(incidentRetryMs(state.incident.attempts - 1));
      return undefined;
    }
    // Not written by the deadline (PostgreSQL away, or failing otherwise): said now, retried at once.
    await late(input, state, firstSeq, `audit entries from ${firstSeq} on`, now());
    return undefined;
  }
  if (incident) state.incident = undefined;
  return entries.at(-1)?.seq;
}

/** The SQLSTATE when `persist` failed because PostgreSQL refuses the data; undefined for any other failure. */
function refusedByDatabase(error: ActivityFailure): string | undefined {
  const cause = error.cause;
  if (!(cause instanceof ApplicationFailure) || cause.type !== AUDIT_WRITE_REFUSED) return undefined;
  return String(cause.details?.[0] ?? 'unknown');
}

/** Group news is best effort: a member whose pathway has closed simply does not hear it. */
async function signalMember(pathwayId: string, event: GroupEvent) {
  try {
    await getExternalWorkflowHandle(workflowIdOf(pathwayId)).signal(groupSignal, event);
  } catch (error) {
    log.warn('family group member not reachable', { member: pathwayId, error: String(error) });
  }
}
