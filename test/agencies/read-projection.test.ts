// Reads answer from the view each pathway stores with its batches (issue 26): after a correction,
// a transfer and an incident, what PostgreSQL stores and what a read answers are the workflow's own state.
import { temporal } from '@temporalio/proto';
import { describe, expect, it } from 'vitest';
import { verifyAudit } from '../../src/audit-verify.js';
import { workflowIdOf, type Actor } from '../../src/domain/model.js';
import type { PathwayView } from '../../src/domain/pathway.js';
import { forActor } from '../../src/pathways/read.js';
import { ARRIVAL, openOne, waitFor } from '../helpers/pathways.js';
import { person } from '../helpers/people.js';
import { expectReadIsOwn, expectStoredIsOwn, storedView } from '../helpers/projection.js';
import { accepted, eventually, MLSP, PRAVO, until, useAgencies } from './orgs.js';

// Five seconds: how long these pathways wait on PostgreSQL before they raise an incident.
const api = useAgencies({ env: { WAIT_DEADLINE_SECONDS: '5' }, poolSize: 20 });

const readAs = (actor: Actor, id: string) => async () => accepted(await api.read(actor, id));
const openIncidents = async (id: string) => (await api.stack.db.pool.query('select kind from incidents where pathway_id = $1 and resolved_at is null', [id])).rows;

/** Opens a pathway over HTTP: the answer's state, and the pathway's id. */
async function openOver(body: Record<string, unknown>) {
  const response = await api.post(MLSP.coordinator, '/v1/pathways', { programme: 'KZ', operation: api.stack.templates.get('KZ')!.operations[0]!.name, arrivalDate: ARRIVAL, ...body });
  expect(response.statusCode, response.body).toBe(201);
  const { id, state } = response.json();
  return { id: id as string, state };
}

describe('the answer to an opening', () => {
  it('is the state the workflow then stores, with the record, without asking it; the read is logged', async () => {
    const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
    const expectStored = async ({ id, state }: { id: string; state: PathwayView & { record: unknown } }) => {
      const own = await expectStoredIsOwn(api.stack, id);
      const { record, ...shown } = state;
      expect(shown).toEqual(JSON.parse(JSON.stringify(forActor(own, MLSP.coordinator))));
      expect(record).toEqual((await accepted(await api.read(MLSP.coordinator, id))).record);
      const log = await accepted(await api.accessLog(MLSP.supervisor, id));
      expect(log.entries.filter((e: { what: string }) => e.what === 'state').length).toBe(2);
    };
    const mother = await openOver({ familyGroupId: 'RP1', person: person(29, ARRIVAL, { sex: 'female' }) });
    await expectStored(mother);
    const child = await openOver({ familyGroupId: 'RP1', person: person(6, ARRIVAL, { arrivedWith: 'mother' }) });
    expect(child.state.familyGroup.members).toEqual([{ pathwayId: mother.id, isChild: false }]);
    await expectStored(child);
    // Typed in 40 days after the arrival: what is overdue is recorded with the opening.
    const late = await openOver({ arrivalDate: daysAgo(40), person: { ...person(33, daysAgo(40), { sex: 'female' }), birthDate: '1990' } });
    expect(late.state.overdue).toBe(true);
    expect(late.state.record.birthDate).toBe('1990');
    await expectStored(late);
    // Its opening was written with its row, chained as the workflow would have: its first task wrote nothing.
    const history = await api.stack.client.workflow.getHandle(workflowIdOf(late.id)).fetchHistory();
    expect(history.events!.map((e) => e.eventType)).not.toContain(temporal.api.enums.v1.EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED);
    const { rows } = await api.stack.db.pool.query('select seq from audit_entries where pathway_id = $1 order by seq', [late.id]);
    expect(rows.map((r: { seq: number }) => r.seq)).toEqual(Array.from({ length: late.state.version }, (_, i) => i + 1));
    expect(await verifyAudit(api.stack.db.pool, api.stack.client, () => undefined)).toBe(0);
    // The mother hears of the child, which opened after her.
    await until(() => storedView(api.stack, mother.id), (view) => view?.familyGroup?.members.length === 1);
  });
});

describe('reads from the stored view', () => {
  it('after a correction: the corrected value, the correction marked, for everyone who reads', async () => {
    const id = await openOne(api.stack, 'KZ', person(30, ARRIVAL, { sex: 'female' }));
    const recorded = await accepted(await api.act(MLSP.supervisor, id, 'psychosocial.record-assessment', { psychological: 'low', social: 'low' }));
    const correction = { entry: recorded.version, version: recorded.version, payload: { psychological: 'high', social: 'low' }, reason: 'recording-error' };
    const corrected = await accepted(await api.act(MLSP.otherSupervisor, id, 'correction', correction));
    expect(corrected.state.corrections).toEqual({ [String(recorded.version)]: corrected.version });
    const own = await expectStoredIsOwn(api.stack, id);
    expect(own.corrections).toEqual({ [String(recorded.version)]: corrected.version });
    for (const actor of [MLSP.staff, MLSP.supervisor, MLSP.otherSupervisor]) await expectReadIsOwn(api.stack, id, readAs(actor, id), actor);
  });

  it('after a transfer: the offer as the receiver sees it, the old pathway closed, the new one its own', async () => {
    const id = await openOne(api.stack, 'KZ', person(31, ARRIVAL, { sex: 'female' }));
    await accepted(await api.act(MLSP.supervisor, id, 'transfer.request', { to: 'pravo' }));
    await expectStoredIsOwn(api.stack, id);
    const offered = await expectReadIsOwn(api.stack, id, readAs(PRAVO.coordinator, id), PRAVO.coordinator, 'transfer');
    expect(offered.stages).toEqual([]);
    expect(offered.availableActions.map((a) => a.type).sort()).toEqual(['transfer.accept', 'transfer.decline']);
    await expectReadIsOwn(api.stack, id, readAs(MLSP.supervisor, id), MLSP.supervisor);

    await accepted(await api.act(PRAVO.coordinator, id, 'transfer.accept'));
    const old = await eventually<{ status: string; transfer: { newPathwayId: string } }>(() => api.read(MLSP.supervisor, id), (s) => s.status === 'closed');
    expect((await storedView(api.stack, id))?.status).toBe('closed');
    const newId = old.transfer.newPathwayId;
    await until(() => storedView(api.stack, newId), (view) => view !== undefined);
    const moved = await expectStoredIsOwn(api.stack, newId);
    expect(moved).toMatchObject({ transferredFrom: id, organisations: ['pravo'], status: 'active' });
    await expectReadIsOwn(api.stack, newId, readAs(PRAVO.staff, newId), PRAVO.staff);
  });

  it('during an incident the read shows it, as the workflow does; once it ends, the stored view is the state again', async () => {
    const id = await openOne(api.stack, 'KZ', person(32, ARRIVAL, { sex: 'female' }));
    await expectStoredIsOwn(api.stack, id);
    // PostgreSQL takes no audit entry (reads go on): the write waits past the pathway's five seconds.
    const lock = await api.stack.db.pool.connect();
    await lock.query('begin');
    await lock.query('lock table audit_entries in share mode');
    let waiting: ReturnType<typeof api.act> | undefined;
    try {
      waiting = api.act(MLSP.staff, id, 'psychosocial.record-assessment', { psychological: 'low', social: 'low' }, { actionId: 'read-during-incident' });
      await waitFor(api.stack.client, id, (s) => s.incident !== undefined, 20_000);
      await until(() => openIncidents(id), (rows) => rows.length > 0);
      // The stored view is the last one written, without the waiting action: the read asks the workflow.
      const during = await expectReadIsOwn(api.stack, id, readAs(MLSP.staff, id), MLSP.staff);
      expect(during.incident).toMatchObject({ code: 'audit-write-late' });
      expect(during.availableActions).toEqual([]);
      expect((await storedView(api.stack, id))?.incident).toBeUndefined();
    } finally {
      await lock.query('rollback');
      lock.release();
    }
    expect((await waiting!).statusCode).toBe(200);
    await until(() => openIncidents(id), (rows) => rows.length === 0);
    const after = await expectStoredIsOwn(api.stack, id);
    expect(after.incident).toBeUndefined();
    expect(after.stages.find((s) => s.stage === 'psychosocial')?.details.needs).toEqual({ psychological: 'low', social: 'low' });
    await expectReadIsOwn(api.stack, id, readAs(MLSP.staff, id), MLSP.staff);
  });
});
