import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTORS, act, ARRIVAL, completeStages, expectRefused, openOne, stage, stateOf, waitFor } from '../helpers/pathways.js';
import { person } from '../helpers/people.js';
import { startTestStack, type TestStack } from '../helpers/stack.js';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({ clockScale: 10_000_000 });
});
afterAll(() => stack?.stop());

const { staff, coordinator, supervisor, otherSupervisor } = ACTORS;
const QUARANTINE = ['medical', 'security', 'quarantine'];

async function place(id: string, householdId: string, approver = supervisor) {
  // With the mother: no family vetting (a relative's home assessment and clearance are for relatives).
  await act(stack.client, id, 'placement.choose-option', { option: 'mother', householdId }, coordinator);
  await act(stack.client, id, 'placement.request-approval', {}, coordinator);
  return act(stack.client, id, 'placement.approve', {}, approver);
}

describe('a family group', () => {
  it('places its children together unless a supervisor records an exception', async () => {
    const group = { familyGroupId: `fam-${randomUUID().slice(0, 8)}` };
    const mother = await openOne(stack, 'UZ', person(33, ARRIVAL), group);
    const older = await openOne(stack, 'UZ', person(9, ARRIVAL, { arrivedWith: 'mother' }), group);
    const younger = await openOne(stack, 'UZ', person(6, ARRIVAL, { arrivedWith: 'mother' }), group);

    const view = await waitFor(stack.client, younger, (s) => s.familyGroup?.members.length === 2);
    expect(view.familyGroup).toMatchObject({ id: group.familyGroupId, caregiverNeeded: false });
    expect(view.familyGroup!.members.map((m) => [m.pathwayId, m.isChild]).sort()).toEqual([[mother, false], [older, true]].sort());
    await waitFor(stack.client, mother, (s) => s.familyGroup?.members.length === 2);

    await Promise.all([completeStages(stack.client, older, QUARANTINE), completeStages(stack.client, younger, QUARANTINE)]);
    await place(older, 'home-of-mother');
    const informed = await waitFor(stack.client, younger, (s) => s.familyGroup!.members.some((m) => m.householdId === 'home-of-mother'));
    expect(informed.availableActions.find((a) => a.type === 'placement.choose-option')!.example).toEqual({ option: 'mother', householdId: 'home-of-mother' });

    const apart = { type: 'placement.choose-option', payload: { option: 'foster' as const, householdId: 'foster-family-3' }, actor: coordinator };
    expect(await expectRefused(stack, younger, apart)).toEqual({
      code: 'group-rule',
      message: 'Siblings of this family group are placed in household home-of-mother: place the child there, or a supervisor must record a separation exception.',
      why: { code: 'siblings-placed-elsewhere', params: { households: ['home-of-mother'] } },
    });
    await act(stack.client, younger, 'placement.record-separation-exception', { reason: 'specialist-care' }, otherSupervisor);
    await act(stack.client, younger, 'placement.choose-option', apart.payload, coordinator);
    await act(stack.client, younger, 'placement.record-home-assessment', { result: 'suitable', socioEconomic: 'adequate' }, staff);
    await act(stack.client, younger, 'placement.record-family-clearance', { result: 'cleared' }, staff);
    await act(stack.client, younger, 'placement.record-family-acceptance', { accepted: true }, staff);
    await act(stack.client, younger, 'placement.request-approval', {}, coordinator);
    expect((await expectRefused(stack, younger, { type: 'placement.approve', actor: otherSupervisor })).code).toBe('four-eyes');
    const { state } = await act(stack.client, younger, 'placement.approve', {}, supervisor);
    expect(stage(state, 'placement').details).toMatchObject({ householdId: 'foster-family-3', separationException: 'specialist-care' });
  });

  it('takes a charged adult off the ordinary track and flags the children for another caregiver', async () => {
    const group = { familyGroupId: `fam-${randomUUID().slice(0, 8)}` };
    const mother = await openOne(stack, 'KZ', person(29, ARRIVAL), group);
    const child = await openOne(stack, 'KZ', person(8, ARRIVAL, { arrivedWith: 'mother' }), group);
    await waitFor(stack.client, mother, (s) => s.familyGroup?.members.length === 1);

    const { state } = await act(stack.client, mother, 'security.record-outcome', { outcome: 'charged', movementRestrictionMonths: 60 }, staff);
    expect(state.status).toBe('legal-proceedings');
    expect(stage(state, 'livelihood').status).toBe('skipped');
    expect(stage(state, 'followUp').status).toBe('skipped');
    expect((await expectRefused(stack, mother, { type: 'livelihood.record-plan', payload: { track: 'employment', housingSupport: false }, actor: staff })).message).toBe(
      'The livelihood stage does not apply to this pathway.',
    );
    expect((await expectRefused(stack, mother, { type: 'pathway.close', payload: { reason: 'completed' }, actor: supervisor })).message).toBe(
      'A person in legal proceedings cannot complete the pathway: close it as transferred.',
    );

    const flagged = await waitFor(stack.client, child, (s) => s.familyGroup!.caregiverNeeded);
    expect(stage(flagged, 'documentation').blockers).toContain('waiting for a guardianship order (no parent is available)');
    const late = await openOne(stack, 'KZ', person(3, ARRIVAL, { arrivedWith: 'mother' }), group);
    await waitFor(stack.client, late, (s) => s.familyGroup!.caregiverNeeded);

    await completeStages(stack.client, child, QUARANTINE);
    const withMother = { type: 'placement.choose-option', payload: { option: 'mother', householdId: 'home-1' }, actor: coordinator };
    expect(await expectRefused(stack, child, withMother)).toEqual({
      code: 'missing-prerequisite',
      message: 'The mother is not available to care for the child: choose another option.',
      why: { code: 'mother-not-available' },
    });

    await act(stack.client, mother, 'security.record-court-decision', { decision: 'acquitted' }, staff);
    expect((await stateOf(stack.client, mother)).status).toBe('active');
    await waitFor(stack.client, child, (s) => !s.familyGroup!.caregiverNeeded);
  });
});
