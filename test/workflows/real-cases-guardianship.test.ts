// Finding: "A refused guardianship order leaves a child's pathway open for ever." A Tajik orphan
// placed in state care, the court refuses the order: the institution caring for the child is its
// guardian by law, or a new petition goes to the court with a deadline. Driven over HTTP.
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import type { Actor } from '../../src/domain/model.js';
import type { PathwayView } from '../../src/domain/pathway.js';
import { call, expectProblem, useApiStack } from '../helpers/api.js';
import { driveOverHttp, prefer, stateOver } from '../helpers/http-driver.js';
import { ACTORS, ARRIVAL, auditedUpTo, stage } from '../helpers/pathways.js';
import { person } from '../helpers/people.js';
import type { TestStack } from '../helpers/stack.js';

let stack: TestStack;
let app: FastifyInstance;
// A template day in 8.64 ms: a year's deadline passes in about three seconds.
useApiStack((s, a) => ((stack = s), (app = a)), { clockScale: 10_000_000 });

const BY_LAW = 'documentation.record-guardian-by-law';
const PETITION = 'documentation.file-guardianship-petition';
const ORDER = 'documentation.record-guardianship-order';
const REFUSED_IN_STATE_CARE = 'the court refused the guardianship order: record the institution caring for the child as its guardian by law, or file a new petition';

async function orphan(): Promise<string> {
  const body = { programme: 'TJ', operation: 'Iraq', arrivalDate: ARRIVAL, person: person(10, ARRIVAL, { arrivedWith: 'orphan' }) };
  const response = await call(app, stack, ACTORS.coordinator, { method: 'POST', url: '/v1/pathways', payload: body });
  expect(response.statusCode, response.body).toBe(201);
  return response.json().id;
}

function send(id: string, type: string, payload: Record<string, unknown>, actor: Actor = ACTORS.staff) {
  return call(app, stack, actor, { method: 'POST', url: `/v1/pathways/${id}/actions`, payload: { type, payload } });
}

async function accepted(id: string, type: string, payload: Record<string, unknown>): Promise<PathwayView> {
  const response = await send(id, type, payload);
  expect(response.statusCode, response.body).toBe(200);
  return response.json().state;
}

/** Why the pathway refuses the action: its refusal code and words. */
async function refusal(id: string, type: string, payload: Record<string, unknown>, actor?: Actor): Promise<{ reason: string; detail: string }> {
  return expectProblem(await send(id, type, payload, actor), 409, 'action-refused');
}

/** An orphan placed in state care whose guardianship order the court refused: everything else is done. */
async function refusedInStateCare(): Promise<{ id: string; state: PathwayView }> {
  const id = await orphan();
  await driveOverHttp(app, stack, id, {
    choose: prefer({ type: ORDER, payload: { decision: 'refused', guardian: 'institution' } }),
    skip: [BY_LAW, PETITION],
    until: (s) => s.stages.every((st) => ['documentation', 'closure'].includes(st.stage) || ['done', 'skipped'].includes(st.status)) && stage(s, 'documentation').blockers.length === 1,
  });
  // As staff see it: what they may record next.
  const state = await stateOver(app, stack, id, ACTORS.staff);
  expect(stage(state, 'placement').details).toMatchObject({ option: 'residential', approved: true });
  expect(stage(state, 'documentation')).toMatchObject({ status: 'active', blockers: [REFUSED_IN_STATE_CARE], details: { guardianshipOrder: 'refused' } });
  // Refused, not pending: the placement no longer says an order is on its way.
  expect(state.notes).not.toContain('placement: placed in state care; guardianship order pending');
  const offered = state.availableActions.filter((a) => a.routine).map((a) => a.type);
  expect(offered).toEqual(expect.arrayContaining([BY_LAW, PETITION]));
  expect(offered).not.toContain(ORDER);
  expect((await refusal(id, 'pathway.close', { reason: 'completed' }, ACTORS.supervisor)).detail).toBe('The pathway is not complete: documentation not done.');
  return { id, state };
}

describe('a refused guardianship order', () => {
  it('the institution caring for the child is its guardian by law: documentation is done and the pathway completes', async () => {
    const { id } = await refusedInStateCare();
    const state = await accepted(id, BY_LAW, {});
    expect(stage(state, 'documentation')).toMatchObject({ status: 'done', blockers: [], details: { guardianByLaw: true, guardianshipOrder: 'refused' } });
    expect(state.notes).toContain('documentation: guardian by law: the institution caring for the child; the court refused the guardianship order');
    expect((await refusal(id, BY_LAW, {})).reason).toBe('wrong-stage');
    const { state: closed } = await driveOverHttp(app, stack, id);
    expect(closed.closure?.reason).toBe('completed');
    expect(closed.notes).toContain('documentation: guardian by law: the institution caring for the child; the court refused the guardianship order');
  });

  it('a new petition shows when the court must decide, escalates when that passes, and a granted order completes it', async () => {
    const { id } = await refusedInStateCare();
    const tooLong = await send(id, PETITION, { decideWithin: 'P2Y' });
    expect(expectProblem(tooLong, 400, 'validation-failed').fields.map((f: { message: string }) => f.message)).toContain('must be an ISO 8601 duration from P7D to P1Y');

    const filed = await accepted(id, PETITION, { decideWithin: 'P1Y' });
    const documentation = stage(filed, 'documentation');
    const dueAt = documentation.details.petitionDueAt as string;
    expect(Date.parse(dueAt)).toBeGreaterThan(Date.now());
    expect(documentation).toMatchObject({ status: 'active', dueAt, overdue: false, blockers: [`waiting for the court's decision on the new guardianship petition (due ${dueAt})`] });
    expect(await refusal(id, PETITION, { decideWithin: 'P30D' })).toMatchObject({ reason: 'wrong-stage', detail: `A new petition is before the court (decision due ${dueAt}): record its decision first.` });
    expect(filed.availableActions.find((a) => a.type === ORDER)?.routine).toBe(true);

    // The deadline passes without a decision: the stage is overdue and escalated, as the worklist shows.
    let late = await stateOver(app, stack, id);
    for (let i = 0; i < 200 && !stage(late, 'documentation').overdue; i++) late = (await sleep(50), await stateOver(app, stack, id));
    expect(stage(late, 'documentation')).toMatchObject({ overdue: true, dueAt });
    expect(late.overdue).toBe(true);
    await auditedUpTo(stack, id, late.version);
    const { rows } = await stack.db.pool.query(
      "select e.kind, a.data from escalations e join audit_entries a on a.pathway_id = e.pathway_id and a.seq = e.seq where e.pathway_id = $1 and e.stage = 'documentation' order by e.seq",
      [id],
    );
    expect(rows.at(-1)).toEqual({ kind: 'stage-overdue', data: { dueAt, deadline: 'guardianship-petition' } });
    const { rows: projected } = await stack.db.pool.query("select overdue, due_at from pathway_stages where pathway_id = $1 and stage = 'documentation'", [id]);
    expect(projected[0]).toEqual({ overdue: true, due_at: new Date(dueAt) });
    const worklist = await call(app, stack, ACTORS.staff, { method: 'GET', url: '/v1/worklist' });
    expect(worklist.json().items.find((item: { id: string }) => item.id === id)).toMatchObject({ currentStage: 'documentation', overdue: true, overdueSince: dueAt });

    const granted = await accepted(id, ORDER, { decision: 'granted', guardian: 'institution' });
    expect(stage(granted, 'documentation')).toMatchObject({ status: 'done', details: { guardianshipOrder: 'granted', petitionDecision: 'granted' } });
    const { state: closed } = await driveOverHttp(app, stack, id);
    expect(closed.closure?.reason).toBe('completed');
    expect((closed.notes ?? []).some((n) => n.includes('guardian by law'))).toBe(false);
  });

  it('a new petition the court refuses too leaves the same two ways open', async () => {
    const { id } = await refusedInStateCare();
    await accepted(id, PETITION, { decideWithin: 'P1Y' });
    const again = await accepted(id, ORDER, { decision: 'refused', guardian: 'institution' });
    expect(stage(again, 'documentation')).toMatchObject({ blockers: [REFUSED_IN_STATE_CARE], details: { petitionDecision: 'refused' } });
    const byLaw = await accepted(id, BY_LAW, {});
    expect(stage(byLaw, 'documentation').status).toBe('done');
  });
});

describe('the guardian by law is refused', () => {
  it('for a child to be placed with a family', async () => {
    const id = await orphan();
    await driveOverHttp(app, stack, id, {
      choose: prefer({ type: ORDER, payload: { decision: 'refused', guardian: 'foster-carer' } }, { type: 'placement.choose-option', payload: { option: 'foster', householdId: 'foster-family-3' } }),
      skip: [BY_LAW, PETITION],
      until: (s) => stage(s, 'placement').details.option === 'foster' && stage(s, 'documentation').details.guardianshipOrder === 'refused',
    });
    expect(await refusal(id, BY_LAW, {})).toMatchObject({ reason: 'wrong-stage', detail: expect.stringMatching(/^The child's placement is foster, not state care/) });
    const state = await stateOver(app, stack, id);
    expect(stage(state, 'documentation').blockers).toContain(
      'the court refused the guardianship order: file a new petition, or place the child in state care, where the institution caring for it is its guardian by law',
    );
    expect(state.availableActions.map((a) => a.type)).not.toContain(BY_LAW);
  });

  it('for a child not yet placed in state care, and once an order is granted', async () => {
    const id = await orphan();
    expect(await refusal(id, BY_LAW, {})).toMatchObject({
      reason: 'missing-prerequisite',
      detail: 'The institution is the guardian by law of a child in its care: the placement in state care must be approved first.',
    });
    expect((await refusal(id, PETITION, { decideWithin: 'P90D' })).reason).toBe('missing-prerequisite');
    await accepted(id, ORDER, { decision: 'granted', guardian: 'institution' });
    for (const [type, payload] of [[BY_LAW, {}], [PETITION, { decideWithin: 'P90D' }]] as const) {
      expect(await refusal(id, type, payload)).toMatchObject({ reason: 'wrong-stage', detail: 'A guardianship order is already granted.' });
    }
  });
});
