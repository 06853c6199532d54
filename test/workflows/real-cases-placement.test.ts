// Issue "Real cases must be able to finish", points 1, 2, 5, 6 and 10: children's cases the field
// report (seed 004) describes, driven over HTTP through availableActions only.
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { call, useApiStack } from '../helpers/api.js';
import { driveOverHttp, prefer } from '../helpers/http-driver.js';
import { ACTORS, ARRIVAL, stage } from '../helpers/pathways.js';
import { person } from '../helpers/people.js';
import type { TestStack } from '../helpers/stack.js';

let stack: TestStack;
let app: FastifyInstance;
useApiStack((s, a) => ((stack = s), (app = a)), { clockScale: 10_000_000 });

async function open(body: Record<string, unknown>): Promise<string> {
  const response = await call(app, stack, ACTORS.coordinator, { method: 'POST', url: '/v1/pathways', payload: { arrivalDate: ARRIVAL, ...body } });
  expect(response.statusCode, response.body).toBe(201);
  return response.json().id;
}

const completed = (state: { closure?: { reason: string } }) => expect(state.closure?.reason).toBe('completed');

describe('1. Tajikistan: placement without a guardianship order', () => {
  it('places the child in state care while the order is pending, enrols it, and completes once the order comes', async () => {
    const id = await open({ programme: 'TJ', operation: 'Iraq', person: person(10, ARRIVAL, { arrivedWith: 'orphan' }) });
    const { state } = await driveOverHttp(app, stack, id, {
      skip: ['documentation.record-guardianship-order'],
      until: (s) => stage(s, 'education').status === 'done',
    });
    expect(stage(state, 'placement')).toMatchObject({ status: 'done', details: { option: 'residential', approved: true } });
    expect(state.notes).toContain('placement: placed in state care; guardianship order pending');
    expect(stage(state, 'documentation').blockers).toContain('waiting for a guardianship order (no parent is available)');
    const early = await call(app, stack, ACTORS.supervisor, { method: 'POST', url: `/v1/pathways/${id}/actions`, payload: { type: 'pathway.close', payload: { reason: 'completed' } } });
    expect(early.statusCode, 'not completed while the order is pending').toBe(409);
    const { state: closed } = await driveOverHttp(app, stack, id);
    completed(closed);
    expect(closed.notes).not.toContain('placement: placed in state care; guardianship order pending');
  });
});

describe('2. No DNA match with the mother', () => {
  it.each([
    ['an orphan: no comparison possible', { result: 'not-possible', notPossibleBecause: 'orphan' }],
    ['a result that does not match', { result: 'no-match' }],
  ])('%s: a court decides on other evidence and the birth certificate is issued', async (_case, dna) => {
    const id = await open({ programme: 'UZ', operation: 'Mehr', phase: '1', person: person(6, ARRIVAL, { arrivedWith: 'orphan' }) });
    const { state } = await driveOverHttp(app, stack, id, { choose: prefer({ type: 'documentation.record-dna-result', payload: dna }) });
    completed(state);
    expect(stage(state, 'documentation').details).toMatchObject({ dnaResult: dna.result, citizenshipBasis: 'other-evidence', birthCertificateIssued: true });
    expect(state.notes).toContain('documentation: citizenship decided by a court on other evidence (no DNA match)');
  });
});

describe('5. Placement prepared before the end of quarantine', () => {
  it('counts vetting done before arrival and during quarantine; the hand-over waits for release', async () => {
    const id = await open({ programme: 'KG', operation: 'Meerim', person: person(9, ARRIVAL, { arrivedWith: 'siblings' }) });
    const vetted = { vettedBeforeArrival: true };
    const during = await driveOverHttp(app, stack, id, {
      choose: prefer({ type: 'placement.record-home-assessment', payload: vetted }, { type: 'placement.record-family-clearance', payload: vetted }),
      skip: ['quarantine.release'],
      until: (s) => stage(s, 'placement').details.approvalRequested === true,
    });
    expect(stage(during.state, 'quarantine').status).toBe('active');
    expect(stage(during.state, 'placement').details).toMatchObject({ option: 'kinship', vettedBeforeArrival: true, familyAcceptance: 'accepted', approved: false });
    expect(stage(during.state, 'placement').blockers).toEqual(['waiting for the end of quarantine, then a supervisor']);
    const supervisorView = await call(app, stack, ACTORS.supervisor, { method: 'GET', url: `/v1/pathways/${id}` });
    expect(supervisorView.json().availableActions.map((a: { type: string }) => a.type)).not.toContain('placement.approve');
    const { state } = await driveOverHttp(app, stack, id);
    completed(state);
    expect(Date.parse(stage(state, 'placement').endedAt!)).toBeGreaterThanOrEqual(Date.parse(stage(state, 'quarantine').endedAt!));
  });
});

describe('6. Placement options the programmes offer', () => {
  it('Uzbekistan places a child without a vetted family in residential care, with no family vetting asked for', async () => {
    const id = await open({ programme: 'UZ', operation: 'Mehr', phase: '2', person: person(8, ARRIVAL, { arrivedWith: 'unaccompanied' }) });
    const { state, sent } = await driveOverHttp(app, stack, id, { choose: prefer({ type: 'placement.choose-option', payload: { option: 'residential' } }) });
    completed(state);
    expect(stage(state, 'placement').details).toMatchObject({ option: 'residential', approved: true });
    expect(sent).not.toContain('placement.record-home-assessment');
    expect(sent).not.toContain('placement.record-family-clearance');
  });

  it('Tajikistan places a child with a foster family after assessment, clearance, its acceptance and a guardianship order', async () => {
    const id = await open({ programme: 'TJ', operation: 'Iraq', person: person(12, ARRIVAL, { arrivedWith: 'orphan' }) });
    const { state, sent } = await driveOverHttp(app, stack, id, {
      choose: prefer({ type: 'placement.choose-option', payload: { option: 'foster', householdId: 'foster-family-7' } }),
    });
    completed(state);
    expect(stage(state, 'placement').details).toMatchObject({ option: 'foster', homeAssessment: 'suitable', familyClearance: 'cleared', familyAcceptance: 'accepted' });
    expect(sent.indexOf('documentation.record-guardianship-order')).toBeLessThan(sent.indexOf('placement.approve'));
  });

  it('places a child with its mother without vetting the mother as if she were a relative', async () => {
    const id = await open({ programme: 'UZ', operation: 'Mehr', phase: '3', person: person(5, ARRIVAL, { arrivedWith: 'mother', hasBirthCertificate: true }) });
    const { state, sent } = await driveOverHttp(app, stack, id);
    completed(state);
    expect(stage(state, 'placement').details).toMatchObject({ option: 'mother', approved: true });
    expect(sent).not.toContain('placement.record-home-assessment');
  });
});

describe('10. Consent, refusal and continuing care', () => {
  it('a family that declines the child is recorded, and another household is found', async () => {
    const id = await open({ programme: 'KG', operation: 'Meerim', person: person(11, ARRIVAL, { arrivedWith: 'siblings' }) });
    const { state, sent } = await driveOverHttp(app, stack, id, {
      choose: prefer(
        { type: 'placement.choose-option', payload: { option: 'kinship', householdId: 'household-uncle' } },
        { type: 'placement.record-family-acceptance', payload: { accepted: false } },
        { type: 'placement.choose-option', payload: { option: 'kinship', householdId: 'household-aunt' } },
      ),
    });
    completed(state);
    expect(sent.filter((t) => t === 'placement.choose-option')).toHaveLength(2);
    expect(stage(state, 'placement').details).toMatchObject({ householdId: 'household-aunt', familyAcceptance: 'accepted', approved: true });
  });

  it('continuing care after quarantine: referred during screening, reviewed, completed', async () => {
    const id = await open({ programme: 'KZ', operation: 'Rusafa', person: person(9, ARRIVAL, { arrivedWith: 'mother', hasBirthCertificate: true }) });
    const { state } = await driveOverHttp(app, stack, id, { choose: prefer({ type: 'care.refer', payload: { needs: ['amputation', 'learning-delay'] } }) });
    completed(state);
    expect(stage(state, 'care')).toMatchObject({ status: 'done', details: { needs: ['amputation', 'learning-delay'], reviews: 1, outcome: 'stable' } });
    expect(Date.parse(stage(state, 'care').startedAt!)).toBeGreaterThanOrEqual(Date.parse(stage(state, 'quarantine').endedAt!));
  });
});
