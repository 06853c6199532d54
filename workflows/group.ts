import type { GroupEvent, PathwayInput } from '../src/domain/pathway.js';
import { createCtx } from './rules.js';
import { inLegalProceedings } from './stages/closure.js';
import type { GroupNotice } from './stages/types.js';
import type { PathwayState } from './state.js';
import type { AutomaticEvent } from './timeline.js';

/** What this pathway must tell a member who just joined the group, so late joiners know too. */
function statusFor(input: PathwayInput, state: PathwayState, now: number): GroupNotice[] {
  const notices: GroupNotice[] = [];
  if (!input.person.isChild && inLegalProceedings(createCtx(input, state, now))) notices.push({ kind: 'caregiver', available: false });
  const { approvedBy, householdId, separationException } = state.placement;
  if (approvedBy && householdId) notices.push({ kind: 'placed', householdId, separated: separationException !== undefined });
  return notices;
}

/**
 * Applies news from another pathway of the family group. Returns the events to record and what
 * to tell the sender in return.
 */
export function receiveGroupEvent(
  input: PathwayInput,
  state: PathwayState,
  event: GroupEvent,
  now: number,
): { events: AutomaticEvent[]; replies: GroupNotice[] } {
  const members = state.group.members;
  const known = event.from in members;
  const member = (members[event.from] ??= { isChild: event.kind !== 'caregiver' });
  const about = { member: event.from };
  switch (event.kind) {
    case 'joined': {
      member.isChild = event.isChild;
      // Members opened together already found each other in PostgreSQL: only a newcomer is news.
      const events: AutomaticEvent[] = known ? [] : [{ type: 'group.member-joined', stage: 'intake', data: about }];
      return { events, replies: statusFor(input, state, now) };
    }
    case 'caregiver':
      member.isChild = false;
      member.caregiverUnavailable = !event.available;
      return {
        events: [{ type: event.available ? 'group.caregiver-available' : 'group.caregiver-unavailable', stage: 'placement', data: about }],
        replies: [],
      };
    case 'placed': {
      member.householdId = event.householdId;
      member.separated = event.separated;
      const events: AutomaticEvent[] = [{ type: 'group.sibling-placed', stage: 'placement', data: { ...about, householdId: event.householdId } }];
      const mine = state.placement;
      // Two approvals at the same moment can both pass their checks; a supervisor must then look.
      if (mine.approvedBy && !mine.separationException && !event.separated && mine.householdId !== event.householdId) {
        events.push({ type: 'group.siblings-apart', stage: 'placement', data: about, escalation: 'siblings-apart' });
      }
      return { events, replies: [] };
    }
  }
}
