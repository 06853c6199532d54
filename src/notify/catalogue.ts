// Every event worth telling, what raises it and who is told: the one place that says so.
// Pathway events come from the entries a pathway persists (its own timers and steps); the others
// from the database (emergency grants, incidents) or a channel (a webhook paused).
import type { Role, StageName } from '../domain/model.js';
import type { AuditEntry } from '../domain/pathway.js';
import type { Projection } from '../domain/projection.js';
import type { Audience, NotificationData, NotificationKind } from './types.js';

export interface EntryContext {
  entry: AuditEntry;
  projection: Projection;
}

interface EntryRule {
  kind: NotificationKind;
  /** Whether several of a pathway at once fold into one `steps-summary`. */
  reminder?: boolean;
  /** Absent: every entry of the type is told. */
  when?: (c: EntryContext) => boolean;
  data: (c: EntryContext) => NotificationData;
  audience: (c: EntryContext) => Audience[];
}

const str = (value: unknown) => (typeof value === 'string' ? value : undefined);
const roles = (organisation: string, ...r: Role[]): Audience => ({ organisation, roles: r });

/** Organisations that work on a stage: the pathway's own, and each that accepted a referral of it. */
function stageOrganisations(p: Projection, stage: StageName): string[] {
  const referred = (p.shares ?? []).filter((s) => s.kind === 'referral' && s.stage === stage && s.status === 'accepted').map((s) => s.to);
  return [...new Set([...p.organisations, ...referred])];
}

/** A stage's reminder goes to who holds it in each organisation (the stage's, else the pathway's assignee), else that organisation's staff. */
export function stageHolders(p: Projection, stage: StageName): Audience[] {
  const held = p.assignments ?? [];
  return stageOrganisations(p, stage).map((organisation) => {
    const holder = held.find((a) => a.org === organisation && a.scope === stage) ?? held.find((a) => a.org === organisation && a.scope === 'pathway');
    return holder ? { organisation, subject: holder.assignee } : roles(organisation, 'staff');
  });
}

const stageSupervisors = (p: Projection, stage: StageName) => stageOrganisations(p, stage).map((o) => roles(o, 'supervisor'));
const referralOf = (c: EntryContext) => (c.projection.shares ?? []).find((s) => s.kind === 'referral' && s.id === str(c.entry.data.referral));
const transferOf = (c: EntryContext) => (c.projection.shares ?? []).find((s) => s.kind === 'transfer');
/** The supervisors of the pathway's own organisations, but not the one who prepared the decision. */
const otherSupervisors = (c: EntryContext): Audience[] =>
  c.projection.organisations.map((organisation) => ({ organisation, roles: ['supervisor'], ...(c.entry.actor ? { except: c.entry.actor.id } : {}) }));
const due = (c: EntryContext): NotificationData => ({ stage: c.entry.stage, ...(str(c.entry.data.dueAt) ? { dueAt: str(c.entry.data.dueAt) } : {}) });

/** By audit entry type: what each pathway entry worth telling becomes. */
export const ENTRY_RULES: Readonly<Record<string, EntryRule>> = {
  'stage.due-soon': { kind: 'step-due-soon', reminder: true, data: due, audience: (c) => stageHolders(c.projection, c.entry.stage) },
  'stage.overdue': { kind: 'step-overdue', reminder: true, data: due, audience: (c) => stageHolders(c.projection, c.entry.stage) },
  'follow-up.check-in-missed': { kind: 'step-overdue', reminder: true, data: due, audience: (c) => stageHolders(c.projection, 'followUp') },
  'stage.overdue-escalated': { kind: 'step-overdue-escalated', reminder: true, data: due, audience: (c) => stageSupervisors(c.projection, c.entry.stage) },
  'referral.create': {
    kind: 'referral-received',
    data: (c) => ({ stage: c.entry.stage, from: c.entry.actor?.org, to: str(c.entry.data.to) }),
    audience: (c) => [roles(str(c.entry.data.to)!, 'staff', 'supervisor')],
  },
  'referral.accept': {
    kind: 'referral-answered',
    data: (c) => ({ stage: c.entry.stage, from: referralOf(c)?.from, to: referralOf(c)?.to, reason: 'accepted' }),
    audience: (c) => (referralOf(c) ? [roles(referralOf(c)!.from, 'staff', 'supervisor')] : []),
  },
  'referral.decline': {
    kind: 'referral-answered',
    data: (c) => ({ stage: c.entry.stage, from: referralOf(c)?.from, to: referralOf(c)?.to, reason: 'declined' }),
    audience: (c) => (referralOf(c) ? [roles(referralOf(c)!.from, 'staff', 'supervisor')] : []),
  },
  'referral.unanswered': {
    kind: 'referral-unanswered',
    data: (c) => ({ stage: c.entry.stage, from: str(c.entry.data.from), to: str(c.entry.data.to), dueAt: str(c.entry.data.dueAt) }),
    audience: (c) => [roles(str(c.entry.data.from)!, 'supervisor')],
  },
  'transfer.request': {
    kind: 'transfer-offered',
    data: (c) => ({ from: c.entry.actor?.org, to: str(c.entry.data.to) }),
    audience: (c) => [roles(str(c.entry.data.to)!, 'supervisor', 'coordinator')],
  },
  'transfer.accept': {
    kind: 'transfer-accepted',
    data: (c) => ({ from: transferOf(c)?.from, to: transferOf(c)?.to }),
    audience: (c) => (transferOf(c) ? [roles(transferOf(c)!.from, 'supervisor')] : []),
  },
  'transfer.decline': {
    kind: 'transfer-declined',
    data: (c) => ({ from: transferOf(c)?.from, to: transferOf(c)?.to, reason: str(c.entry.data.reason) }),
    audience: (c) => (transferOf(c) ? [roles(transferOf(c)!.from, 'supervisor')] : []),
  },
  'transfer.failed': {
    kind: 'transfer-failed',
    data: (c) => ({ to: str(c.entry.data.to) }),
    audience: (c) => c.projection.organisations.map((o) => roles(o, 'supervisor')),
  },
  'placement.request-approval': { kind: 'decision-waiting', data: () => ({ stage: 'placement', decision: 'placement' }), audience: otherSupervisors },
  // Closing early records a request (the pathway stays open); closing as completed tells nobody.
  'pathway.close': {
    kind: 'decision-waiting',
    when: (c) => c.projection.status !== 'closed' && c.entry.data.reason !== 'completed',
    data: (c) => ({ stage: 'closure', decision: 'early-closure', reason: str(c.entry.data.reason) }),
    audience: otherSupervisors,
  },
  // The family group's news reaches whoever holds each member's pathway: every member's pathway records it.
  'group.member-joined': { kind: 'family-news', data: () => ({ reason: 'joined' }), audience: (c) => stageHolders(c.projection, 'intake') },
  'group.sibling-placed': { kind: 'family-news', data: () => ({ stage: 'placement', reason: 'placed' }), audience: (c) => stageHolders(c.projection, 'placement') },
  'group.siblings-apart': {
    kind: 'family-news',
    data: () => ({ stage: 'placement', reason: 'apart' }),
    audience: (c) => [...stageHolders(c.projection, 'placement'), ...c.projection.organisations.map((o) => roles(o, 'supervisor'))],
  },
};

/** Who is told of what the database raises. */
export const databaseAudience = {
  /** Someone broke the glass on a pathway: the owning organisations' supervisors. */
  'emergency-access': (organisations: string[]) => organisations.map((o) => roles(o, 'supervisor')),
  /** A grant nobody reviewed within a day: the oversight organisation's supervisors. */
  'emergency-unreviewed': (oversight: string) => [roles(oversight, 'supervisor')],
  /** An incident: the oversight organisation's supervisors in the inbox, and the operators' addresses by e-mail. */
  incident: (oversight: string) => [roles(oversight, 'supervisor')],
  /** A webhook that failed for a day is paused: its organisation's supervisors. */
  'webhook-paused': (organisation: string) => [roles(organisation, 'supervisor')],
} as const;
