import { beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/domain/model.js';
import type { PersonRecord } from '../../src/domain/open.js';
import { expectProblem } from '../helpers/api.js';
import { ARRIVAL, completeStages, openOne } from '../helpers/pathways.js';
import { person } from '../helpers/people.js';
import { accepted, eventually, MLSP, PRAVO, useAgencies } from '../agencies/orgs.js';

const api = useAgencies();

const OMBUDSMAN: Actor = { id: 'ombudsman', role: 'supervisor', org: 'oversight' };
const arrival = { programme: 'KZ', operation: 'Zhusan', phase: '3', arrivalDate: ARRIVAL };
const fullName = (record: PersonRecord) => [record.familyName, record.givenName, record.patronymic].filter(Boolean).join(' ');
const initials = (record: PersonRecord) => `${record.familyName[0]}. ${record.givenName[0]}.`;

type Shown = { name: string; nameHidden: boolean; birthDate: string; birthDateEstimated: boolean; age: number };
type Listed = { id: string; person: Shown };

/** The access-log rows one request wrote, by kind: who saw which pathway. */
async function logged(requestId: string) {
  const { rows } = await api.stack.db.pool.query<{ id: string; what: string; via: string }>(
    'select pathway_id as id, what, via from access_log where request_id = $1 order by id',
    [requestId],
  );
  return rows;
}

const hide = (actor: Actor, id: string, hidden: boolean) => api.act(actor, id, 'pathway.hide-name', { hidden });

describe('names where people work', () => {
  const people = [person(31, ARRIVAL), person(9, ARRIVAL, { arrivedWith: 'mother' }), person(5, ARRIVAL, { arrivedWith: 'mother', birthDate: '2021-03' })];
  let cohort: string[];

  beforeAll(async () => {
    const opened = await api.post(MLSP.coordinator, '/v1/cohorts', { ...arrival, people: people.map((p) => ({ familyGroupId: 'family-names', person: p })) });
    expect(opened.statusCode, opened.body).toBe(201);
    const body = opened.json() as { pathways: Listed[] };
    cohort = body.pathways.map((p) => p.id);
    // The answer names whom it opened, and the coordinator's seeing them is in the access log.
    expect(body.pathways.map((p) => p.person.name)).toEqual(people.map(fullName));
    expect(body.pathways[2]!.person).toMatchObject({ birthDate: '2021-03', birthDateEstimated: true });
    expect(body.pathways[0]!.person).toMatchObject({ age: 31, birthDateEstimated: false, nameHidden: false });
    const rows = await logged(opened.headers['x-request-id'] as string);
    expect(rows.filter((r) => r.what === 'list').map((r) => r.id).sort()).toEqual([...cohort].sort());
  });

  it('names each person in the worklist and the pathways list, and logs one row per pathway listed', async () => {
    const work = await eventually<{ items: Listed[] }>(() => api.worklist(MLSP.staff), (page) => cohort.every((id) => page.items.some((i) => i.id === id)));
    for (const [index, id] of cohort.entries()) expect(work.items.find((i) => i.id === id)!.person.name).toBe(fullName(people[index]!));

    const list = await api.get(MLSP.coordinator, '/v1/pathways?operation=Zhusan&limit=100');
    expect(list.statusCode, list.body).toBe(200);
    const items = (list.json() as { items: Listed[] }).items;
    for (const [index, id] of cohort.entries()) expect(items.find((i) => i.id === id)!.person.name).toBe(fullName(people[index]!));
    const rows = await logged(list.headers['x-request-id'] as string);
    expect(rows.map((r) => r.id).sort()).toEqual(items.map((i) => i.id).sort());
    expect(new Set(rows.map((r) => `${r.what}/${r.via}`))).toEqual(new Set(['list/organisation']));

    // Oversight sees every organisation's pathways in the list, logged as oversight.
    const overseen = await api.get(OMBUDSMAN, '/v1/pathways?operation=Zhusan&limit=100');
    expect(overseen.statusCode, overseen.body).toBe(200);
    const overseenRows = await logged(overseen.headers['x-request-id'] as string);
    expect(overseenRows.filter((r) => cohort.includes(r.id)).map((r) => r.via)).toEqual(['oversight', 'oversight', 'oversight']);
  });

  it("names the person on the history page and in the approvals queue", async () => {
    const history = await accepted(await api.history(MLSP.supervisor, cohort[1]!));
    expect(history.person.name).toBe(fullName(people[1]!));

    const child = person(8, ARRIVAL, { arrivedWith: 'mother' });
    // A template day in 8.64 ms: the quarantine's minimum passes at once.
    const id = await openOne(api.stack, 'KZ', child, {}, { clockScale: 10_000_000 });
    await completeStages(api.stack.client, id, ['medical', 'security', 'quarantine']);
    const choose = (await accepted(await api.read(MLSP.supervisor, id))).availableActions.find((a: { type: string }) => a.type === 'placement.choose-option');
    await accepted(await api.act(MLSP.supervisor, id, 'placement.choose-option', { ...choose.example, option: 'mother' }));
    await accepted(await api.act(MLSP.supervisor, id, 'placement.request-approval', {}));
    const approvals = await eventually<{ items: Listed[] }>(() => api.worklist(MLSP.otherSupervisor, '?kind=approvals'), (page) => page.items.some((i) => i.id === id));
    expect(approvals.items.find((i) => i.id === id)!.person).toMatchObject({ name: fullName(child), age: 8 });
  });

  it("names the person to a referral's receiver, who reads the person's record today, and to the emergency queue", async () => {
    const id = cohort[0]!;
    await accepted(await api.act(MLSP.staff, id, 'referral.create', { stage: 'psychosocial', to: 'pravo', reason: 'psychosocial-support', consent: { by: 'person' }, respondWithin: 'P5D' }));
    expect((await accepted(await api.read(PRAVO.coordinator, id))).record.familyName).toBe(people[0]!.familyName);
    const work = await eventually<{ items: Listed[] }>(() => api.worklist(PRAVO.coordinator), (page) => page.items.some((i) => i.id === id));
    expect(work.items.find((i) => i.id === id)!.person.name).toBe(fullName(people[0]!));

    const grant = await api.post(PRAVO.staff, `/v1/pathways/${cohort[2]}/emergency-access`, { reason: 'medical-emergency', note: 'Brought to the night shelter with a fever; we need the medical stage.' });
    expect(grant.statusCode, grant.body).toBe(201);
    const queue = await accepted(await api.get(OMBUDSMAN, '/v1/emergency-access'));
    const item = queue.items.find((i: { pathwayId: string }) => i.pathwayId === cohort[2]);
    expect(item.person).toMatchObject({ name: fullName(people[2]!), birthDate: '2021-03', birthDateEstimated: true });
  });

  it('lets only a supervisor of the pathway hide the name: initials in every list, the full name on its page, once in the trail', async () => {
    const id = cohort[1]!;
    expectProblem(await hide(MLSP.staff, id, true), 403, 'forbidden');
    expectProblem(await hide(MLSP.coordinator, id, true), 403, 'forbidden');
    // A referral's receiver decides nothing of how the pathway is listed (nor sees this one at all).
    expect((await hide(PRAVO.supervisor, id, true)).statusCode).toBe(404);
    // A name never hidden is not shown again: nothing for the trail to record.
    expectProblem(await hide(MLSP.supervisor, id, false), 409, 'action-refused');
    await accepted(await hide(MLSP.supervisor, id, true));
    expectProblem(await hide(MLSP.otherSupervisor, id, true), 409, 'action-refused');

    const shownAs = initials(people[1]!);
    const work = await eventually<{ items: Listed[] }>(() => api.worklist(MLSP.staff), (page) => page.items.find((i) => i.id === id)?.person.name === shownAs);
    const row = work.items.find((i) => i.id === id)!;
    expect(row.person).toMatchObject({ nameHidden: true, age: 9 });
    expect(JSON.stringify(work)).not.toContain(people[1]!.givenName);
    const list = (await accepted(await api.get(MLSP.coordinator, '/v1/pathways?operation=Zhusan&limit=100'))) as { items: Listed[] };
    expect(list.items.find((i) => i.id === id)!.person.name).toBe(shownAs);
    expect((await accepted(await api.history(MLSP.supervisor, id))).person.name).toBe(shownAs);
    // The others of the family keep their names.
    expect(list.items.find((i) => i.id === cohort[2])!.person.name).toBe(fullName(people[2]!));

    const page = await accepted(await api.read(MLSP.staff, id));
    expect(page.record).toMatchObject({ givenName: people[1]!.givenName, familyName: people[1]!.familyName, nameHidden: true });

    const trail = (await accepted(await api.history(MLSP.supervisor, id))).entries.filter((e: { type: string }) => e.type === 'pathway.hide-name');
    expect(trail).toHaveLength(1);
    expect(trail[0]).toMatchObject({ actor: { id: MLSP.supervisor.id, role: 'supervisor', org: 'mlsp' } });

    await accepted(await hide(MLSP.otherSupervisor, id, false));
    await eventually<{ items: Listed[] }>(() => api.worklist(MLSP.staff), (p) => p.items.find((i) => i.id === id)?.person.name === fullName(people[1]!));
  });

  it('keeps a name hidden when a transfer continues the pathway elsewhere, where its supervisors may show it again', async () => {
    const adult = person(40, ARRIVAL, { sex: 'female' });
    const id = await openOne(api.stack, 'KZ', adult);
    await accepted(await hide(MLSP.supervisor, id, true));
    await eventually<{ items: Listed[] }>(() => api.worklist(MLSP.staff), (p) => p.items.find((i) => i.id === id)?.person.nameHidden === true);
    await accepted(await api.act(MLSP.supervisor, id, 'transfer.request', { to: 'pravo' }));
    await accepted(await api.act(PRAVO.coordinator, id, 'transfer.accept'));
    const old = await eventually<{ status: string; transfer: { newPathwayId?: string } }>(() => api.read(MLSP.supervisor, id), (s) => s.status === 'closed');
    const newId = old.transfer.newPathwayId!;
    const listed = await eventually<{ items: Listed[] }>(() => api.get(PRAVO.coordinator, '/v1/pathways?limit=100'), (p) => p.items.some((i) => i.id === newId));
    expect(listed.items.find((i) => i.id === newId)!.person).toMatchObject({ name: initials(adult), nameHidden: true });
    await eventually(() => api.read(PRAVO.supervisor, newId), (s: { availableActions: { type: string }[] }) => s.availableActions.some((a) => a.type === 'pathway.hide-name'));
    await accepted(await hide(PRAVO.supervisor, newId, false));
    await eventually<{ items: Listed[] }>(() => api.get(PRAVO.coordinator, '/v1/pathways?limit=100'), (p) => p.items.find((i) => i.id === newId)?.person.name === fullName(adult));
  });
});
