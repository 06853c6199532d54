import { describe, expect, it } from 'vitest';
import { expectProblem } from '../helpers/api.js';
import { ARRIVAL, openOne } from '../helpers/pathways.js';
import { person } from '../helpers/people.js';
import { accepted, eventually, MLSP, PRAVO, useAgencies } from './orgs.js';

const api = useAgencies();

const names = (state: { record: { givenName: string; familyName: string; birthDate: string } }) => state.record;

describe('transfers', () => {
  it('moves a whole pathway to another organisation once it accepts: the old closes as transferred, the new links back', async () => {
    const id = await openOne(api.stack, 'KZ', person(30, ARRIVAL, { sex: 'female' }));
    await accepted(await api.act(MLSP.staff, id, 'psychosocial.record-assessment', { psychological: 'low', social: 'low' }));
    expectProblem(await api.act(MLSP.staff, id, 'transfer.request', { to: 'pravo' }), 403, 'forbidden');
    const requested = await accepted(await api.act(MLSP.supervisor, id, 'transfer.request', { to: 'pravo' }));
    expect(requested.state.transfer).toMatchObject({ to: 'pravo', programme: 'KZ', status: 'pending' });

    // The receiving side sees the offer and the person, not the stages.
    const offered = await accepted(await api.read(PRAVO.coordinator, id));
    expect(offered.stages).toEqual([]);
    expect(offered.transfer).toMatchObject({ to: 'pravo', status: 'pending' });
    expect(offered.availableActions.map((a: { type: string }) => a.type).sort()).toEqual(['transfer.accept', 'transfer.decline']);
    // Its staff do not answer offers: they see nothing of the person until the pathway is theirs (issue 21, finding 8).
    expectProblem(await api.read(PRAVO.staff, id), 404, 'not-found');
    expect((await accepted(await api.worklist(PRAVO.staff))).items.map((i: { id: string }) => i.id)).not.toContain(id);
    const page = await eventually<{ items: { id: string; via: string }[] }>(() => api.worklist(PRAVO.supervisor), (p) => p.items.some((i) => i.id === id));
    expect(page.items.find((i) => i.id === id)!.via).toBe('transfer');
    expectProblem(await api.act(PRAVO.staff, id, 'transfer.accept'), 404, 'not-found');

    await accepted(await api.act(PRAVO.coordinator, id, 'transfer.accept'));
    const old = await eventually<{ status: string; closure: { reason: string }; transfer: { newPathwayId?: string } }>(
      () => api.read(MLSP.supervisor, id),
      (s) => s.status === 'closed',
    );
    expect(old.closure.reason).toBe('transferred');
    const newId = old.transfer.newPathwayId!;
    expect(newId).toMatch(/^[0-9a-f-]{36}$/);

    const moved = await eventually<{ transferredFrom: string; organisations: string[]; programme: string; record: never }>(
      () => api.read(PRAVO.staff, newId),
      () => true,
    );
    expect(moved).toMatchObject({ transferredFrom: id, organisations: ['pravo'], programme: 'KZ', status: 'active' });
    expect(names(moved)).toEqual(names(await accepted(await api.read(MLSP.supervisor, id))));
    // The receiver finds the person by name (their folded name came with them), the old pathway not.
    const found = await accepted(await api.get(PRAVO.staff, `/v1/people?q=${encodeURIComponent(names(moved).familyName)}&limit=50`));
    expect(found.items.map((item: { pathwayId: string }) => item.pathwayId)).toEqual([newId]);
    // The old organisation no longer sees the person's new pathway, nor the receiver the old one.
    expect((await api.read(MLSP.staff, newId)).statusCode).toBe(404);
    expect((await api.read(PRAVO.staff, id)).statusCode).toBe(404);
    // The state shows it as soon as the pathway holds it; the trail once the entry is written.
    const { entries: trail } = await eventually<{ entries: { type: string }[] }>(() => api.history(MLSP.supervisor, id), (h) => h.entries.at(-1)?.type === 'pathway.transferred');
    expect(trail.at(-1)).toMatchObject({ type: 'pathway.transferred', outcome: { to: 'pravo', newPathwayId: newId } });
    const { entries: begun } = await eventually<{ entries: { type: string }[] }>(() => api.history(PRAVO.supervisor, newId), (h) => h.entries.length > 0);
    const opened = begun[0];
    expect(opened).toMatchObject({ type: 'pathway.opened', actor: { id: PRAVO.coordinator.id, org: 'pravo' } });
  });

  it('moves to another programme with the operation the person joins there', async () => {
    const id = await openOne(api.stack, 'KZ', person(30, ARRIVAL, { sex: 'female' }));
    expectProblem(await api.act(MLSP.supervisor, id, 'transfer.request', { to: 'pravo', programme: 'UZ' }), 400, 'validation-failed');
    await accepted(await api.act(MLSP.supervisor, id, 'transfer.request', { to: 'pravo', programme: 'UZ', operation: 'Mehr' }));
    await accepted(await api.act(PRAVO.supervisor, id, 'transfer.accept'));
    const old = await eventually<{ status: string; transfer: { newPathwayId: string } }>(() => api.read(MLSP.supervisor, id), (s) => s.status === 'closed');
    // The new pathway writes its own row as it starts: a moment after the old one names it.
    const moved = await eventually(() => api.read(PRAVO.supervisor, old.transfer.newPathwayId), () => true);
    expect(moved).toMatchObject({ programme: 'UZ', operation: 'Mehr', transferredFrom: id });
  });

  it('stays open when the receiving side declines or the programme cannot take the person', async () => {
    const id = await openOne(api.stack, 'KZ', person(30, ARRIVAL, { sex: 'female' }));
    await accepted(await api.act(MLSP.supervisor, id, 'transfer.request', { to: 'pravo' }));
    const declined = await accepted(await api.act(PRAVO.coordinator, id, 'transfer.decline', { reason: 'no-capacity' }));
    expect(declined.state.transfer.status).toBe('declined');
    expect((await api.read(PRAVO.coordinator, id)).statusCode).toBe(404);

    // Kyrgyzstan's programme takes children only: the pathway records why and stays with its organisation.
    await accepted(await api.act(MLSP.supervisor, id, 'transfer.request', { to: 'pravo', programme: 'KG', operation: 'Meerim' }));
    await accepted(await api.act(PRAVO.coordinator, id, 'transfer.accept'));
    const failed = await eventually<{ status: string; transfer: { status: string; failure?: string } }>(
      () => api.read(MLSP.supervisor, id),
      (s) => s.transfer.status === 'failed',
    );
    expect(failed.status).toBe('active');
    expect(failed.transfer.failure).toBe('Programme KG cannot take this person: person.birthDate outside what its template accepts.');
    const { entries: trail } = await eventually<{ entries: { type: string }[] }>(() => api.history(MLSP.supervisor, id), (h) => h.entries.at(-1)?.type === 'transfer.failed');
    expect(trail.at(-1)).toMatchObject({ type: 'transfer.failed', outcome: { to: 'pravo', programme: 'KG' } });
  });
});
