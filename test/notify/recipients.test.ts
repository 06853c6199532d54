import { describe, expect, it } from 'vitest';
import { raiseIncident } from '../../src/db/incidents.js';
import type { Actor } from '../../src/domain/model.js';
import { ARRIVAL, completeStages, openOne } from '../helpers/pathways.js';
import { person, personalValues } from '../helpers/people.js';
import { AKNIET, accepted, eventually, MLSP, PRAVO, useAgencies } from '../agencies/orgs.js';

// Who hears of each event, and who does not. Pathways here run on a compressed clock where a
// test needs days to pass.
const api = useAgencies({ notifier: true, env: { NOTIFY_INTERVAL_MS: '300' } });
const OMBUDSMAN: Actor = { id: 'ombudsman', role: 'supervisor', org: 'oversight' };
const EVERYONE: Actor[] = [...Object.values(MLSP), ...Object.values(PRAVO), ...Object.values(AKNIET), OMBUDSMAN];

type Told = { id: string; kind: string; pathwayId: string | null; data: Record<string, unknown> };
const told = async (actor: Actor, pathwayId: string): Promise<Told[]> =>
  (await accepted(await api.get(actor, '/v1/notifications?limit=100'))).notifications.filter((n: Told) => n.pathwayId === pathwayId);
/** Waits until `actor` hears `kind` of the pathway. */
const hears = (actor: Actor, pathwayId: string, kind: string) =>
  eventually<{ notifications: Told[] }>(() => api.get(actor, '/v1/notifications?limit=100'), (i) => i.notifications.some((n) => n.pathwayId === pathwayId && n.kind === kind));
/** Each person's kinds of notification about the pathway, for those who heard anything. */
async function whoHeard(pathwayId: string): Promise<Record<string, string[]>> {
  const heard: Record<string, string[]> = {};
  for (const actor of EVERYONE) {
    const kinds = (await told(actor, pathwayId)).map((n) => n.kind).sort();
    if (kinds.length) heard[`${actor.org}/${actor.id}`] = kinds;
  }
  return heard;
}
const fast = (age: number, clockScale: number) => openOne(api.stack, 'KZ', person(age, ARRIVAL, { sex: 'female' }), {}, { clockScale });

describe('who is told', () => {
  it('a transfer: the receiving supervisors and coordinators of the offer, the sending supervisors of each answer', async () => {
    const id = await fast(44, 1);
    await accepted(await api.act(MLSP.supervisor, id, 'transfer.request', { to: 'pravo' }));
    await hears(PRAVO.coordinator, id, 'transfer-offered');
    await accepted(await api.act(PRAVO.supervisor, id, 'transfer.decline', { reason: 'no-capacity' }));
    await hears(MLSP.otherSupervisor, id, 'transfer-declined');
    await accepted(await api.act(MLSP.supervisor, id, 'transfer.request', { to: 'akniet' }));
    await accepted(await api.act(AKNIET.coordinator, id, 'transfer.accept'));
    await hears(MLSP.supervisor, id, 'transfer-accepted');
    expect(await whoHeard(id)).toEqual({
      'mlsp/supervisor-sue': ['transfer-accepted', 'transfer-declined'],
      'mlsp/supervisor-sid': ['transfer-accepted', 'transfer-declined'],
      'pravo/coordinator-pia': ['transfer-offered'],
      'pravo/supervisor-polina': ['transfer-offered'],
      'akniet/coordinator-aida': ['transfer-offered'],
      'akniet/supervisor-asel': ['transfer-offered'],
    });
  });

  it('an overdue step: whoever claimed the pathway, not the rest of the staff; an unanswered referral: the referring supervisors', async () => {
    // A template day in 0.4 s: medical and security (30 days) are overdue after 13 s.
    const id = await fast(45, 200_000);
    await accepted(await api.act(MLSP.staff, id, 'pathway.claim', {}));
    await accepted(
      await api.act(MLSP.staff, id, 'referral.create', { stage: 'psychosocial', to: 'pravo', reason: 'psychosocial-support', consent: { by: 'person' }, respondWithin: 'P1D' }),
    );
    await hears(MLSP.supervisor, id, 'referral-unanswered');
    const overdue = (await hears(MLSP.staff, id, 'steps-summary')).notifications.filter((n) => n.pathwayId === id && n.kind === 'steps-summary');
    expect(overdue[0]!.data.stages).toEqual(expect.arrayContaining(['medical', 'security']));
    const heard = await whoHeard(id);
    expect(heard['mlsp/staff-sam']).toContain('steps-summary');
    expect(heard['mlsp/staff-dana']).toBeUndefined();
    expect(heard['mlsp/supervisor-sue']).toContain('referral-unanswered');
    expect(heard['pravo/staff-pavel']).toEqual(['referral-received']);
    expect(Object.keys(heard).filter((who) => who.startsWith('akniet') || who.startsWith('oversight'))).toEqual([]);
  });

  it('a placement waiting for approval: the other supervisors, never the one who prepared it', async () => {
    const id = await openOne(api.stack, 'KZ', person(8, ARRIVAL, { arrivedWith: 'mother' }), {}, { clockScale: 10_000_000 });
    await completeStages(api.stack.client, id, ['medical', 'security', 'quarantine']);
    const choose = (await accepted(await api.read(MLSP.supervisor, id))).availableActions.find((a: { type: string }) => a.type === 'placement.choose-option');
    await accepted(await api.act(MLSP.supervisor, id, 'placement.choose-option', { ...choose.example, option: 'mother' }));
    await accepted(await api.act(MLSP.supervisor, id, 'placement.request-approval', {}));
    const waiting = (await hears(MLSP.otherSupervisor, id, 'decision-waiting')).notifications.filter((n) => n.kind === 'decision-waiting' && n.pathwayId === id);
    expect(waiting.map((n) => n.data)).toEqual([{ stage: 'placement', decision: 'placement', programme: 'KZ' }]);
    expect((await told(MLSP.supervisor, id)).filter((n) => n.kind === 'decision-waiting')).toEqual([]);
  });

  it("a family's news: whoever holds each earlier member's pathway hears that another member's pathway opened", async () => {
    const arrival = { programme: 'KZ', operation: 'Zhusan', phase: '3', arrivalDate: ARRIVAL };
    const family = (p: object) => ({ familyGroupId: 'family-told', person: p });
    const cohort = await api.post(MLSP.coordinator, '/v1/cohorts', { ...arrival, people: [family(person(31, ARRIVAL, { sex: 'female' })), family(person(9, ARRIVAL, { arrivedWith: 'mother' }))] });
    expect(cohort.statusCode, cohort.body).toBe(201);
    const [motherId, childId] = cohort.json().pathways.map((p: { id: string }) => p.id);
    await accepted(await api.act(MLSP.otherStaff, childId, 'pathway.claim', {}));
    // Opened together, they knew each other from the start: no news yet.
    const baby = await api.post(MLSP.coordinator, '/v1/pathways', { ...arrival, ...family(person(1, ARRIVAL, { arrivedWith: 'mother' })) });
    expect(baby.statusCode, baby.body).toBe(201);
    await hears(MLSP.staff, motherId, 'family-news');
    await hears(MLSP.otherStaff, childId, 'family-news');
    expect((await told(MLSP.staff, childId)).filter((n) => n.kind === 'family-news')).toEqual([]);
    expect((await told(MLSP.otherStaff, childId)).map((n) => n.data)).toEqual([{ reason: 'joined', programme: 'KZ' }]);
  });

  it("an incident: the oversight organisation's supervisors, once", async () => {
    const id = await fast(46, 1);
    await raiseIncident(api.stack.db.pool, { pathwayId: id, kind: 'audit-write-late', firstSeq: 99, detail: 'entries late' });
    await hears(OMBUDSMAN, id, 'incident');
    expect(await whoHeard(id)).toEqual({ 'oversight/ombudsman': ['incident'] });
  });

  it('says nothing personal to anyone', async () => {
    const all = await Promise.all(EVERYONE.map(async (actor) => (await accepted(await api.get(actor, '/v1/notifications?limit=100'))).notifications));
    const text = JSON.stringify(all);
    expect(all.flat().length).toBeGreaterThan(10);
    for (const value of personalValues()) expect(text).not.toContain(value);
  });
});
