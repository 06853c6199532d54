import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTORS, act, ARRIVAL, expectRefused, openOne, stage, stateOf, waitFor } from '../helpers/pathways.js';
import { person } from '../helpers/people.js';
import { startTestStack, type TestStack } from '../helpers/stack.js';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({ clockScale: 10_000_000 });
});
afterAll(() => stack?.stop());

const release = { type: 'quarantine.release', actor: ACTORS.staff };
const cleared = { result: 'cleared' } as const;

describe('quarantine', () => {
  it('does not end before its minimum duration, even when everything else is done', async () => {
    const id = await openOne(stack, 'KZ', person(31, ARRIVAL), {}, { clockScale: 1 });
    await act(stack.client, id, 'medical.record-screening', cleared, ACTORS.staff);
    await act(stack.client, id, 'security.record-outcome', { outcome: 'cleared' }, ACTORS.staff);
    const refusal = await expectRefused(stack, id, release);
    expect(refusal.code).toBe('missing-prerequisite');
    expect(refusal.message).toMatch(/^Quarantine cannot end yet: the minimum quarantine of P30D has not passed \(until .+\)\.$/);
    expect(stage(await stateOf(stack.client, id), 'quarantine').status).toBe('active');
  });

  it('does not end until medical screening has cleared the person', async () => {
    const id = await openOne(stack, 'KG', person(9, ARRIVAL, { arrivedWith: 'unaccompanied' }));
    await waitFor(stack.client, id, (s) => stage(s, 'quarantine').details.minimumPassed === true);
    const refusal = await expectRefused(stack, id, release);
    expect(refusal).toEqual({
      code: 'missing-prerequisite',
      message: 'Quarantine cannot end yet: medical screening has not cleared the person.',
      why: { code: 'quarantine-cannot-end', params: { blockers: ['medical screening has not cleared the person'] } },
    });
    await act(stack.client, id, 'medical.record-screening', { result: 'treatment-needed' }, ACTORS.staff);
    expect((await expectRefused(stack, id, release)).message).toContain('medical screening has not cleared the person');
  });

  it('is held open by a hospital referral until the discharge', async () => {
    const id = await openOne(stack, 'TJ', person(4, ARRIVAL, { arrivedWith: 'orphan' }));
    await waitFor(stack.client, id, (s) => stage(s, 'quarantine').details.minimumPassed === true);
    await act(stack.client, id, 'medical.record-screening', cleared, ACTORS.staff);
    await act(stack.client, id, 'medical.refer-to-hospital', { reason: 'malnutrition' }, ACTORS.staff);

    expect((await expectRefused(stack, id, release)).message).toBe(
      'Quarantine cannot end yet: the person is in hospital: record the discharge first.',
    );
    const clearing = await expectRefused(stack, id, { type: 'medical.record-screening', payload: cleared, actor: ACTORS.staff });
    expect(clearing).toEqual({ code: 'missing-prerequisite', message: 'The person is in hospital: record the discharge first.', why: { code: 'in-hospital-discharge-first' } });

    await act(stack.client, id, 'medical.record-discharge', {}, ACTORS.staff);
    const { state } = await act(stack.client, id, 'quarantine.release', {}, ACTORS.staff);
    expect(stage(state, 'quarantine').status).toBe('done');
    expect(stage(state, 'medical').details).toEqual({ result: 'cleared', inHospital: false, referrals: 1 });
  });

  it('does not end for an adult until security screening has an outcome', async () => {
    const id = await openOne(stack, 'UZ', person(26, ARRIVAL));
    await waitFor(stack.client, id, (s) => stage(s, 'quarantine').details.minimumPassed === true);
    await act(stack.client, id, 'medical.record-screening', cleared, ACTORS.staff);
    const refusal = await expectRefused(stack, id, release);
    expect(refusal.message).toBe('Quarantine cannot end yet: security screening has no outcome yet.');
    await act(stack.client, id, 'security.record-outcome', { outcome: 'cleared', movementRestrictionMonths: 12 }, ACTORS.staff);
    const { state } = await act(stack.client, id, 'quarantine.release', {}, ACTORS.staff);
    expect(stage(state, 'quarantine').status).toBe('done');
    expect(stage(state, 'security').details).toEqual({ outcome: 'cleared', movementRestrictionMonths: 12 });
  });

  it('shows children no security stage and lists why later stages cannot start', async () => {
    const id = await openOne(stack, 'KZ', person(7, ARRIVAL), {}, { clockScale: 1 });
    const state = await stateOf(stack.client, id);
    expect(stage(state, 'security').status).toBe('skipped');
    expect(stage(state, 'livelihood').status).toBe('skipped');
    expect(stage(state, 'education')).toMatchObject({ status: 'blocked', blockers: ['waiting for quarantine to be done'] });
    const assessment = { level: 'primary', grade: 1, tutoring: false };
    const refusal = await expectRefused(stack, id, { type: 'education.record-assessment', payload: assessment, actor: ACTORS.staff });
    expect(refusal).toEqual({
      code: 'wrong-stage',
      message: 'The education stage cannot start yet: waiting for quarantine to be done.',
      why: { code: 'stage-not-started', params: { stage: 'education', blockers: ['waiting for quarantine to be done'] } },
    });
  });
});
