import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workflowIdOf } from '../../src/domain/model.js';
import { ACTORS, act, ARRIVAL, auditedUpTo, completeStages, expectRefused, openOne, refused, stage, waitFor } from '../helpers/pathways.js';
import { person } from '../helpers/people.js';
import { payloadsOf } from '../helpers/history.js';
import { startTestStack, type TestStack } from '../helpers/stack.js';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({ clockScale: 1 });
});
afterAll(() => stack?.stop());

const { staff, coordinator, supervisor } = ACTORS;

async function listed(query: string, pathwayId: string): Promise<boolean> {
  for (let attempt = 0; attempt < 100; attempt++) {
    for await (const workflow of stack.client.workflow.list({ query })) if (workflow.workflowId === workflowIdOf(pathwayId)) return true;
    await sleep(100);
  }
  return false;
}

describe('any action', () => {
  it('is refused with a reason when unknown, malformed or sent by the wrong role', async () => {
    const id = await openOne(stack, 'KZ', person(35, ARRIVAL));
    expect(await expectRefused(stack, id, { type: 'medical.teleport', actor: staff })).toEqual({
      code: 'unknown-action',
      message: 'There is no action of type medical.teleport.',
      why: { code: 'unknown-action', params: { action: 'medical.teleport' } },
    });
    expect(await expectRefused(stack, id, { type: 'medical.record-screening', payload: { result: 'fine', extra: 1 }, actor: staff })).toMatchObject({
      code: 'invalid-data',
      fields: [
        { path: 'payload.result', message: expect.stringContaining('cleared') },
        { path: 'payload', message: expect.stringContaining('extra') },
      ],
    });
    expect(await expectRefused(stack, id, { type: 'medical.record-screening', payload: { result: 'cleared' }, actor: coordinator })).toEqual({
      code: 'wrong-role',
      message: 'medical.record-screening may be sent by staff or supervisor, not by coordinator.',
      why: { code: 'wrong-role', params: { action: 'medical.record-screening', roles: ['staff', 'supervisor'], role: 'coordinator' } },
    });
  });

  it('is applied once when the same action id is sent twice', async () => {
    const id = await openOne(stack, 'KZ', person(35, ARRIVAL));
    const actionId = randomUUID();
    const first = await act(stack.client, id, 'medical.record-screening', { result: 'treatment-needed' }, staff, actionId);
    const second = await act(stack.client, id, 'medical.record-screening', { result: 'treatment-needed' }, staff, actionId);
    expect(first.applied).toBe(true);
    expect(second.version).toBe(first.version);
    const { rows } = await stack.db.pool.query('select count(*)::int as n from audit_entries where action_id = $1', [actionId]);
    expect(rows[0].n).toBe(1);
  });

  it('is recorded in the audit trail exactly once, in order, with who did it', async () => {
    const id = await openOne(stack, 'UZ', person(27, ARRIVAL));
    await act(stack.client, id, 'medical.record-screening', { result: 'cleared' }, staff);
    await act(stack.client, id, 'security.record-outcome', { outcome: 'cleared' }, ACTORS.otherStaff);
    const { rows } = await stack.db.pool.query(
      'select seq, kind, type, stage, actor_id, actor_role, actor_org, data from audit_entries where pathway_id = $1 order by seq',
      [id],
    );
    expect(rows).toEqual([
      { seq: 1, kind: 'event', type: 'pathway.opened', stage: 'intake', actor_id: coordinator.id, actor_role: 'coordinator', actor_org: 'mlsp', data: { programme: 'UZ', operation: 'Mehr', templateVersion: 3 } },
      { seq: 2, kind: 'action', type: 'medical.record-screening', stage: 'medical', actor_id: staff.id, actor_role: 'staff', actor_org: 'mlsp', data: { result: 'cleared' } },
      { seq: 3, kind: 'action', type: 'security.record-outcome', stage: 'security', actor_id: 'staff-dana', actor_role: 'staff', actor_org: 'mlsp', data: { outcome: 'cleared' } },
    ]);
    const projection = await stack.db.pool.query('select status, current_stage, overdue, projection_version from pathways where id = $1', [id]);
    expect(projection.rows[0]).toEqual({ status: 'active', current_stage: 'quarantine', overdue: false, projection_version: 3 });
  });

  it('leaves the person out of Temporal: inputs, results and search attributes hold categories only', async () => {
    const who = person(12, ARRIVAL, { arrivedWith: 'orphan' });
    const id = await openOne(stack, 'TJ', who);
    await act(stack.client, id, 'medical.record-screening', { result: 'cleared' }, staff);
    const history = await stack.client.workflow.getHandle(workflowIdOf(id)).fetchHistory();
    const decoded = (await stack.codec.decode(payloadsOf(history))).map((p) => Buffer.from(p.data ?? []).toString()).join('\n');
    expect(decoded).toContain('"ageBand":"12-17"');
    for (const value of [who.givenName, who.familyName, who.patronymic!, who.birthDate]) expect(decoded).not.toContain(value);
    expect(await listed(`PathwayProgramme = "TJ" AND PathwayStage = "quarantine" AND PathwayStatus = "active"`, id)).toBe(true);
  });
});

describe('closure', () => {
  it('is for supervisors only, always with a reason, and completes only a finished pathway', async () => {
    const id = await openOne(stack, 'KG', person(7, ARRIVAL, { arrivedWith: 'siblings' }));
    expect((await expectRefused(stack, id, { type: 'pathway.close', payload: { reason: 'withdrawn' }, actor: staff })).code).toBe('wrong-role');
    expect(await expectRefused(stack, id, { type: 'pathway.close', payload: {}, actor: supervisor })).toMatchObject({
      code: 'invalid-data',
      fields: [{ path: 'payload.reason' }],
    });
    expect((await expectRefused(stack, id, { type: 'pathway.close', payload: { reason: 'completed' }, actor: supervisor })).message).toBe(
      'The pathway is not complete: quarantine, medical, psychosocial, documentation, placement, education not done.',
    );
    // Closed early by hand (a transfer outside Pathways): asked by one supervisor, approved by another.
    const asked = await act(stack.client, id, 'pathway.close', { reason: 'transferred' }, supervisor);
    expect(asked.state).toMatchObject({ status: 'active', closeRequest: { reason: 'transferred', by: supervisor.id } });
    const { state } = await act(stack.client, id, 'pathway.close-approve', {}, ACTORS.otherSupervisor);
    expect(state).toMatchObject({ status: 'closed', currentStage: 'closure', closure: { reason: 'transferred', by: supervisor.id, approvedBy: ACTORS.otherSupervisor.id }, availableActions: [] });
    expect(stage(state, 'placement').status).toBe('skipped');
    await stack.client.workflow.getHandle(workflowIdOf(id)).result();
    const { rows } = await stack.db.pool.query('select status, closure_reason from pathways where id = $1', [id]);
    expect(rows[0]).toEqual({ status: 'closed', closure_reason: 'transferred' });
    await expect(refused(stack.client, id, 'medical.record-screening', { result: 'cleared' }, staff)).rejects.toThrow();
  });
});

describe('deadlines', () => {
  it('makes a stage past its target overdue in the state and the search attributes, with an escalation', async () => {
    const id = await openOne(stack, 'KZ', person(29, ARRIVAL), {}, { clockScale: 1_000_000 });
    const late = await waitFor(stack.client, id, (s) => stage(s, 'quarantine').overdue, 20_000);
    expect(late.overdue).toBe(true);
    expect(new Date(stage(late, 'quarantine').dueAt!).getTime()).toBeLessThanOrEqual(Date.now());
    await auditedUpTo(stack, id, late.version);
    const { rows } = await stack.db.pool.query("select kind, stage from escalations where pathway_id = $1 and stage = 'quarantine'", [id]);
    expect(rows).toEqual([{ kind: 'stage-overdue', stage: 'quarantine' }]);
    expect(await listed(`PathwayOverdue = true AND PathwayProgramme = "KZ"`, id)).toBe(true);
    const { rows: projection } = await stack.db.pool.query('select overdue from pathways where id = $1', [id]);
    expect(projection[0].overdue).toBe(true);
  });
});

describe('follow-up', () => {
  it('accepts one check-in a period, escalates a missed one and shows it as overdue until someone checks in', async () => {
    const id = await openOne(stack, 'KZ', person(38, ARRIVAL, { hasIdentityDocument: true }), {}, { clockScale: 1_000_000 });
    await completeStages(stack.client, id, ['medical', 'security', 'quarantine', 'psychosocial', 'documentation', 'livelihood']);
    await waitFor(stack.client, id, (s) => stage(s, 'followUp').status === 'active');

    await act(stack.client, id, 'follow-up.record-check-in', { outcome: 'well', mode: 'visit' }, staff);
    const again = await expectRefused(stack, id, { type: 'follow-up.record-check-in', payload: { outcome: 'well', mode: 'call' }, actor: staff });
    expect(again.code).toBe('not-due');
    expect(again.message).toMatch(/^The check-in for period 1 of 12 is recorded; the next is due from .+\.$/);

    const missed = await waitFor(stack.client, id, (s) => stage(s, 'followUp').details.checkInOverdue === true, 20_000);
    expect(missed.overdue).toBe(true);
    expect(stage(missed, 'followUp').blockers).toContain('a check-in was missed: check in with the person');
    await auditedUpTo(stack, id, missed.version);
    const escalations = await stack.db.pool.query("select kind, stage from escalations where pathway_id = $1 and kind = 'check-in-missed'", [id]);
    expect(escalations.rows[0]).toEqual({ kind: 'check-in-missed', stage: 'followUp' });
    expect(await listed(`PathwayOverdue = true AND PathwayStage = "followUp"`, id)).toBe(true);

    const { state } = await act(stack.client, id, 'follow-up.record-check-in', { outcome: 'concerns', mode: 'visit' }, staff);
    expect(stage(state, 'followUp').details.checkInOverdue).toBe(false);
  });
});
