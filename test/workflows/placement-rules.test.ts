import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTORS, act, ARRIVAL, completeStages, expectRefused, openOne, stage, stateOf } from '../helpers/pathways.js';
import { person } from '../helpers/people.js';
import { startTestStack, type TestStack } from '../helpers/stack.js';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({ clockScale: 10_000_000 });
});
afterAll(() => stack?.stop());

const { staff, coordinator, supervisor, otherSupervisor } = ACTORS;
const QUARANTINE = ['medical', 'security', 'quarantine'];

/** A child of the given programme whose quarantine (and with it medical screening) is over. */
async function childAfterQuarantine(programme: string, arrivedWith: 'mother' | 'unaccompanied' | 'orphan' | 'siblings', age = 8) {
  const id = await openOne(stack, programme, person(age, ARRIVAL, { arrivedWith }));
  await completeStages(stack.client, id, QUARANTINE);
  return id;
}

describe('documentation', () => {
  it('issues a birth certificate only after a DNA match and the court decision', async () => {
    const id = await openOne(stack, 'KG', person(5, ARRIVAL, { arrivedWith: 'unaccompanied' }));
    const certificate = { type: 'documentation.record-birth-certificate', actor: staff };
    expect(await expectRefused(stack, id, certificate)).toEqual({
      code: 'missing-prerequisite',
      message: 'A birth certificate needs a DNA result (or one recorded as not possible) first.',
      why: { code: 'birth-certificate-needs-dna' },
    });
    const court = { type: 'documentation.record-citizenship-decision', payload: { decision: 'granted' }, actor: staff };
    expect((await expectRefused(stack, id, court)).message).toMatch(/after a DNA comparison, or after one is recorded as not possible/);

    await act(stack.client, id, 'documentation.record-dna-result', { result: 'match' }, staff);
    expect((await expectRefused(stack, id, certificate)).message).toBe('A birth certificate needs the court decision granting citizenship first.');
    await act(stack.client, id, 'documentation.record-citizenship-decision', { decision: 'granted' }, staff);
    const { state } = await act(stack.client, id, 'documentation.record-birth-certificate', {}, staff);
    expect(stage(state, 'documentation').details).toMatchObject({ dnaResult: 'match', citizenshipDecision: 'granted', birthCertificateIssued: true });
  });

  it('does not ask an adult with papers for documents', async () => {
    const id = await openOne(stack, 'KZ', person(40, ARRIVAL, { hasIdentityDocument: true }));
    const refusal = await expectRefused(stack, id, { type: 'documentation.record-identity-document', payload: { kind: 'passport' }, actor: staff });
    expect(refusal).toEqual({ code: 'wrong-stage', message: 'The documentation stage is already done.', why: { code: 'stage-already-done', params: { stage: 'documentation' } } });
  });
});

describe('placement', () => {
  it('needs a guardianship order before placing a child without an available parent', async () => {
    const id = await childAfterQuarantine('KG', 'unaccompanied');
    const withMother = { type: 'placement.choose-option', payload: { option: 'mother', householdId: 'h-1' }, actor: coordinator };
    expect((await expectRefused(stack, id, withMother)).message).toBe('Programme KG offers kinship, residential, not mother.');

    await act(stack.client, id, 'placement.choose-option', { option: 'kinship', householdId: 'grandparents-1' }, coordinator);
    await act(stack.client, id, 'placement.record-home-assessment', { result: 'suitable', socioEconomic: 'needs-support' }, staff);
    await act(stack.client, id, 'placement.record-family-clearance', { result: 'cleared' }, staff);
    await act(stack.client, id, 'placement.record-family-acceptance', { accepted: true }, staff);
    const request = { type: 'placement.request-approval', actor: coordinator };
    expect(await expectRefused(stack, id, request)).toEqual({
      code: 'missing-prerequisite',
      message: 'No parent is available: placement with a family needs a guardianship order from a court first (state care does not).',
      why: { code: 'guardianship-order-first' },
    });
    await act(stack.client, id, 'documentation.record-guardianship-order', { decision: 'granted', guardian: 'relative' }, staff);
    await act(stack.client, id, 'placement.request-approval', {}, coordinator);
  });

  it('offers the mother as an option only to a child who came with her', async () => {
    const offered = async (arrivedWith: 'mother' | 'siblings') => {
      const state = await stateOf(stack.client, await childAfterQuarantine('KZ', arrivedWith));
      return state.availableActions.find((a) => a.type === 'placement.choose-option')?.choices?.option;
    };
    expect(await offered('mother')).toEqual(['mother', 'kinship', 'residential']);
    expect(await offered('siblings')).toEqual(['kinship', 'residential']);
  });

  it('needs a chosen option, a home assessment, a cleared family and a supervisor', async () => {
    const id = await childAfterQuarantine('UZ', 'mother');
    const request = { type: 'placement.request-approval', actor: coordinator };
    expect((await expectRefused(stack, id, request)).message).toBe(
      'The placement decision is incomplete: no placement option chosen.',
    );
    expect((await expectRefused(stack, id, { type: 'placement.approve', actor: supervisor })).message).toBe(
      'Nobody has requested approval of a placement decision.',
    );
    await act(stack.client, id, 'placement.choose-option', { option: 'kinship', householdId: 'uncle-home' }, coordinator);
    await act(stack.client, id, 'placement.record-home-assessment', { result: 'unsuitable', socioEconomic: 'needs-support' }, staff);
    expect((await expectRefused(stack, id, request)).message).toBe(
      'The placement decision is incomplete: the home assessment found the household unsuitable; the family has not been cleared; the family has not accepted the child yet.',
    );
    await act(stack.client, id, 'placement.choose-option', { option: 'kinship', householdId: 'aunt-home' }, coordinator);
    await act(stack.client, id, 'placement.record-home-assessment', { result: 'suitable', socioEconomic: 'adequate' }, staff);
    await act(stack.client, id, 'placement.record-family-clearance', { result: 'cleared' }, staff);
    await act(stack.client, id, 'placement.record-family-acceptance', { accepted: true }, staff);
    await act(stack.client, id, 'placement.request-approval', {}, coordinator);
    expect((await expectRefused(stack, id, { type: 'placement.approve', actor: staff })).code).toBe('wrong-role');
    const { state } = await act(stack.client, id, 'placement.approve', {}, supervisor);
    expect(stage(state, 'placement')).toMatchObject({ status: 'done', details: { option: 'kinship', householdId: 'aunt-home', approved: true } });
  });

  it('never lets a supervisor approve a decision they requested or recorded', async () => {
    const id = await childAfterQuarantine('KZ', 'mother');
    await act(stack.client, id, 'placement.choose-option', { option: 'kinship', householdId: 'home-7' }, coordinator);
    await act(stack.client, id, 'placement.record-home-assessment', { result: 'suitable', socioEconomic: 'adequate' }, supervisor);
    await act(stack.client, id, 'placement.record-family-clearance', { result: 'cleared' }, staff);
    await act(stack.client, id, 'placement.record-family-acceptance', { accepted: true }, staff);
    await act(stack.client, id, 'placement.request-approval', {}, otherSupervisor);
    for (const who of [supervisor, otherSupervisor]) {
      expect(await expectRefused(stack, id, { type: 'placement.approve', actor: who })).toEqual({
        code: 'four-eyes',
        message: 'A supervisor may not approve a decision they requested or recorded themselves.',
        why: { code: 'four-eyes-approval' },
      });
    }
    const approval = (await act(stack.client, id, 'placement.reject', { reason: 'assessment-insufficient' }, supervisor)).state.availableActions;
    expect(approval.map((a) => a.type)).toContain('placement.choose-option');
  });
});

describe('school enrolment', () => {
  it('needs an educational assessment and a completed placement', async () => {
    const id = await childAfterQuarantine('TJ', 'orphan', 10);
    const enrol = { type: 'education.enrol', payload: { institution: 'school' as const, schoolId: 'school-12', grade: 3, bullyingPrevention: true }, actor: staff };
    expect((await expectRefused(stack, id, enrol)).message).toBe('Enrolment needs an educational assessment (level and grade) first.');
    await act(stack.client, id, 'education.record-assessment', { level: 'primary', grade: 3, tutoring: true }, staff);
    expect((await expectRefused(stack, id, enrol)).message).toBe(
      'Enrolment needs a completed placement first: the school is chosen near the placement.',
    );
    await completeStages(stack.client, id, ['documentation', 'placement']);
    const kindergarten = { ...enrol, payload: { ...enrol.payload, institution: 'kindergarten' } };
    expect(await expectRefused(stack, id, kindergarten)).toEqual({ code: 'invalid-data', message: 'This child is enrolled in a school.', why: { code: 'wrong-institution', params: { institution: 'school' } } });
    const { state } = await act(stack.client, id, 'education.enrol', enrol.payload, staff);
    expect(stage(state, 'education')).toMatchObject({ status: 'done', details: { enrolledIn: 'school', grade: 3 } });
  });

  it('lets the assessment, not the age, decide between pre-school and school, and sends babies nowhere', async () => {
    const toddler = await openOne(stack, 'KG', person(4, ARRIVAL, { arrivedWith: 'siblings' }));
    const baby = await openOne(stack, 'UZ', person(1, ARRIVAL, { arrivedWith: 'mother' }));
    await completeStages(stack.client, toddler, QUARANTINE);
    const assess = { type: 'education.record-assessment', payload: { level: 'pre-school', grade: 2, tutoring: false }, actor: staff };
    expect(await expectRefused(stack, toddler, assess)).toEqual({ code: 'invalid-data', message: 'Pre-school has no grade: send grade 0.', why: { code: 'pre-school-grade-zero' } });
    const ahead = await act(stack.client, toddler, 'education.record-assessment', { level: 'primary', grade: 1, tutoring: false }, staff);
    expect(ahead.state.availableActions.find((a) => a.type === 'education.enrol')?.example ?? { institution: 'school' }).toMatchObject({ institution: 'school' });
    const { state } = await act(stack.client, baby, 'medical.record-screening', { result: 'cleared' }, staff);
    expect(stage(state, 'education').status).toBe('skipped');
  });
});
