import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { textIssues } from '../src/domain/text.js';
import { faultsOfIssues } from '../src/domain/problem-codes.js';
import { ActionEnvelope, type ActionResult, type AuditEntry, type GroupEvent, type PathwayInput, type PathwayView, type Refusal } from '../src/domain/pathway.js';
import { loggable } from './agencies/corrections.js';
import { completeTransfer } from './agencies/transfer-step.js';
import { openedWith, runs, WORKFLOW_VERSION } from './changes.js';
import { DeadlineTimer } from './deadline-timer.js';
import { actUpdate, groupSignal, stateQuery } from './definitions.js';
import { receiveGroupEvent } from './group.js';
import { createCtx, refusalOf } from './rules.js';
import { OVERDUE, STAGE, STATUS } from './search-attributes.js';
import { iso } from './stages/common.js';
import { ACTIONS } from './stages/index.js';
import type { GroupNotice } from './stages/types.js';
import { carriedState, initialState, type PathwayState } from './state.js';
import { fireDue, nextDeadline, settle, type AutomaticEvent } from './timeline.js';
import { joinGroup, open, overdueAtOpening } from './opening.js';
import { buildView, summarise, type Summary } from './view.js';
import { familyGroupMembers, writeOut, writeOwnRow, type Outgoing } from './writes.js';

/** Follow-up periods one run handles before it continues as new, so a history stays bounded. */
const PERIODS_PER_RUN = 12;

// Date.now() is Temporal's deterministic workflow clock inside the workflow sandbox.
const now = () => Date.now();

const reusedFailure = (actionId: string) =>
  refusalFailure({ code: 'action-id-reused', message: `The actionId ${actionId} was already used for a different action; use a new id.`, why: { code: 'action-id-reused' } });

function refusalFailure(refusal: Refusal): ApplicationFailure {
  return ApplicationFailure.create({ type: refusal.code, message: refusal.message, details: [refusal], nonRetryable: true });
}

const searchKeyOf = (summary: Summary) => `${summary.currentStage}|${summary.status}|${summary.overdue}`;

/** One returnee's reintegration pathway, from intake to closure. */
export async function pathway(input: PathwayInput): Promise<PathwayView> {
  // Opened by newer code (a worker rolled back, or not yet rolled): this worker's task fails and is retried until one that knows it runs it.
  if ((input.workflowVersion ?? 0) > WORKFLOW_VERSION) throw new Error(`pathway of workflow version ${input.workflowVersion}; this worker knows ${WORKFLOW_VERSION}`);
  const base: PathwayInput = { ...input, carried: undefined };
  // The opening's steps take the time the API opened it at, when it says (so it answered with this state).
  const openedAt = () => (input.openedAt !== undefined && openedWith(input, 'opened-at') ? input.openedAt : now());
  const state: PathwayState = input.carried
    ? carriedState(input.carried, now(), input.organisations)
    : initialState(openedAt(), input.organisations);
  // The API wrote the opening's batch (`openingBatch`): every opening step is taken before any handler runs, so the entries are those it wrote.
  const openingWritten = !input.carried && input.openingWritten === true && input.openedAt !== undefined && openedWith(input, 'opening-written');
  const out: Outgoing = { entries: [], signals: [] };
  const outbox = out.entries;
  const outgoing = out.signals;
  let flushedSeq = state.seq;
  let periodsThisRun = 0;
  let continuing = false;
  let searchKey = '';

  const record = (entry: Omit<AuditEntry, 'seq' | 'occurredAt'>, at = now()) => {
    state.seq += 1;
    outbox.push({ ...entry, seq: state.seq, occurredAt: iso(at) });
  };
  const recordEvents = (events: AutomaticEvent[]) => events.forEach((event) => record({ kind: 'event', ...event }));
  const tell = (to: string, notice: GroupNotice) => outgoing.push({ to, event: { ...notice, from: input.pathwayId } as GroupEvent });
  const tellGroup = (notice: GroupNotice) => Object.keys(state.group.members).forEach((member) => tell(member, notice));
  const view = () => buildView(base, state, now());

  // Before any handler exists: setting one runs the updates that arrived with the first task.
  if (input.carried) {
    const { currentStage } = summarise(base, state, now());
    record({ kind: 'event', type: 'pathway.continued-as-new', stage: currentStage, data: { previousRunId: workflowInfo().continuedFromExecutionRunId } });
  } else {
    open(base, state, openedAt(), record);
    if (openingWritten) {
      if (input.familyGroupId) joinGroup(base, state, input.familyMembers ?? [], true, openedAt(), tell);
      overdueAtOpening(base, state, openedAt(), record);
      // The API wrote these entries with the pathway's row, and started it with the search attributes of this state.
      outbox.length = 0;
      flushedSeq = state.seq;
      searchKey = searchKeyOf(summarise(base, state, openedAt()));
    }
  }

  setHandler(stateQuery, view);

  /** The answer for an action id seen before: its original result, or a refusal when it now stands for other content. */
  const earlier = (envelope: ActionEnvelope) => {
    if (!state.appliedActionIds.includes(envelope.actionId)) return undefined;
    const applied = state.appliedActions?.[envelope.actionId];
    const reused = applied?.digest !== undefined && envelope.digest !== undefined && applied.digest !== envelope.digest;
    return { reused, result: { pathwayId: input.pathwayId, applied: false, version: applied?.version ?? state.seq } };
  };

  setHandler(
    actUpdate,
    async (envelope) => {
      // The state travels with the answer when the sender shows it: cheaper than a query after it.
      // A replay discards answers, so it skips building one.
      const answer = (result: ActionResult): ActionResult =>
        envelope.withState && !workflowInfo().unsafe.isReplaying ? { ...result, state: view() } : result;
      const seen = earlier(envelope);
      // Two requests with one id in the same task both pass the validator: the second is caught here.
      if (seen?.reused) throw reusedFailure(envelope.actionId);
      if (seen) {
        // A retry while the first is still being written: "already applied" means recorded, too.
        await condition(() => flushedSeq >= seen.result.version);
        return answer(seen.result);
      }
      const { stage, definition } = ACTIONS.get(envelope.type)!;
      const payload = definition.payload.parse(envelope.payload ?? {});
      const ctx = createCtx(base, state, now(), tellGroup);
      const auditStage = definition.auditStage?.(ctx, payload) ?? stage;
      definition.apply(ctx, payload, envelope.actor);
      if (!state.touched.includes(stage)) state.touched.push(stage);
      const { actor, actionId, requestId, type } = envelope;
      record({ kind: 'action', type, stage: auditStage, actor, actionId, requestId, data: payload });
      const logged = loggable(base, stage, { seq: state.seq, type, payload, actor, at: now() });
      if (logged) state.log.push(logged);
      state.appliedActionIds.push(actionId);
      (state.appliedActions ??= {})[actionId] = { digest: envelope.digest, version: state.seq };
      settle(base, state, now());
      const seq = state.seq;
      await condition(() => flushedSeq >= seq);
      return answer({ pathwayId: input.pathwayId, applied: true, version: seq });
    },
    {
      validator(envelope) {
        const parsed = ActionEnvelope.safeParse(envelope);
        // What PostgreSQL would refuse to store is refused here, before anything is applied.
        const issues = parsed.success ? textIssues(envelope, '') : [];
        if (!parsed.success || issues.length) {
          const fields = parsed.success ? issues : faultsOfIssues(parsed.error.issues, envelope);
          throw refusalFailure({ code: 'invalid-data', message: 'The action is malformed.', why: { code: 'action-malformed' }, fields });
        }
        if (parsed.data.pathwayId !== undefined && parsed.data.pathwayId !== input.pathwayId) {
          throw refusalFailure({
            code: 'invalid-data',
            message: 'The action names another pathway.',
            why: { code: 'other-pathway' },
            fields: [{ path: 'pathwayId', message: 'must be this pathway', code: 'not-this-pathway' }],
          });
        }
        const seen = earlier(parsed.data);
        if (seen?.reused) throw reusedFailure(parsed.data.actionId);
        if (seen) return;
        const refusal = refusalOf(createCtx(base, state, now()), parsed.data);
        if (refusal) throw refusalFailure(refusal);
      },
    },
  );

  setHandler(groupSignal, (event) => {
    if (event.from === input.pathwayId || state.closure) return;
    const { events, replies } = receiveGroupEvent(base, state, event, now());
    recordEvents(events);
    replies.forEach((notice) => tell(event.from, notice));
    settle(base, state, now());
  });

  // A pathway a transfer started has no row yet: it writes its own before its first entry.
  if (!input.carried && input.writesOwnRow && input.transferredFrom) await writeOwnRow({ ...input, transferredFrom: input.transferredFrom }, state, now);

  if (!input.carried && !openingWritten && input.familyGroupId) {
    // A pathway started before (or by a worker without) this code looked its group up itself.
    const known = input.familyMembers && runs(base, 'family-members-in-input') ? input.familyMembers : undefined;
    const members = known ?? (await familyGroupMembers({ pathwayId: input.pathwayId, familyGroupId: input.familyGroupId }));
    joinGroup(base, state, members, known !== undefined, openedAt(), tell);
  }

  // Pathways started before it had no reminders, as their histories recorded; they take them at their next deadline or action.
  const reminders = () => runs(base, 'stage-reminders');
  if (!input.carried && !openingWritten && reminders()) overdueAtOpening(base, state, openedAt(), record);

  // Pathways started before it keep a timer per wait, as their histories recorded.
  const timer = runs(base, 'steady-deadline-timer') ? new DeadlineTimer() : undefined;
  for (;;) {
    if (outbox.length > 0 || outgoing.length > 0) {
      const written = await writeOut(base, state, out, now);
      if (written !== undefined) flushedSeq = written;
      continue;
    }
    updateSearchAttributes(summarise(base, state, now()));
    if (state.closure) break;
    if (state.transfer?.status === 'accepted') {
      const events = await completeTransfer(base, state);
      recordEvents(events);
      settle(base, state, now());
      continue;
    }
    if (continuing) {
      // An action that arrives meanwhile waits for its entry to be written: keep flushing until all are done.
      const quiet = () => allHandlersFinished() && outbox.length === 0 && outgoing.length === 0;
      await condition(() => quiet() || outbox.length > 0 || outgoing.length > 0);
      if (quiet()) await continueAsNew<typeof pathway>({ ...base, carried: state });
      continue;
    }
    if ((periodsThisRun >= PERIODS_PER_RUN && !state.followUp.ended) || workflowInfo().continueAsNewSuggested) {
      // The new run records that it continues this one: only a continuation that happened is audited.
      continuing = true;
      continue;
    }
    const deadline = nextDeadline(base, state, now(), reminders());
    const woken = () => outbox.length > 0 || outgoing.length > 0;
    let due: boolean;
    if (timer) {
      timer.arm(deadline, now());
      await condition(() => woken() || timer.fired);
      due = !woken() && timer.take();
    } else {
      const changed = deadline === undefined ? (await condition(woken), true) : await condition(woken, Math.max(1, deadline - now()));
      due = !changed;
    }
    if (due) {
      const events = fireDue(base, state, now(), reminders());
      periodsThisRun += events.filter((e) => e.type.startsWith('follow-up.') && e.type !== 'follow-up.ended').length;
      recordEvents(events);
      settle(base, state, now());
    }
  }
  await condition(allHandlersFinished);
  return view();

  function updateSearchAttributes(current: Summary) {
    const key = searchKeyOf(current);
    if (key === searchKey) return;
    searchKey = key;
    upsertSearchAttributes([
      { key: STAGE, value: current.currentStage },
      { key: STATUS, value: current.status },
      { key: OVERDUE, value: current.overdue },
    ]);
  }
}
