import { beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../helpers/api.js';
import { ARRIVAL, openOne } from '../helpers/pathways.js';
import { person } from '../helpers/people.js';
import { accepted, CLINIC, eventually, MLSP, PRAVO, useAgencies } from './orgs.js';

const api = useAgencies();

const REFERRAL = { stage: 'psychosocial', to: 'pravo', reason: 'psychosocial-support', consent: { by: 'person' }, respondWithin: 'P5D' };

async function openAdult(options: { clockScale?: number } = {}) {
  return openOne(api.stack, 'KZ', person(30, ARRIVAL, { sex: 'female' }), {}, options);
}

async function refer(id: string, referral: object = REFERRAL) {
  const body = await accepted(await api.act(MLSP.staff, id, 'referral.create', referral));
  return body.state.referrals.at(-1).id as string;
}

describe('referrals', () => {
  let id: string;
  beforeAll(async () => {
    id = await openAdult();
  });

  it('shows the receiving organisation only the referred stage until it answers, then lets it record the stage', async () => {
    expect((await api.read(PRAVO.staff, id)).statusCode).toBe(404);
    const referral = await refer(id);

    const seen = await accepted(await api.read(PRAVO.coordinator, id));
    expect(seen.stages.map((s: { stage: string }) => s.stage)).toEqual(['psychosocial']);
    expect(seen.familyGroup).toBeUndefined();
    expect(seen.referrals).toMatchObject([{ id: referral, stage: 'psychosocial', from: 'mlsp', to: 'pravo', status: 'pending', consent: { by: 'person' } }]);
    expect(seen.availableActions.map((a: { type: string }) => a.type).sort()).toEqual(['referral.accept', 'referral.decline']);
    // Not yet accepted: the stage is still the ministry's.
    expectProblem(await api.act(PRAVO.staff, id, 'psychosocial.record-assessment', { psychological: 'low', social: 'low' }), 403, 'forbidden');
    // Neither its trail nor who read it.
    expect((await api.history(PRAVO.supervisor, id)).statusCode).toBe(404);
    // Another organisation the stage was not referred to sees nothing.
    expect((await api.read(CLINIC.staff, id)).statusCode).toBe(404);

    const listed = await eventually<{ items: { id: string; via: string; currentStage: string; actions: { type: string }[] }[] }>(
      () => api.worklist(PRAVO.coordinator),
      (page) => page.items.some((i) => i.id === id),
    );
    expect(listed.items.find((i) => i.id === id)).toMatchObject({ via: 'referral', currentStage: 'psychosocial', actions: [{ type: 'referral.accept', stage: 'psychosocial' }] });

    const answered = await accepted(await api.act(PRAVO.coordinator, id, 'referral.accept', { referral }));
    // Its coordinator may now name who of them does the work.
    expect(answered.state.availableActions.map((a: { type: string }) => a.type)).toContain('pathway.assign');
    const done = await accepted(await api.act(PRAVO.staff, id, 'psychosocial.record-assessment', { psychological: 'low', social: 'low' }));
    expect(done.state.stages[0].details.needs).toEqual({ psychological: 'low', social: 'low' });
    // The referred stage only: another stage's action is the ministry's, and its refusal says nothing of that stage.
    expectProblem(await api.act(PRAVO.staff, id, 'documentation.record-identity-document', { kind: 'passport' }), 403, 'forbidden');
    const other = expectProblem(await api.act(PRAVO.staff, id, 'medical.record-discharge', {}), 403, 'forbidden');
    expect(other.detail).not.toMatch(/hospital/);

    const trail = (await accepted(await api.history(MLSP.supervisor, id))).entries;
    expect(trail.map((e: { type: string }) => e.type)).toEqual(expect.arrayContaining(['referral.create', 'referral.accept', 'psychosocial.record-assessment']));
    expect(trail.find((e: { type: string }) => e.type === 'referral.accept')).toMatchObject({ stage: 'psychosocial', actor: { id: PRAVO.coordinator.id, org: 'pravo' } });
    const log = (await accepted(await api.accessLog(MLSP.supervisor, id))).entries;
    expect(log.filter((e: { actorOrg: string }) => e.actorOrg === 'pravo').every((e: { via: string }) => e.via === 'referral')).toBe(true);

    await accepted(await api.act(PRAVO.staff, id, 'referral.complete', { referral }));
    expect((await api.read(PRAVO.staff, id)).statusCode).toBe(404);
  });

  it('ends access when the receiving organisation declines, with its reason in the trail', async () => {
    const referral = await refer(id, { ...REFERRAL, stage: 'medical', to: 'clinic', reason: 'continuing-care' });
    const second = await refer(id, { ...REFERRAL, stage: 'documentation', reason: 'legal-aid' });
    // Two referrals wait at once: each receiver is offered the answer to its own.
    const offered = async (actor: typeof CLINIC.coordinator) =>
      (await accepted(await api.read(actor, id))).availableActions.filter((a: { type: string }) => a.type === 'referral.accept').map((a: { example: object }) => a.example);
    expect(await offered(CLINIC.coordinator)).toEqual([{ referral }]);
    expect(await offered(PRAVO.coordinator)).toEqual([{ referral: second }]);
    await accepted(await api.act(MLSP.staff, id, 'referral.withdraw', { referral: second }));
    expect((await api.read(CLINIC.coordinator, id)).statusCode).toBe(200);
    const declined = await accepted(await api.act(CLINIC.coordinator, id, 'referral.decline', { referral, reason: 'no-capacity' }));
    expect(declined.state.referrals.at(-1)).toMatchObject({ status: 'declined', declineReason: 'no-capacity' });
    expect((await api.read(CLINIC.coordinator, id)).statusCode).toBe(404);
    expect((await api.act(CLINIC.coordinator, id, 'referral.accept', { referral })).statusCode).toBe(404);
  });

  it('escalates an unanswered referral to the referring supervisors when its deadline passes', async () => {
    // An hour of template time in 0.1 s.
    const fast = await openAdult({ clockScale: 36_000 });
    const referral = await refer(fast, { ...REFERRAL, respondWithin: 'PT1H' });
    const escalated = await eventually<{ referrals: { escalatedAt?: string }[] }>(
      () => api.read(MLSP.supervisor, fast),
      (state) => state.referrals[0]?.escalatedAt !== undefined,
    );
    expect(escalated.referrals[0]).toMatchObject({ status: 'pending' });
    // The state shows it first; the trail once the entry is written.
    const { entries } = await eventually<{ entries: { type: string }[] }>(
      () => api.history(MLSP.supervisor, fast),
      (h) => h.entries.some((e) => e.type === 'referral.unanswered'),
    );
    expect(entries.find((e) => e.type === 'referral.unanswered')).toMatchObject({ stage: 'psychosocial', outcome: { referral, to: 'pravo' } });
    const rows = await api.stack.db.pool.query('select kind, stage from escalations where pathway_id = $1', [fast]);
    expect(rows.rows).toContainEqual({ kind: 'referral-unanswered', stage: 'psychosocial' });
    // The decision is now the referring supervisors' work.
    const page = await eventually<{ items: { id: string; actions: { type: string }[] | null }[] }>(
      () => api.worklist(MLSP.supervisor),
      (p) => p.items.some((i) => i.id === fast && (i.actions ?? []).some((a) => a.type === 'referral.extend')),
    );
    expect(page.items.find((i) => i.id === fast)!.actions!.map((a) => a.type)).toEqual(expect.arrayContaining(['referral.extend', 'referral.withdraw']));
    await accepted(await api.act(MLSP.supervisor, fast, 'referral.withdraw', { referral }));
    expect((await api.read(PRAVO.staff, fast)).statusCode).toBe(404);
  });

  it('lists each stage referred to one organisation as a row of its own in its worklists, with its own work (issue 21, finding 11)', async () => {
    const both = await openAdult();
    for (const stage of ['psychosocial', 'documentation']) {
      await accepted(await api.act(PRAVO.coordinator, both, 'referral.accept', { referral: await refer(both, { ...REFERRAL, stage, reason: 'legal-aid' }) }));
    }
    type Row = { id: string; via: string; currentStage: string; referredStage: string | null; actions: { type: string; stage: string }[] | null };
    const page = await eventually<{ items: Row[] }>(() => api.worklist(PRAVO.staff), (p) => p.items.filter((i) => i.id === both).length === 2);
    const rows = page.items.filter((i) => i.id === both);
    expect(rows.map((r) => [r.via, r.currentStage, r.referredStage]).sort()).toEqual([['referral', 'documentation', 'documentation'], ['referral', 'psychosocial', 'psychosocial']]);
    for (const row of rows) expect(row.actions!.every((a) => a.stage === row.referredStage)).toBe(true);
    // One page boundary between the two rows loses neither.
    const first = await accepted(await api.worklist(PRAVO.staff, '?limit=1'));
    const rest: Row[] = [];
    for (let cursor = first.nextCursor; cursor; ) {
      const next = await accepted(await api.worklist(PRAVO.staff, `?limit=1&cursor=${cursor}`));
      rest.push(...next.items);
      cursor = next.nextCursor;
    }
    expect([...first.items, ...rest].filter((i: Row) => i.id === both).map((i: Row) => i.referredStage).sort()).toEqual(['documentation', 'psychosocial']);
    // Each read of the list is one access-log row per pathway, however many rows it had.
    const log = (await accepted(await api.accessLog(MLSP.supervisor, both))).entries.filter((e: { actorId: string; what: string }) => e.actorId === PRAVO.staff.id && e.what === 'worklist');
    expect(new Set(log.map((e: { requestId: string }) => e.requestId)).size).toBe(log.length);
  });

  it('ends access when the pathway closes: the receiving organisation then gets 404', async () => {
    const closing = await openAdult();
    const referral = await refer(closing);
    await accepted(await api.act(PRAVO.coordinator, closing, 'referral.accept', { referral }));
    expect((await api.read(PRAVO.staff, closing)).statusCode).toBe(200);
    // Closing early: asked by one supervisor, it stays open (and shared) until a second approves.
    const asked = await accepted(await api.act(MLSP.supervisor, closing, 'pathway.close', { reason: 'withdrawn' }));
    expect(asked.state.referrals[0]).toMatchObject({ status: 'accepted' });
    const closed = await accepted(await api.act(MLSP.otherSupervisor, closing, 'pathway.close-approve'));
    expect(closed.state.referrals[0]).toMatchObject({ status: 'closed' });
    await eventually(() => api.get(MLSP.supervisor, `/v1/pathways/${closing}`), (s: { status: string }) => s.status === 'closed');
    expectProblem(await api.read(PRAVO.staff, closing), 404, 'not-found');
    expect((await api.act(PRAVO.staff, closing, 'psychosocial.record-assessment', { psychological: 'low', social: 'low' })).statusCode).toBe(404);
  });

  it('refuses a referral without consent, to its own organisation, or a legal basis for an adult', async () => {
    const bad = await api.act(MLSP.staff, id, 'referral.create', { ...REFERRAL, stage: 'documentation', consent: undefined });
    expectProblem(bad, 400, 'validation-failed');
    expectProblem(await api.act(MLSP.staff, id, 'referral.create', { ...REFERRAL, stage: 'documentation', to: 'mlsp' }), 400, 'validation-failed');
    const legal = await api.act(MLSP.staff, id, 'referral.create', { ...REFERRAL, stage: 'documentation', consent: { legalBasis: 'no-guardian-yet' } });
    expectProblem(legal, 400, 'validation-failed');
  });
});
