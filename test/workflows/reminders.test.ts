// A stage's due date is announced before it comes (`stage.due-soon`), and a stage still overdue
// some days later goes to its supervisors (`stage.overdue-escalated`): each once, from the
// pathway's own timers, with the periods of the programme's template.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTORS, act, ARRIVAL, auditedUpTo, openOne, stage, stateOf, waitFor } from '../helpers/pathways.js';
import { person } from '../helpers/people.js';
import { startTestStack, type TestStack } from '../helpers/stack.js';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({ clockScale: 1 });
});
afterAll(() => stack?.stop());

// A template day in 576 ms: UZ's 21-day stages come due in about 12 seconds, three days' notice is 1.7 s
// (room for a busy machine: a reminder handled after its due date is rightly dropped).
const SCALE = 150_000;
const DAY_MS = 86_400_000 / SCALE;
const REMINDERS = ['stage.due-soon', 'stage.overdue', 'stage.overdue-escalated'];

interface Entry {
  seq: number;
  type: string;
  stage: string;
  data: Record<string, string>;
  occurredAt: number;
  recordedAt: number;
}

async function trail(pathwayId: string): Promise<Entry[]> {
  const { rows } = await stack.db.pool.query('select seq, type, stage, data, occurred_at, recorded_at from audit_entries where pathway_id = $1 order by seq', [pathwayId]);
  return rows.map((r) => ({ seq: r.seq, type: r.type, stage: r.stage, data: r.data, occurredAt: r.occurred_at.getTime(), recordedAt: r.recorded_at.getTime() }));
}

async function trailUntil(pathwayId: string, done: (entries: Entry[]) => boolean, timeoutMs = 60_000): Promise<Entry[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const entries = await trail(pathwayId);
    if (done(entries)) return entries;
    if (Date.now() > deadline) throw new Error(`trail not complete in time: ${JSON.stringify(entries.map((e) => [e.type, e.stage]))}`);
    await sleep(100);
  }
}

const remindersOf = (entries: Entry[], stageName: string) => entries.filter((e) => e.stage === stageName && REMINDERS.includes(e.type));
const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);

describe('stage reminders', () => {
  it('tells a stage due soon, then overdue, then escalated, each once, at the template\'s moments', async () => {
    const id = await openOne(stack, 'UZ', person(33, ARRIVAL), {}, { clockScale: SCALE });
    // Security is done at once: finished before its reminder, it gets none.
    const { state } = await act(stack.client, id, 'security.record-outcome', { outcome: 'cleared' }, ACTORS.staff);
    expect(stage(state, 'security').status).toBe('done');
    const escalated = (entries: Entry[], name: string) => entries.some((e) => e.type === 'stage.overdue-escalated' && e.stage === name);
    await trailUntil(id, (entries) => escalated(entries, 'quarantine') && escalated(entries, 'medical'));
    // Nothing more comes for them while they stay overdue.
    await sleep(5 * DAY_MS);
    const entries = await trail(id);

    for (const [name, escalateAfterDays] of [['quarantine', 7], ['medical', 3]] as const) {
      const told = remindersOf(entries, name);
      expect(told.map((e) => e.type), name).toEqual(REMINDERS);
      const [dueSoon, overdue, escalation] = told as [Entry, Entry, Entry];
      const dueAt = Date.parse(dueSoon.data.dueAt!);
      expect(dueSoon.data).toEqual({ dueAt: overdue.data.dueAt });
      // Not before three template days ahead of the due date (P3D), and before it.
      expect(dueAt - dueSoon.occurredAt).toBeGreaterThan(0);
      expect(dueAt - dueSoon.occurredAt).toBeLessThanOrEqual(3 * DAY_MS);
      // Medical's own escalateAfter (P3D), quarantine the template's (P7D).
      expect(escalation.data).toEqual({ dueAt: dueSoon.data.dueAt, overdueAt: new Date(overdue.occurredAt).toISOString() });
      expect(escalation.occurredAt - overdue.occurredAt).toBeGreaterThanOrEqual(escalateAfterDays * DAY_MS - 1);
      expect(escalation.occurredAt - overdue.occurredAt).toBeLessThan((escalateAfterDays + 3) * DAY_MS);
    }
    expect(remindersOf(entries, 'security')).toEqual([]);
    // Written with their entries, the escalations reach the notifications (stages due together fold into a summary).
    const escalations = await stack.db.pool.query("select data from notifications where pathway_id = $1 and kind = 'step-overdue-escalated' order by created_at", [id]);
    expect(escalations.rows.map((r) => r.data.stage)).toEqual(['medical', 'quarantine']);
    // An escalation tells supervisors through the notifications, not the escalations list a stage overdue is already on.
    const { rows } = await stack.db.pool.query("select stage from escalations where pathway_id = $1 and kind = 'stage-overdue' order by stage", [id]);
    expect(rows).toEqual([{ stage: 'medical' }, { stage: 'quarantine' }]);
  });

  it('tells nothing of a stage finished after its reminder and before its due date', async () => {
    const id = await openOne(stack, 'UZ', person(36, ARRIVAL), {}, { clockScale: SCALE });
    await trailUntil(id, (entries) => entries.some((e) => e.type === 'stage.due-soon' && e.stage === 'security'));
    await act(stack.client, id, 'security.record-outcome', { outcome: 'cleared' }, ACTORS.staff);
    await trailUntil(id, (entries) => entries.some((e) => e.type === 'stage.overdue-escalated' && e.stage === 'quarantine'));
    expect(remindersOf(await trail(id), 'security').map((e) => e.type)).toEqual(['stage.due-soon']);
  });

  it('reminds again of a due date that moves (a new guardianship petition), unless it is near from the start', async () => {
    const id = await openOne(stack, 'TJ', person(10, ARRIVAL, { arrivedWith: 'orphan' }), {}, { clockScale: SCALE });
    const refused = { decision: 'refused', guardian: 'institution' } as const;
    const documentation = async () => remindersOf(await trail(id), 'documentation');
    const until = (count: number) => trailUntil(id, (entries) => remindersOf(entries, 'documentation').length >= count);
    await act(stack.client, id, 'documentation.record-guardianship-order', refused, ACTORS.staff);
    const first = await act(stack.client, id, 'documentation.file-guardianship-petition', { decideWithin: 'P30D' }, ACTORS.staff);
    const firstDue = stage(first.state, 'documentation').dueAt!;
    await until(3);
    // A week's petition is near from the moment it is filed (two weeks' notice): its date is reminder enough.
    await act(stack.client, id, 'documentation.record-guardianship-order', refused, ACTORS.staff);
    const second = await act(stack.client, id, 'documentation.file-guardianship-petition', { decideWithin: 'P7D' }, ACTORS.staff);
    const secondDue = stage(second.state, 'documentation').dueAt!;
    await until(4);
    await act(stack.client, id, 'documentation.record-guardianship-order', refused, ACTORS.staff);
    const third = await act(stack.client, id, 'documentation.file-guardianship-petition', { decideWithin: 'P20D' }, ACTORS.staff);
    const thirdDue = stage(third.state, 'documentation').dueAt!;
    await until(5);
    expect((await documentation()).map((e) => [e.type, e.data.dueAt])).toEqual([
      ['stage.due-soon', firstDue],
      ['stage.overdue', firstDue],
      ['stage.overdue-escalated', firstDue],
      ['stage.overdue', secondDue],
      ['stage.due-soon', thirdDue],
    ]);
  });

  it('records what a pathway opened 30 days after the arrival has overdue with its opening: no due-soon, no repeats', async () => {
    const arrival = daysAgo(30);
    // The real clock: a pathway typed in late runs from its arrival date.
    const id = await openOne(stack, 'UZ', person(31, arrival), { arrivalDate: arrival });
    const opened = await waitFor(stack.client, id, (s) => s.overdue);
    await auditedUpTo(stack, id, opened.version);
    await sleep(2_000);
    const entries = await trail(id);
    expect((await stateOf(stack.client, id)).version).toBe(opened.version);
    // One batch: the opening and everything overdue, written together.
    expect(new Set(entries.map((e) => e.recordedAt)).size).toBe(1);
    expect(entries.map((e) => [e.type, e.stage])).toEqual([
      ['pathway.opened', 'intake'],
      ['quarantine.minimum-passed', 'quarantine'],
      ['stage.overdue', 'quarantine'],
      ['stage.overdue', 'medical'],
      ['stage.overdue', 'security'],
    ]);
    expect(entries.filter((e) => e.type === 'stage.due-soon')).toEqual([]);
  });
});
