import { setTimeout as sleep } from 'node:timers/promises';
// Issue "Real cases must be able to finish", points 3, 4, 7, 8, 9 and 10: ages, dates, clocks,
// follow-up, legal routes back and consent, driven over HTTP through availableActions only.
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { loadTemplates } from '../../config/pathways/index.js';
import { PROJECT_ROOT } from '../../config/index.js';
import { call, expectProblem, startTestApi, useApiStack } from '../helpers/api.js';
import { driveOverHttp, prefer, stateOver } from '../helpers/http-driver.js';
import { ACTORS, ARRIVAL, stage } from '../helpers/pathways.js';
import { person } from '../helpers/people.js';
import type { TestStack } from '../helpers/stack.js';

let stack: TestStack;
let app: FastifyInstance;
useApiStack((s, a) => ((stack = s), (app = a)), { clockScale: 10_000_000 });

const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
const plusDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

async function open(body: Record<string, unknown>, on: FastifyInstance = app) {
  return call(on, stack, ACTORS.coordinator, { method: 'POST', url: '/v1/pathways', payload: { arrivalDate: ARRIVAL, ...body } });
}
async function opened(body: Record<string, unknown>, on: FastifyInstance = app): Promise<string> {
  const response = await open(body, on);
  expect(response.statusCode, response.body).toBe(201);
  return response.json().id;
}
const completed = (state: { closure?: { reason: string } }) => expect(state.closure?.reason).toBe('completed');

describe('3. Ages and birth dates as the programmes know them', () => {
  it('Kyrgyzstan takes an 18-year-old (operation Meerim: ages 2 to 18), and not a 19-year-old', async () => {
    const id = await opened({ programme: 'KG', operation: 'Meerim', person: person(18, ARRIVAL, { arrivedWith: 'siblings' }) });
    const { state } = await driveOverHttp(app, stack, id);
    completed(state);
    expect(state.person.isChild).toBe(false);
    const older = await open({ programme: 'KG', operation: 'Meerim', person: person(19, ARRIVAL, { arrivedWith: 'siblings' }) });
    expect(expectProblem(older, 400, 'validation-failed').fields[0].message).toBe('programme KG takes people aged 2 to 18 on arrival; this person is 19');
  });

  it('takes a birth date known only as a year, and shows it as estimated', async () => {
    const year = String(Number(ARRIVAL.slice(0, 4)) - 8);
    const id = await opened({ programme: 'KG', operation: 'Meerim', person: { ...person(8, ARRIVAL, { arrivedWith: 'siblings' }), birthDate: year } });
    const state = await stateOver(app, stack, id);
    expect(state.notes).toContain('birth date estimated');
    expect((state as unknown as { record: { birthDate: string; birthDateEstimated: boolean } }).record).toMatchObject({ birthDate: year, birthDateEstimated: true });
    completed((await driveOverHttp(app, stack, id)).state);
  });
});

describe('4. Clocks run from the arrival date', () => {
  it('a pathway typed in 40 days after arrival shows its quarantine overdue and its minimum passed', async () => {
    const realTime = await startTestApi(stack, { ...stack.config, clockScale: 1 });
    try {
      const arrival = daysAgo(40);
      const id = await opened({ programme: 'KZ', operation: 'Rusafa', arrivalDate: arrival, person: person(30, arrival) }, realTime);
      let state = await stateOver(realTime, stack, id);
      // The pathway marks its overdue stage once its first task has run: on a busy machine that takes a while.
      for (const until = Date.now() + 30_000; Date.now() < until && !stage(state, 'quarantine').overdue; await sleep(100)) state = await stateOver(realTime, stack, id);
      const quarantine = stage(state, 'quarantine');
      expect(quarantine).toMatchObject({ overdue: true, details: { minimumPassed: true } });
      expect(quarantine.dueAt!.slice(0, 10)).toBe(plusDays(arrival, 35));
      expect(quarantine.readyAt!.slice(0, 10)).toBe(arrival);
      expect((state.notes ?? []).find((n) => n.startsWith('clocks run from the arrival'))).toBe(`clocks run from the arrival on ${arrival}; the pathway was opened on ${daysAgo(0)}`);
    } finally {
      await realTime.close();
    }
  });
});

describe('7. Follow-up from release, its length chosen by need', () => {
  it('Kazakhstan: follow-up starts at release from quarantine; six months chosen within 6 to 12', async () => {
    const id = await opened({ programme: 'KZ', operation: 'Zhusan', phase: '4', person: person(34, ARRIVAL) });
    const { state } = await driveOverHttp(app, stack, id, { choose: prefer({ type: 'follow-up.set-length', payload: { months: 6 } }) });
    completed(state);
    const followUp = stage(state, 'followUp');
    expect(followUp.details.lengthMonths).toBe(6);
    expect(followUp.readyAt).toBe(stage(state, 'quarantine').endedAt);
  });

  it('a programme without follow-up adds one with its template alone, no code', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'pathways-templates-'));
    for (const code of ['kz', 'uz', 'kg', 'tj']) {
      const template = JSON.parse(await readFile(path.join(PROJECT_ROOT, 'config', 'pathways', `${code}.json`), 'utf8'));
      if (code === 'tj') {
        template.version += 1;
        template.stages.push({ stage: 'followUp', after: ['placement', 'education'], duration: 'P6M', checkInInterval: 'P1M', source: 'assumption: a follow-up the programme decided to add' });
      }
      await writeFile(path.join(dir, `${code}.json`), JSON.stringify(template));
    }
    const withFollowUp = await startTestApi({ ...stack, templates: await loadTemplates(dir) });
    try {
      const id = await opened({ programme: 'TJ', operation: 'Iraq', person: person(9, ARRIVAL, { arrivedWith: 'orphan' }) }, withFollowUp);
      const { state, sent } = await driveOverHttp(withFollowUp, stack, id);
      completed(state);
      expect(stage(state, 'followUp').status).toBe('done');
      expect(sent).toContain('follow-up.record-check-in');
    } finally {
      await withFollowUp.close();
    }
  });
});

describe('8. A legal route back for adults', () => {
  it('Uzbekistan: probation with movement restrictions; livelihood and follow-up go on', async () => {
    const id = await opened({ programme: 'UZ', operation: 'Mehr', phase: '4', person: person(29, ARRIVAL) });
    const { state } = await driveOverHttp(app, stack, id, {
      choose: prefer(
        { type: 'security.record-outcome', payload: { outcome: 'charged' } },
        { type: 'security.record-court-decision', payload: { decision: 'probation', movementRestrictionMonths: 60 } },
      ),
    });
    completed(state);
    expect(stage(state, 'security').details).toMatchObject({ courtDecision: 'probation', movementRestrictionMonths: 60 });
    expect(stage(state, 'livelihood').status).toBe('done');
    expect(stage(state, 'followUp').status).toBe('done');
  });

  it('a pardon after a conviction brings livelihood and follow-up back', async () => {
    const id = await opened({ programme: 'KZ', operation: 'Zhusan', phase: '2', person: person(33, ARRIVAL) });
    const convicted = await driveOverHttp(app, stack, id, {
      choose: prefer({ type: 'security.record-outcome', payload: { outcome: 'charged' } }, { type: 'security.record-court-decision', payload: { decision: 'convicted' } }),
      until: (s) => stage(s, 'security').details.courtDecision === 'convicted',
      timeoutMs: 50_000,
    });
    expect(stage(convicted.state, 'livelihood').status).toBe('skipped');
    const { state } = await driveOverHttp(app, stack, id, { choose: prefer({ type: 'security.record-release', payload: { basis: 'pardon' } }), timeoutMs: 50_000 });
    completed(state);
    expect(stage(state, 'security').details.release).toBe('pardon');
    expect(stage(state, 'livelihood').status).toBe('done');
  });
});

describe('9. A baby born in quarantine grows into school age', () => {
  it('is opened with its mother, its age band moves on with time, and the assessment decides school over pre-school', async () => {
    const fast = await startTestApi(stack, { ...stack.config, clockScale: 100_000_000 });
    try {
      const arrival = daysAgo(30);
      const people = [
        { familyGroupId: 'mehr-born-1', person: person(27, arrival) },
        { familyGroupId: 'mehr-born-1', person: { ...person(0, arrival, { arrivedWith: 'mother', hasBirthCertificate: true }), birthDate: daysAgo(20) } },
      ];
      const cohort = await call(fast, stack, ACTORS.coordinator, { method: 'POST', url: '/v1/cohorts', payload: { programme: 'UZ', operation: 'Mehr', phase: '1', arrivalDate: arrival, people } });
      expect(cohort.statusCode, cohort.body).toBe(201);
      const baby = cohort.json().pathways[1].id;
      const first = await stateOver(fast, stack, baby);
      expect(first.notes).toContain('born after arrival, during quarantine');
      expect(first.person.ageBand).toBe('0-2');
      // A child who came with a certificate is not shown as "certificate issued: no".
      expect(stage(first, 'documentation').details).toMatchObject({ birthCertificateOnArrival: true });
      expect(stage(first, 'documentation').details).not.toHaveProperty('birthCertificateIssued');
      const { state } = await driveOverHttp(fast, stack, baby, {
        choose: prefer({ type: 'education.record-assessment', payload: { level: 'primary', grade: 1 } }),
        skip: ['pathway.close'],
        until: (s) => stage(s, 'education').status === 'done',
      });
      expect(state.person.ageBand).not.toBe('0-2');
      expect(stage(state, 'education').details).toMatchObject({ level: 'primary', enrolledIn: 'school' });
      completed((await driveOverHttp(fast, stack, baby)).state);
      const history = await call(fast, stack, ACTORS.supervisor, { method: 'GET', url: `/v1/pathways/${baby}/history` });
      expect(history.json().entries.map((e: { type: string }) => e.type)).toContain('person.age-band-changed');
    } finally {
      await fast.close();
    }
  });
});

describe('10. Consent and refusal', () => {
  it('an adult declines psychosocial support and the livelihood service; both are recorded and the pathway completes', async () => {
    const id = await opened({ programme: 'UZ', operation: 'Mehr', phase: '2', person: person(41, ARRIVAL) });
    const { state } = await driveOverHttp(app, stack, id, {
      choose: prefer({ type: 'psychosocial.record-declined', payload: { by: 'person' } }, { type: 'livelihood.record-declined' }),
    });
    completed(state);
    expect(stage(state, 'psychosocial').details).toMatchObject({ supportOutcome: 'declined', declinedBy: 'person' });
    expect(stage(state, 'livelihood').details).toMatchObject({ outcome: 'declined' });
  });
});
