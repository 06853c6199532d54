import type { AuditEntry, FamilyMember, PathwayInput, PathwayView } from '../src/domain/pathway.js';
import { iso } from './stages/common.js';
import type { GroupNotice } from './stages/types.js';
import { initialState, type PathwayState } from './state.js';
import { fireDue, settle, type AutomaticEvent } from './timeline.js';
import { buildView } from './view.js';

/** Records an entry at a time: the workflow's clock, or the opening's. */
export type RecordEntry = (entry: Omit<AuditEntry, 'seq' | 'occurredAt'>, at: number) => void;

/**
 * Clocks run from the arrival date (its start, UTC) when the pathway is typed in later. A
 * compressed clock (demonstrations, tests) runs from the opening: the real time since a past
 * arrival would otherwise pass in an instant.
 */
function clockAnchor(input: PathwayInput, openedAt: number): number {
  if (input.clockScale !== 1) return openedAt;
  return Math.min(openedAt, Date.parse(`${input.arrivalDate}T00:00:00Z`));
}

/** The opening itself: its entry, and the stages ready on arrival, whose clocks start then however late the pathway was typed in. */
export function open(input: PathwayInput, state: PathwayState, at: number, record: RecordEntry): void {
  const { programme, operation, template, openedBy, requestId } = input;
  record({ kind: 'event', type: 'pathway.opened', stage: 'intake', actor: openedBy, requestId, data: { programme, operation, templateVersion: template.version } }, at);
  if ((input.rulesVersion ?? 1) >= 2) state.anchorAt = clockAnchor(input, at);
  settle(input, state, state.anchorAt ?? at);
}

/** The family group as the pathway opens into it: those of an earlier request (or all, when they were looked up) are told it joined. */
export function joinGroup(input: PathwayInput, state: PathwayState, members: FamilyMember[], known: boolean, at: number, tell: (to: string, notice: GroupNotice) => void): void {
  for (const member of members) {
    state.group.members[member.pathwayId] ??= { isChild: member.isChild };
    // Members opened together know each other from their inputs: only earlier ones hear of it.
    if (!known || member.openedEarlier) tell(member.pathwayId, { kind: 'joined', isChild: input.person.isChild });
  }
  settle(input, state, at);
}

/** A pathway typed in late records what is already overdue with its opening: one batch. */
export function overdueAtOpening(input: PathwayInput, state: PathwayState, at: number, record: RecordEntry): void {
  fireDue(input, state, at, true).forEach((event: AutomaticEvent) => record({ kind: 'event', ...event }, at));
  settle(input, state, at);
}

/**
 * A pathway the API opens, worked out from its input alone: the opening's entries and the state
 * after them, as its workflow takes the same steps at the same time (`input.openedAt`, the family
 * group from `input.familyMembers`). The API answers with this state, and writes these entries with
 * their projection in the opening's own transaction (`openingWritten`), so the workflow's first
 * task writes nothing.
 */
export function openingBatch(input: PathwayInput & { openedAt: number }): { state: PathwayState; entries: AuditEntry[] } {
  const state = initialState(input.openedAt, input.organisations);
  const entries: AuditEntry[] = [];
  // As the workflow records: the same sequence numbers and times.
  const record: RecordEntry = (entry, at) => {
    state.seq += 1;
    entries.push({ ...entry, seq: state.seq, occurredAt: iso(at) });
  };
  open(input, state, input.openedAt, record);
  if (input.familyGroupId) joinGroup(input, state, input.familyMembers ?? [], true, input.openedAt, () => undefined);
  overdueAtOpening(input, state, input.openedAt, record);
  return { state, entries };
}

/** What a pathway the API opens shows once its workflow's first task has run (see `openingBatch`). */
export function openingView(input: PathwayInput & { openedAt: number }): PathwayView {
  return buildView(input, openingBatch(input).state, input.openedAt);
}
