import { execFileSync } from 'node:child_process';
import { access, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../config/index.js';
import { openPathways } from '../../src/pathways/open.js';
import { workflowIdOf } from '../../src/domain/model.js';
import type { PersonRecord } from '../../src/domain/open.js';
import { findTemporalCli } from '../../src/temporal/cli.js';
import { pathwayRuns } from '../helpers/history.js';
import { act, ACTORS, ARRIVAL, completeStages, driveToClosure, openDeps, waitFor } from '../helpers/pathways.js';
import { person } from '../helpers/people.js';
import { startTestStack, type TestStack } from '../helpers/stack.js';

const DIR = path.join(PROJECT_ROOT, 'test', 'histories');

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({ clockScale: 10_000_000 });
});
afterAll(() => stack?.stop());

const FAMILIES = {
  KZ: [person(29, ARRIVAL), person(9, ARRIVAL, { arrivedWith: 'mother' })],
  UZ: [person(34, ARRIVAL, { hasIdentityDocument: true }), person(12, ARRIVAL, { arrivedWith: 'mother', hasBirthCertificate: true })],
  KG: [person(8, ARRIVAL, { arrivedWith: 'siblings' }), person(6, ARRIVAL, { arrivedWith: 'siblings' })],
  TJ: [person(11, ARRIVAL, { arrivedWith: 'orphan' })],
};

/** The history in the JSON form the Temporal CLI writes and the replayer reads. */
async function historyJson(pathwayId: string, runId: string): Promise<string> {
  const cli = await findTemporalCli({ toolsDir: path.join(PROJECT_ROOT, '.tools'), logger: stack.logger });
  const { address, namespace } = stack.config.temporal;
  const args = ['workflow', 'show', '--workflow-id', workflowIdOf(pathwayId), '--run-id', runId, '--output', 'json'];
  const json = execFileSync(cli, [...args, '--address', address!, '--namespace', namespace], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return JSON.stringify(JSON.parse(json));
}

/** Saves every run of a pathway; a history already recorded is kept as it is (older code's runs stay evidence). */
async function save(id: string, name: string) {
  for (const [run, { runId }] of (await pathwayRuns(stack.client, id)).entries()) {
    const file = path.join(DIR, `${name}-run${run + 1}.json`);
    if (await access(file).then(() => true, () => false)) continue;
    await writeFile(file, await historyJson(id, runId));
  }
}

/**
 * The newest change to the commands a pathway issues (here: the changes of `workflows/changes.ts`
 * known from the input's `workflowVersion`, so no patch markers; before it, `steady-timer`: one
 * timer for the deadlines). Histories recorded before it keep their names; the families are
 * recorded again under this one.
 */
const GENERATION = 'v1';

it('records one family per programme, every run of every pathway', async () => {
  for (const [programme, people] of Object.entries(FAMILIES)) {
    const requests = people.map((who) => ({
      request: { programme, operation: stack.templates.get(programme)!.operations[0]!.name, arrivalDate: ARRIVAL, familyGroupId: `recorded-${programme}`, person: who },
      fieldPrefix: '',
    }));
    const opened = await openPathways(openDeps(stack), ACTORS.coordinator, requests);
    await Promise.all(opened.map(({ id }) => driveToClosure(stack.client, id, 120_000)));
    for (const [member, { id }] of opened.entries()) {
      await save(id, `${programme.toLowerCase()}-${GENERATION}-${people[member]!.arrivedWith === 'adult' ? 'adult' : `child${member}`}`);
    }
  }
  expect(true).toBe(true);
});

/** The routes the real cases added (rules 2), each recorded once. */
const CASES: { name: string; programme: string; who: PersonRecord; prefer?: { type: string; payload: Record<string, unknown> }[] }[] = [
  { name: 'tj-r2-state-care', programme: 'TJ', who: person(10, ARRIVAL, { arrivedWith: 'orphan' }) },
  { name: 'uz-r2-no-dna', programme: 'UZ', who: person(7, ARRIVAL, { arrivedWith: 'orphan' }), prefer: [{ type: 'documentation.record-dna-result', payload: { result: 'not-possible', notPossibleBecause: 'orphan' } }] },
  { name: 'uz-r2-probation', programme: 'UZ', who: person(30, ARRIVAL), prefer: [{ type: 'security.record-outcome', payload: { outcome: 'charged' } }, { type: 'security.record-court-decision', payload: { decision: 'probation', movementRestrictionMonths: 24 } }] },
  { name: 'kz-r2-pardon', programme: 'KZ', who: person(35, ARRIVAL), prefer: [{ type: 'security.record-outcome', payload: { outcome: 'charged' } }, { type: 'security.record-court-decision', payload: { decision: 'convicted' } }, { type: 'security.record-release', payload: { basis: 'pardon' } }, { type: 'follow-up.set-length', payload: { months: 6 } }] },
  { name: 'kz-r2-care', programme: 'KZ', who: person(9, ARRIVAL, { arrivedWith: 'mother', hasBirthCertificate: true }), prefer: [{ type: 'care.refer', payload: { needs: ['amputation'] } }] },
  { name: 'kg-r2-family-declines', programme: 'KG', who: person(9, ARRIVAL, { arrivedWith: 'siblings' }), prefer: [{ type: 'placement.record-family-acceptance', payload: { accepted: false } }] },
  // Recorded with the steady timer: routes of the real cases that had no recording yet.
  { name: 'uz-r3-residential', programme: 'UZ', who: person(8, ARRIVAL, { arrivedWith: 'unaccompanied' }), prefer: [{ type: 'placement.choose-option', payload: { option: 'residential' } }] },
  { name: 'tj-r3-foster', programme: 'TJ', who: person(12, ARRIVAL, { arrivedWith: 'orphan' }), prefer: [{ type: 'placement.choose-option', payload: { option: 'foster', householdId: 'foster-family-7' } }] },
  { name: 'uz-r3-declines', programme: 'UZ', who: person(41, ARRIVAL), prefer: [{ type: 'psychosocial.record-declined', payload: { by: 'person' } }, { type: 'livelihood.record-declined', payload: {} }] },
  { name: 'uz-r3-dna-inconclusive', programme: 'UZ', who: person(7, ARRIVAL, { arrivedWith: 'mother' }), prefer: [{ type: 'documentation.record-dna-result', payload: { result: 'inconclusive' } }] },
];

it('records the routes the real cases added', async () => {
  for (const { name, programme, who, prefer } of CASES) {
    const request = { programme, operation: stack.templates.get(programme)!.operations[0]!.name, arrivalDate: ARRIVAL, person: who };
    const [opened] = await openPathways(openDeps(stack), ACTORS.coordinator, [{ request, fieldPrefix: '' }]);
    await driveToClosure(stack.client, opened!.id, 120_000, prefer);
    await save(opened!.id, name);
  }
  expect(true).toBe(true);
});

/**
 * Work across organisations (recorded once): a referral unanswered past its deadline (the timer),
 * withdrawn; a stage assigned; a correction; then a transfer accepted, which opens the new pathway
 * from an activity and closes this one.
 */
it('records a pathway that works with other organisations and is transferred', async () => {
  const file = path.join(DIR, 'kz-r4-agencies-run1.json');
  if (await access(file).then(() => true, () => false)) return;
  const pravo = { id: 'coordinator-pia', role: 'coordinator', org: 'pravo' } as const;
  const request = { programme: 'KZ', operation: 'Zhusan', arrivalDate: ARRIVAL, person: person(30, ARRIVAL, { sex: 'female' }) };
  const [opened] = await openPathways(openDeps(stack, { clockScale: 36_000 }), ACTORS.coordinator, [{ request, fieldPrefix: '' }]);
  const id = opened!.id;
  const referred = await act(stack.client, id, 'referral.create', { stage: 'psychosocial', to: 'pravo', reason: 'psychosocial-support', consent: { by: 'person' }, respondWithin: 'PT1H' }, ACTORS.staff);
  const referral = referred.state.referrals![0]!.id;
  await waitFor(stack.client, id, (s) => s.referrals![0]!.escalatedAt !== undefined);
  await act(stack.client, id, 'referral.withdraw', { referral }, ACTORS.supervisor);
  await act(stack.client, id, 'pathway.assign', { assignee: ACTORS.staff.id, org: 'mlsp', stage: 'medical' }, ACTORS.coordinator);
  const assessed = await act(stack.client, id, 'psychosocial.record-assessment', { psychological: 'low', social: 'low' }, ACTORS.staff);
  await act(stack.client, id, 'correction', { entry: assessed.version, version: assessed.version, payload: { psychological: 'high', social: 'low' }, reason: 'recording-error' }, ACTORS.supervisor);
  await act(stack.client, id, 'transfer.request', { to: 'pravo' }, ACTORS.supervisor);
  await act(stack.client, id, 'transfer.accept', {}, pravo);
  await waitFor(stack.client, id, (s) => s.status === 'closed');
  await save(id, 'kz-r4-agencies');
  expect(true).toBe(true);
});

/**
 * A transfer under workflow version 2 (recorded once): an activity checks the receiving programme
 * takes the person, the pathway starts the new one itself and closes; the new one writes its own
 * row before its first entry.
 */
it('records a transfer that starts the continuing pathway itself, and that pathway', async () => {
  const file = path.join(DIR, 'kz-v2-transfer-run1.json');
  if (await access(file).then(() => true, () => false)) return;
  const pravo = { id: 'coordinator-pia', role: 'coordinator', org: 'pravo' } as const;
  const request = { programme: 'KZ', operation: 'Zhusan', phase: '2', arrivalDate: ARRIVAL, person: person(30, ARRIVAL, { sex: 'female' }) };
  const [opened] = await openPathways(openDeps(stack), ACTORS.coordinator, [{ request, fieldPrefix: '' }]);
  const id = opened!.id;
  await act(stack.client, id, 'psychosocial.record-assessment', { psychological: 'low', social: 'low' }, ACTORS.staff);
  await act(stack.client, id, 'transfer.request', { to: 'pravo', operation: 'Zhusan', phase: '3' }, ACTORS.supervisor);
  await act(stack.client, id, 'transfer.accept', {}, pravo);
  const closed = await waitFor(stack.client, id, (s) => s.status === 'closed');
  const next = closed.transfer!.newPathwayId!;
  await waitFor(stack.client, next, (s) => s.version >= 1);
  await save(id, 'kz-v2-transfer');
  await save(next, 'kz-v2-transferred');
  expect(true).toBe(true);
});

/**
 * A refused guardianship order (recorded once): a new petition whose deadline passes (the timer),
 * refused too; then the institution caring for the child in state care is its guardian by law.
 */
it('records a child whose guardianship order the court refuses', async () => {
  const file = path.join(DIR, 'tj-r5-guardianship-run1.json');
  if (await access(file).then(() => true, () => false)) return;
  const request = { programme: 'TJ', operation: 'Iraq', arrivalDate: ARRIVAL, person: person(10, ARRIVAL, { arrivedWith: 'orphan' }) };
  // A template day in 0.86 s: the petition's week passes long before the stage's own target.
  const [opened] = await openPathways(openDeps(stack, { clockScale: 100_000 }), ACTORS.coordinator, [{ request, fieldPrefix: '' }]);
  const id = opened!.id;
  const refused = { decision: 'refused', guardian: 'institution' } as const;
  await act(stack.client, id, 'documentation.record-guardianship-order', refused, ACTORS.staff);
  await act(stack.client, id, 'documentation.file-guardianship-petition', { decideWithin: 'P7D' }, ACTORS.staff);
  await waitFor(stack.client, id, (s) => s.stages.find((st) => st.stage === 'documentation')!.overdue);
  await act(stack.client, id, 'documentation.record-guardianship-order', refused, ACTORS.staff);
  await completeStages(stack.client, id, ['quarantine', 'medical', 'psychosocial', 'placement', 'education'], 90_000);
  await act(stack.client, id, 'documentation.record-guardian-by-law', {}, ACTORS.staff);
  await driveToClosure(stack.client, id, 120_000);
  await save(id, 'tj-r5-guardianship');
  expect(true).toBe(true);
});

/** A supervisor hides a person's name from lists and another shows it again (recorded once); the pathway then runs to its end. */
it('records a pathway whose name is hidden and shown again', async () => {
  const file = path.join(DIR, 'kz-r6-hidden-name-run1.json');
  if (await access(file).then(() => true, () => false)) return;
  const request = { programme: 'KZ', operation: 'Zhusan', arrivalDate: ARRIVAL, person: person(31, ARRIVAL, { sex: 'female' }) };
  const [opened] = await openPathways(openDeps(stack), ACTORS.coordinator, [{ request, fieldPrefix: '' }]);
  const id = opened!.id;
  await act(stack.client, id, 'pathway.hide-name', { hidden: true }, ACTORS.supervisor);
  await act(stack.client, id, 'pathway.hide-name', { hidden: false }, ACTORS.otherSupervisor);
  await act(stack.client, id, 'pathway.hide-name', { hidden: true }, ACTORS.supervisor);
  await driveToClosure(stack.client, id, 120_000);
  await save(id, 'kz-r6-hidden-name');
  expect(true).toBe(true);
});

/**
 * Closing early before `early-close-approved` (recorded once, by the code of workflow version 2,
 * where a withdrawal closed the pathway at once): its replay takes the old side of the change.
 */
it('records a pathway closed early at once, as workflow version 2 did', async () => {
  const file = path.join(DIR, 'kz-v2-early-close-run1.json');
  if (await access(file).then(() => true, () => false)) return;
  const request = { programme: 'KZ', operation: 'Zhusan', arrivalDate: ARRIVAL, person: person(32, ARRIVAL, { sex: 'female' }) };
  const [opened] = await openPathways(openDeps(stack), ACTORS.coordinator, [{ request, fieldPrefix: '' }]);
  const id = opened!.id;
  await act(stack.client, id, 'psychosocial.record-assessment', { psychological: 'low', social: 'low' }, ACTORS.staff);
  const { state } = await act(stack.client, id, 'pathway.close', { reason: 'withdrawn' }, ACTORS.supervisor);
  if (state.status !== 'closed') throw new Error('only the code before early-close-approved closes early at once: record this with it');
  await save(id, 'kz-v2-early-close');
  expect(true).toBe(true);
});

/** Closing early under workflow version 3 (recorded once): asked, rejected, asked again, approved by a second supervisor. */
it('records a pathway closed early with a second supervisor', async () => {
  const file = path.join(DIR, 'kz-v3-early-close-run1.json');
  if (await access(file).then(() => true, () => false)) return;
  const request = { programme: 'KZ', operation: 'Zhusan', arrivalDate: ARRIVAL, person: person(33, ARRIVAL, { sex: 'female' }) };
  const [opened] = await openPathways(openDeps(stack), ACTORS.coordinator, [{ request, fieldPrefix: '' }]);
  const id = opened!.id;
  await act(stack.client, id, 'psychosocial.record-assessment', { psychological: 'low', social: 'low' }, ACTORS.staff);
  await act(stack.client, id, 'pathway.close', { reason: 'withdrawn' }, ACTORS.supervisor);
  await act(stack.client, id, 'pathway.close-reject', {}, ACTORS.otherSupervisor);
  const asked = await act(stack.client, id, 'pathway.close', { reason: 'deceased' }, ACTORS.supervisor);
  expect(asked.state.closeRequest).toMatchObject({ reason: 'deceased' });
  await act(stack.client, id, 'pathway.close-approve', {}, ACTORS.otherSupervisor);
  await waitFor(stack.client, id, (s) => s.status === 'closed');
  await save(id, 'kz-v3-early-close');
  expect(true).toBe(true);
});

/**
 * Reminders under workflow version 4 (recorded once): stages come due soon, go overdue and are
 * escalated to supervisors by the pathway's own timer; one stage is done before its reminder.
 * Then two supervisors close it early.
 */
it('records a pathway whose stages are reminded, overdue and escalated', async () => {
  const file = path.join(DIR, 'uz-v4-reminders-run1.json');
  if (await access(file).then(() => true, () => false)) return;
  const request = { programme: 'UZ', operation: 'Mehr', arrivalDate: ARRIVAL, person: person(37, ARRIVAL, { sex: 'female' }) };
  // A template day in 288 ms: the 21-day stages come due in six seconds.
  const [opened] = await openPathways(openDeps(stack, { clockScale: 300_000 }), ACTORS.coordinator, [{ request, fieldPrefix: '' }]);
  const id = opened!.id;
  await act(stack.client, id, 'security.record-outcome', { outcome: 'cleared' }, ACTORS.staff);
  const told = async (type: string, stage: string) => {
    const { rows } = await stack.db.pool.query('select 1 from audit_entries where pathway_id = $1 and type = $2 and stage = $3', [id, type, stage]);
    return rows.length > 0;
  };
  for (const stage of ['medical', 'quarantine']) {
    const deadline = Date.now() + 60_000;
    while (!(await told('stage.overdue-escalated', stage))) {
      if (Date.now() > deadline) throw new Error(`${stage} not escalated in time`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  for (const [type, stage] of [['stage.due-soon', 'quarantine'], ['stage.overdue', 'quarantine']] as const) expect(await told(type, stage)).toBe(true);
  await act(stack.client, id, 'pathway.close', { reason: 'withdrawn' }, ACTORS.supervisor);
  await act(stack.client, id, 'pathway.close-approve', {}, ACTORS.otherSupervisor);
  await waitFor(stack.client, id, (s) => s.status === 'closed');
  await save(id, 'uz-v4-reminders');
  expect(true).toBe(true);
});

/**
 * A mother and her child opened together with `openedAt` in their inputs (recorded once): their
 * opening steps take the time the API opened them at, so the API answered with their first state.
 */
it('records a family opened at the time the API gives', async () => {
  const files = ['kz-opened-at-adult-run1.json', 'kz-opened-at-child-run1.json'].map((name) => path.join(DIR, name));
  if ((await Promise.all(files.map((file) => access(file).then(() => true, () => false)))).every(Boolean)) return;
  const requests = [person(31, ARRIVAL, { sex: 'female' }), person(7, ARRIVAL, { arrivedWith: 'mother' })].map((who) => ({
    request: { programme: 'KZ', operation: 'Zhusan', arrivalDate: ARRIVAL, familyGroupId: 'recorded-opened-at', person: who },
    fieldPrefix: '',
  }));
  const opened = await openPathways(openDeps(stack), ACTORS.coordinator, requests, { cohort: true });
  for (const [i, { id }] of opened.entries()) {
    await driveToClosure(stack.client, id, 120_000);
    await save(id, i === 0 ? 'kz-opened-at-adult' : 'kz-opened-at-child');
  }
  expect(opened).toHaveLength(2);
});

/**
 * A mother and her child whose opening the API wrote in its own transaction (workflow version 6,
 * `opening-written`, recorded once): their workflows take the same steps and write nothing for them.
 */
it('records a family whose opening the API wrote', async () => {
  const files = ['kz-opening-written-adult-run1.json', 'kz-opening-written-child-run1.json'].map((name) => path.join(DIR, name));
  if ((await Promise.all(files.map((file) => access(file).then(() => true, () => false)))).every(Boolean)) return;
  const requests = [person(32, ARRIVAL, { sex: 'female' }), person(5, ARRIVAL, { arrivedWith: 'mother' })].map((who) => ({
    request: { programme: 'KZ', operation: 'Zhusan', arrivalDate: ARRIVAL, familyGroupId: 'recorded-opening-written', person: who },
    fieldPrefix: '',
  }));
  const opened = await openPathways(openDeps(stack), ACTORS.coordinator, requests, { cohort: true });
  for (const [i, { id }] of opened.entries()) {
    await driveToClosure(stack.client, id, 120_000);
    await save(id, i === 0 ? 'kz-opening-written-adult' : 'kz-opening-written-child');
  }
  expect(opened).toHaveLength(2);
});
