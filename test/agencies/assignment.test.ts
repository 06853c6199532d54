import { setTimeout as sleep } from 'node:timers/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../helpers/api.js';
import { ARRIVAL, openOne } from '../helpers/pathways.js';
import { person } from '../helpers/people.js';
import { refused } from '../helpers/pathways.js';
import { accepted, AKNIET, eventually, MLSP, PRAVO, useAgencies } from './orgs.js';

const api = useAgencies();

interface Item {
  id: string;
  overdue: boolean;
  assignedTo: string | null;
  claimable: boolean;
  via: string;
  currentStage: string;
}
type Page = { items: Item[] };
/** A template day in 8.64 ms: these pathways' stages are overdue within a second. */
const FAST = 10_000_000;

describe('assignment and worklists', () => {
  let mine: string;
  let claimed: string;
  let free: string;
  let lateFree: string;
  let latest: string;
  beforeAll(async () => {
    lateFree = await openOne(api.stack, 'KZ', person(30, ARRIVAL, { sex: 'female' }), {}, { clockScale: FAST });
    latest = await openOne(api.stack, 'KZ', person(31, ARRIVAL, { sex: 'female' }), {}, { clockScale: FAST });
    await sleep(300);
    [mine, claimed, free] = [
      await openOne(api.stack, 'KZ', person(32, ARRIVAL, { sex: 'female' })),
      await openOne(api.stack, 'KZ', person(33, ARRIVAL, { sex: 'female' })),
      await openOne(api.stack, 'KZ', person(34, ARRIVAL, { sex: 'female' })),
    ];
  });

  it('assigns a pathway to a named person, lets staff claim unassigned work, and lists each one their own and the claimable, most overdue first', async () => {
    await api.signIn(MLSP.staff);
    expectProblem(await api.act(MLSP.staff, mine, 'pathway.assign', { assignee: MLSP.staff.id, org: 'mlsp' }), 403, 'forbidden');
    const assigned = await accepted(await api.act(MLSP.coordinator, mine, 'pathway.assign', { assignee: MLSP.staff.id, org: 'mlsp' }));
    expect(assigned.state.assignments.pathway).toMatchObject({ assignee: MLSP.staff.id, org: 'mlsp', by: MLSP.coordinator.id });
    await accepted(await api.act(MLSP.otherStaff, claimed, 'pathway.claim'));
    const taken = expectProblem(await api.act(MLSP.staff, claimed, 'pathway.claim'), 409, 'action-refused');
    expect(taken.detail).toMatch(/assigned to staff-dana already/);
    // Work goes to people of the sender's own organisation, whom its sign-in has seen.
    expectProblem(await api.act(MLSP.coordinator, free, 'pathway.assign', { assignee: PRAVO.staff.id, org: 'pravo' }), 403, 'forbidden');
    const ghost = expectProblem(await api.act(MLSP.coordinator, free, 'pathway.assign', { assignee: 'ghost', org: 'mlsp' }), 400, 'validation-failed');
    expect(ghost.fields).toEqual([{ path: 'payload.assignee', message: 'must be someone of mlsp who has signed in to Pathways' }]);

    const overdueIn = (p: Page, id: string) => p.items.some((i) => i.id === id && i.overdue);
    const sams = await eventually<Page>(
      () => api.worklist(MLSP.staff),
      (p) => p.items.some((i) => i.id === mine && i.assignedTo === MLSP.staff.id) && overdueIn(p, lateFree) && overdueIn(p, latest),
    );
    const ids = sams.items.map((i) => i.id);
    expect(ids).not.toContain(claimed);
    expect(ids).toEqual(expect.arrayContaining([mine, free, lateFree, latest]));
    expect(sams.items.find((i) => i.id === free)).toMatchObject({ assignedTo: null, claimable: true });
    expect(sams.items.find((i) => i.id === mine)).toMatchObject({ assignedTo: MLSP.staff.id, claimable: false });
    // Most overdue first: the pathway whose stage fell due earliest leads.
    const overdue = sams.items.filter((i) => i.overdue).map((i) => i.id);
    expect(overdue.slice(0, 2)).toEqual([lateFree, latest]);
    expect(ids.indexOf(latest)).toBeLessThan(ids.indexOf(mine));

    const danas = (await accepted(await api.worklist(MLSP.otherStaff))).items.map((i: Item) => i.id);
    expect(danas).toContain(claimed);
    expect(danas).not.toContain(mine);
  });

  it("gives each worker's load: open pathways and overdue ones", async () => {
    await accepted(await api.act(MLSP.supervisor, latest, 'pathway.assign', { assignee: MLSP.staff.id, org: 'mlsp' }));
    const report = await accepted(await api.get(MLSP.supervisor, '/v1/reports/caseload?by=worker'));
    expect(report.workers).toEqual([
      { worker: MLSP.staff.id, organisation: 'mlsp', openPathways: 2, overdue: 1 },
      { worker: MLSP.otherStaff.id, organisation: 'mlsp', openPathways: 1, overdue: 0 },
    ]);
    expect((await accepted(await api.get(PRAVO.supervisor, '/v1/reports/caseload?by=worker'))).workers).toEqual([]);
    expectProblem(await api.get(MLSP.staff, '/v1/reports/caseload?by=worker'), 403, 'forbidden');
    expectProblem(await api.get(MLSP.supervisor, '/v1/reports/caseload?by=team'), 400, 'validation-failed');
  });

  it('keeps each organisation to its own people: a receiver cannot take a stage from another receiver, nor hand it to the ministry (issue 21, finding 2)', async () => {
    const id = await openOne(api.stack, 'KZ', person(35, ARRIVAL, { sex: 'female' }));
    for (const receiver of [AKNIET, PRAVO]) {
      const referred = await accepted(
        await api.act(MLSP.staff, id, 'referral.create', { stage: 'psychosocial', to: receiver.coordinator.org, reason: 'psychosocial-support', consent: { by: 'person' }, respondWithin: 'P5D' }),
      );
      await accepted(await api.act(receiver.coordinator, id, 'referral.accept', { referral: referred.state.referrals.at(-1).id }));
    }
    await api.signIn(AKNIET.staff, MLSP.staff);
    expectProblem(await api.act(PRAVO.coordinator, id, 'pathway.assign', { assignee: 'ghost', org: 'akniet', stage: 'psychosocial' }), 403, 'forbidden');
    expectProblem(await api.act(AKNIET.coordinator, id, 'pathway.assign', { assignee: MLSP.staff.id, org: 'mlsp', stage: 'psychosocial' }), 403, 'forbidden');
    // The pathway's own gate says the same to whoever reaches it without the API.
    const direct = await refused(api.stack.client, id, 'pathway.assign', { assignee: 'ghost', org: 'akniet', stage: 'psychosocial' }, PRAVO.coordinator);
    expect(direct.code).toBe('wrong-organisation');
    // Each receiver holds the stage on its own: one's claim neither blocks the other's nor names its person.
    await accepted(await api.act(AKNIET.staff, id, 'pathway.claim', { stage: 'psychosocial' }));
    const claimed = await accepted(await api.act(PRAVO.staff, id, 'pathway.claim', { stage: 'psychosocial' }));
    expect(claimed.state.assignments.stages).toEqual([expect.objectContaining({ stage: 'psychosocial', assignee: PRAVO.staff.id, org: 'pravo' })]);
    const again = expectProblem(await api.act(PRAVO.otherStaff, id, 'pathway.claim', { stage: 'psychosocial' }), 409, 'action-refused');
    expect(again.detail).toBe(`The psychosocial stage is assigned to ${PRAVO.staff.id} already: a coordinator or supervisor reassigns it.`);
    // The ministry assigning the stage to its own person takes it from neither receiver.
    await accepted(await api.act(MLSP.coordinator, id, 'pathway.assign', { assignee: MLSP.staff.id, org: 'mlsp', stage: 'psychosocial' }));
    const held = (await accepted(await api.read(MLSP.supervisor, id))).assignments.stages.map((a: { org: string; assignee: string }) => `${a.org}:${a.assignee}`);
    expect(held.sort()).toEqual([`akniet:${AKNIET.staff.id}`, `mlsp:${MLSP.staff.id}`, `pravo:${PRAVO.staff.id}`]);
    const pravoPage = await eventually<Page>(() => api.worklist(PRAVO.staff), (p) => p.items.some((i) => i.id === id && i.assignedTo === PRAVO.staff.id));
    expect(pravoPage.items.find((i) => i.id === id)).toMatchObject({ via: 'referral', assignedTo: PRAVO.staff.id, claimable: false });
    // Out of the loads the next test counts.
    await accepted(await api.act(MLSP.supervisor, id, 'pathway.close', { reason: 'withdrawn' }));
    await accepted(await api.act(MLSP.otherSupervisor, id, 'pathway.close-approve'));
  });

  it("lets the receiving organisation assign the referred stage to one of its people, who finds it in their worklist", async () => {
    const referred = await accepted(
      await api.act(MLSP.staff, free, 'referral.create', { stage: 'psychosocial', to: 'pravo', reason: 'psychosocial-support', consent: { by: 'person' }, respondWithin: 'P5D' }),
    );
    const referral = referred.state.referrals[0].id;
    await accepted(await api.act(PRAVO.coordinator, free, 'referral.accept', { referral }));
    await api.signIn(PRAVO.staff);
    // The referred stage only, not the whole pathway.
    expectProblem(await api.act(PRAVO.coordinator, free, 'pathway.assign', { assignee: PRAVO.staff.id, org: 'pravo' }), 403, 'forbidden');
    const stage = await accepted(await api.act(PRAVO.coordinator, free, 'pathway.assign', { assignee: PRAVO.staff.id, org: 'pravo', stage: 'psychosocial' }));
    expect(stage.state.assignments.stages).toMatchObject([{ stage: 'psychosocial', assignee: PRAVO.staff.id }]);
    const page = await eventually<Page>(() => api.worklist(PRAVO.staff), (p) => p.items.some((i) => i.id === free));
    expect(page.items.find((i) => i.id === free)).toMatchObject({ via: 'referral', currentStage: 'psychosocial', assignedTo: PRAVO.staff.id });
    // The ministry's own staff still see the pathway: its other stages are nobody's yet.
    expect((await accepted(await api.worklist(MLSP.staff))).items.map((i: Item) => i.id)).toContain(free);

    const held = await accepted(await api.get(PRAVO.supervisor, '/v1/reports/caseload?by=worker'));
    expect(held.workers).toEqual([{ worker: PRAVO.staff.id, organisation: 'pravo', openPathways: 1, overdue: 0 }]);

    // The hold ends with the referral: nothing of it is left in anyone's load.
    const withdrawn = await accepted(await api.act(MLSP.supervisor, free, 'referral.withdraw', { referral }));
    expect(withdrawn.state.assignments).toBeUndefined();
    const load = await accepted(await api.get(PRAVO.supervisor, '/v1/reports/caseload?by=worker'));
    expect(load.workers).toEqual([]);
  });
});
