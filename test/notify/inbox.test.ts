import { describe, expect, it } from 'vitest';
import type { Actor } from '../../src/domain/model.js';
import { expectProblem } from '../helpers/api.js';
import { ARRIVAL, openOne } from '../helpers/pathways.js';
import { person, personalValues } from '../helpers/people.js';
import { AKNIET, accepted, eventually, MLSP, PRAVO, useAgencies } from '../agencies/orgs.js';

const api = useAgencies({ notifier: true, env: { NOTIFY_INTERVAL_MS: '300', NOTIFY_REVIEW_DUE_SECONDS: '10' } });
const OMBUDSMAN: Actor = { id: 'ombudsman', role: 'supervisor', org: 'oversight' };

interface Told {
  id: string;
  kind: string;
  pathwayId: string | null;
  data: Record<string, unknown>;
  read: boolean;
}
type Inbox = { unread: number; notifications: Told[]; nextCursor: string | null };

const inbox = async (actor: Actor, query = '?state=all&limit=100'): Promise<Inbox> => accepted(await api.get(actor, `/v1/notifications${query}`));
const about = async (actor: Actor, pathwayId: string) => (await inbox(actor)).notifications.filter((n) => n.pathwayId === pathwayId);
/** Waits until `actor` is told `kind` of the pathway, and answers what they were told of it. */
const toldOf = async (actor: Actor, pathwayId: string, kind: string) =>
  (await eventually<Inbox>(() => api.get(actor, '/v1/notifications?limit=100'), (i) => i.notifications.some((n) => n.pathwayId === pathwayId && n.kind === kind))).notifications.filter(
    (n) => n.pathwayId === pathwayId,
  );
const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
const openAdult = (age: number, arrival = ARRIVAL) => openOne(api.stack, 'KZ', person(age, arrival, { sex: 'female' }), { arrivalDate: arrival });

describe('the inbox', () => {
  it('tells the other supervisors that an early close waits for them, once, and not the one who asked nor anyone else', async () => {
    const id = await openAdult(40);
    await accepted(await api.act(MLSP.supervisor, id, 'pathway.close', { reason: 'withdrawn' }));
    const told = await toldOf(MLSP.otherSupervisor, id, 'decision-waiting');
    expect(told).toEqual([
      expect.objectContaining({ kind: 'decision-waiting', read: false, data: { stage: 'closure', decision: 'early-closure', reason: 'withdrawn', programme: 'KZ' } }),
    ]);
    for (const nobody of [MLSP.supervisor, MLSP.staff, MLSP.coordinator, PRAVO.supervisor, OMBUDSMAN]) expect(await about(nobody, id)).toEqual([]);

    const before = (await inbox(MLSP.otherSupervisor)).unread;
    const after = await accepted(await api.post(MLSP.otherSupervisor, '/v1/notifications/read', { ids: [told[0]!.id] }));
    expect(after.unread).toBe(before - 1);
    expect((await about(MLSP.otherSupervisor, id))[0]!.read).toBe(true);
    // Someone else's read mark is theirs alone, and an id one is not told of is ignored.
    await accepted(await api.post(MLSP.supervisor, '/v1/notifications/read', { ids: [told[0]!.id] }));
    expect((await inbox(MLSP.otherSupervisor, '?state=unread')).notifications.map((n) => n.id)).not.toContain(told[0]!.id);
  });

  it('tells the receiving organisation of a referral, and the referring one of the answer', async () => {
    const id = await openAdult(41);
    const referred = await accepted(
      await api.act(MLSP.staff, id, 'referral.create', { stage: 'psychosocial', to: 'pravo', reason: 'psychosocial-support', consent: { by: 'person' }, respondWithin: 'P5D' }),
    );
    expect(await toldOf(PRAVO.staff, id, 'referral-received')).toEqual([
      expect.objectContaining({ data: { stage: 'psychosocial', from: 'mlsp', to: 'pravo', programme: 'KZ' } }),
    ]);
    expect(await about(AKNIET.staff, id)).toEqual([]);
    await accepted(await api.act(PRAVO.coordinator, id, 'referral.accept', { referral: referred.state.referrals[0].id }));
    const answered = await toldOf(MLSP.staff, id, 'referral-answered');
    expect(answered.find((n) => n.kind === 'referral-answered')?.data).toMatchObject({ reason: 'accepted', stage: 'psychosocial', from: 'mlsp', to: 'pravo' });
  });

  it('folds what a pathway opened a month after the arrival finds overdue into one summary per person told', async () => {
    const id = await openAdult(42, daysAgo(40));
    const overdue = await eventually<{ entries: { type: string; stage: string }[] }>(() => api.history(MLSP.supervisor, id), (h) => h.entries.some((e) => e.type === 'stage.overdue'));
    expect(overdue.entries.filter((e) => e.type === 'stage.overdue').map((e) => e.stage).sort()).toEqual(['medical', 'quarantine', 'security']);
    const told = await toldOf(MLSP.staff, id, 'steps-summary');
    expect(told).toHaveLength(1);
    expect(told[0]!.data.count).toBeGreaterThan(1);
    expect(told[0]!.data.stages).toEqual(expect.arrayContaining(['quarantine']));
    // The supervisors hear nothing yet: escalation waits its own days.
    expect(await about(MLSP.supervisor, id)).toEqual([]);
  });

  it('tells the owning supervisors of emergency access at once, and oversight of a grant left unreviewed', async () => {
    const id = await openAdult(43);
    expect((await api.post(PRAVO.staff, `/v1/pathways/${id}/emergency-access`, { reason: 'medical-emergency', note: 'Brought in at night; we need the medical stage.' })).statusCode).toBe(201);
    expect(await toldOf(MLSP.supervisor, id, 'emergency-access')).toEqual([expect.objectContaining({ data: { reason: 'medical-emergency', programme: 'KZ' } })]);
    expect(await about(PRAVO.supervisor, id)).toEqual([]);
    expect(await toldOf(OMBUDSMAN, id, 'emergency-unreviewed')).toHaveLength(1);
  });

  it('keeps personal values out of every notification, and refuses bad requests with a problem', async () => {
    const everything = [MLSP.staff, MLSP.supervisor, MLSP.otherSupervisor, PRAVO.staff, OMBUDSMAN];
    const text = JSON.stringify(await Promise.all(everything.map((actor) => inbox(actor))));
    for (const value of personalValues()) expect(text).not.toContain(value);
    expectProblem(await api.post(MLSP.staff, '/v1/notifications/read', { ids: [] }), 400, 'validation-failed');
    expectProblem(await api.post(MLSP.staff, '/v1/notifications/read', { all: false }), 400, 'validation-failed');
    expectProblem(await api.get(MLSP.staff, '/v1/notifications?limit=500'), 400, 'validation-failed');
    expectProblem(await api.get(MLSP.staff, '/v1/notifications?cursor=bogus'), 400, 'validation-failed');
    const all = await accepted(await api.post(MLSP.otherSupervisor, '/v1/notifications/read', { all: true }));
    expect(all.unread).toBe(0);
    expect(await accepted(await api.get(MLSP.otherSupervisor, '/v1/notifications/unread'))).toEqual({ unread: 0 });
  });
});
