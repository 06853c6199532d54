import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/domain/model.js';
import { call, expectProblem, startTestApi } from '../helpers/api.js';
import { stateOver } from '../helpers/http-driver.js';
import { ACTORS, ARRIVAL, completeStages, openOne, waitFor } from '../helpers/pathways.js';
import { person } from '../helpers/people.js';
import { startTestStack, type TestStack } from '../helpers/stack.js';

let stack: TestStack;
let app: FastifyInstance;
/** On time: the template's own clock. */
let onTime: string;
/** Overdue, the first opened earlier, so its overdue stage was due earlier. */
let late: string;
let later: string;
/** Each pathway's person as lists name them: family name, given name, patronymic. */
const names = new Map<string, string>();
const otherOrgStaff: Actor = { id: 'staff-olga', role: 'staff', org: 'pravo' };
/** A template day in 8.64 ms: stages of these pathways are overdue within a second. */
const FAST = 10_000_000;

interface Item {
  id: string;
  overdue: boolean;
  overdueSince: string | null;
  dueAt: string | null;
  currentStage: string;
  actions: { type: string; stage: string }[] | null;
  waitingFor: { roles: string[]; actions: { type: string; roles: string[]; fourEyes?: true }[] } | null;
  blockers: string[] | null;
  note?: string;
  person: { name: string; nameHidden: boolean; birthDate: string; birthDateEstimated: boolean; age: number };
}
interface Page {
  items: Item[];
  nextCursor: string | null;
}

const worklist = (actor: Actor, query = '') => call(app, stack, actor, { method: 'GET', url: `/v1/worklist${query}` });

/** The worklist once the projections written in the background show what `ready` expects. */
async function worklistWhen(actor: Actor, query: string, ready: (page: Page) => boolean, timeoutMs = 30_000): Promise<Page> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await worklist(actor, query);
    expect(response.statusCode, response.body).toBe(200);
    const page: Page = response.json();
    if (ready(page)) return page;
    if (Date.now() > deadline) throw new Error(`worklist not as expected in time: ${response.body}`);
    await sleep(100);
  }
}

const itemOf = (page: Page, id: string) => page.items.find((item) => item.id === id);

beforeAll(async () => {
  stack = await startTestStack();
  app = await startTestApi(stack);
  const opened = async (record: ReturnType<typeof person>, options = {}) => {
    const id = await openOne(stack, 'KZ', record, {}, options);
    names.set(id, [record.familyName, record.givenName, record.patronymic].filter(Boolean).join(' '));
    return id;
  };
  onTime = await opened(person(30, ARRIVAL, { sex: 'female' }));
  late = await opened(person(35, ARRIVAL, { sex: 'female' }), { clockScale: FAST });
  await sleep(200);
  later = await opened(person(41, ARRIVAL, { sex: 'male' }), { clockScale: FAST });
  await Promise.all([late, later].map((id) => waitFor(stack.client, id, (s) => s.overdue)));
});
afterAll(async () => {
  await app?.close();
  await stack?.stop();
});

describe('the worklist', () => {
  it("shows staff their organisation's open pathways with their actions, most overdue first, each naming its person", async () => {
    const page = await worklistWhen(ACTORS.staff, '', (p) => p.items.filter((i) => i.overdue).length === 2);
    expect(page.items.map((i) => i.id)).toEqual([late, later, onTime]);
    const [first, second, third] = page.items as [Item, Item, Item];
    expect(Date.parse(first.overdueSince!)).toBeLessThan(Date.parse(second.overdueSince!));
    expect(third).toMatchObject({ overdue: false, overdueSince: null, waitingFor: null });
    expect(third.dueAt).toEqual(expect.any(String));
    for (const item of page.items) {
      expect(item.actions).toContainEqual({ type: 'medical.record-screening', stage: 'medical' });
      // Exceptions (a referral to hospital) are in the pathway's state, not work it waits for; no example payloads.
      expect(item.actions!.map((a) => a.type)).not.toContain('medical.refer-to-hospital');
      expect(item.actions![0]).not.toHaveProperty('example');
    }
    // Staff cannot tell eleven rows of one stage apart without who each is for: name, birth date and age.
    expect(page.items.map((i) => i.person.name)).toEqual([late, later, onTime].map((id) => names.get(id)));
    expect(page.items.map((i) => i.person.age)).toEqual([35, 41, 30]);
    for (const item of page.items) expect(item.person).toMatchObject({ nameHidden: false, birthDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/), birthDateEstimated: false });
  });

  it('writes each pathway it lists to the access log, as blockers can state health or legal facts', async () => {
    const response = await worklist(ACTORS.staff);
    const listed = response.json().items.map((item: { id: string }) => item.id);
    expect(listed.length).toBeGreaterThan(0);
    const logged = await stack.db.pool.query(
      `select pathway_id as id from access_log where what = 'worklist' and actor_id = $1 and request_id = $2`,
      [ACTORS.staff.id, response.headers['x-request-id']],
    );
    expect(logged.rows.map((row) => row.id).sort()).toEqual([...listed].sort());
  });

  it("shows another organisation's staff none of them", async () => {
    const response = await worklist(otherOrgStaff);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ items: [], nextCursor: null });
  });

  it('pages with a cursor in the same order, without gaps or repeats', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Page = (await worklist(ACTORS.staff, `?limit=1${cursor ? `&cursor=${cursor}` : ''}`)).json();
      expect(page.items.length).toBeLessThanOrEqual(1);
      seen.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([late, later, onTime]);
    expect((await worklist(ACTORS.staff, '?programme=UZ')).json().items).toEqual([]);
  });

  it('shows what a pathway waits for, and why, when the caller has nothing to send', async () => {
    // A coordinator plans placements; an adult's quarantine waits for staff.
    const page = await worklistWhen(ACTORS.coordinator, '', (p) => p.items.length === 3);
    const item = itemOf(page, onTime)!;
    expect(item.actions).toEqual([]);
    expect(item.waitingFor!.roles).toEqual(['staff', 'supervisor']);
    expect(item.waitingFor!.actions).toContainEqual({ type: 'medical.record-screening', stage: 'medical', roles: ['staff', 'supervisor'] });
    expect(item.waitingFor!.actions.map((a) => a.type)).not.toContain('medical.refer-to-hospital');
    const state = await stateOver(app, stack, onTime, ACTORS.coordinator);
    expect(item.currentStage).toBe(state.currentStage);
    expect(item.blockers).toEqual(state.stages.find((s) => s.stage === state.currentStage)!.blockers);
    expect(item.blockers!.length).toBeGreaterThan(0);
  });

  it("never lists a decision to the supervisor who prepared it, and lists it to another supervisor", async () => {
    const child = await openOne(stack, 'KZ', person(8, ARRIVAL, { arrivedWith: 'mother' }), {}, { clockScale: FAST });
    await completeStages(stack.client, child, ['medical', 'security', 'quarantine']);
    const preparer = ACTORS.supervisor;
    const choose = (await stateOver(app, stack, child, preparer)).availableActions.find((a) => a.type === 'placement.choose-option')!;
    for (const [type, payload] of [['placement.choose-option', { ...choose.example, option: 'mother' }], ['placement.request-approval', {}]] as const) {
      const response = await call(app, stack, preparer, { method: 'POST', url: `/v1/pathways/${child}/actions`, payload: { type, payload } });
      expect(response.statusCode, response.body).toBe(200);
    }

    const other = await worklistWhen(ACTORS.otherSupervisor, '?kind=approvals', (p) => itemOf(p, child) !== undefined);
    // Only decisions, and only the pathway awaiting one: not the adults, whom a supervisor could reassign or close early.
    expect(other.items.map((i) => i.id)).toEqual([child]);
    expect(itemOf(other, child)!.actions).toEqual([{ type: 'placement.approve', stage: 'placement' }]);

    const own = (await worklist(preparer, '?kind=approvals')).json() as Page;
    expect(own.items).toEqual([]);
    const all = (await worklist(preparer)).json() as Page;
    expect(itemOf(all, child)!.actions!.map((a) => a.type)).not.toContain('placement.approve');

    // Once approved, there is nothing left to decide.
    const approve = await call(app, stack, ACTORS.otherSupervisor, { method: 'POST', url: `/v1/pathways/${child}/actions`, payload: { type: 'placement.approve', payload: {} } });
    expect(approve.statusCode, approve.body).toBe(200);
    await worklistWhen(ACTORS.otherSupervisor, '?kind=approvals', (p) => p.items.length === 0);
  });

  it('refuses bad input with the fields at fault', async () => {
    const approvals = expectProblem(await worklist(ACTORS.staff, '?kind=approvals'), 400, 'validation-failed');
    expect(approvals.fields).toEqual([{ path: 'querystring.kind', message: expect.any(String) }]);
    const limit = expectProblem(await worklist(ACTORS.staff, '?limit=0'), 400, 'validation-failed');
    expect(limit.fields.map((f: { path: string }) => f.path)).toEqual(['querystring.limit']);
    const cursor = expectProblem(await worklist(ACTORS.staff, '?cursor=bm90LWEtY3Vyc29y'), 400, 'validation-failed');
    expect(cursor.fields).toEqual([{ path: 'querystring.cursor', message: 'is not a cursor this API gave out' }]);
    const forged = Buffer.from(JSON.stringify([0, '2024-02-30 25:61:00+00', '00000000-0000-4000-8000-000000000000'])).toString('base64url');
    expectProblem(await worklist(ACTORS.staff, `?cursor=${forged}`), 400, 'validation-failed');
    expectProblem(await worklist(ACTORS.staff, '?kind=everything'), 400, 'validation-failed');
  });

  it('says what a pathway waits for is unknown when its projection predates the worklist', async () => {
    // As a pathway last written before the migration: both columns null.
    await stack.db.pool.query('update pathways set available_actions = null where id = $1', [onTime]);
    await stack.db.pool.query('update pathway_stages set blockers = null where pathway_id = $1', [onTime]);
    const page: Page = (await worklist(ACTORS.staff)).json();
    const item = itemOf(page, onTime)!;
    expect(item).toMatchObject({ actions: null, waitingFor: null, blockers: null, note: expect.stringMatching(/open it/) });
    // Not known to have anything for the caller: after those that do.
    expect(page.items.at(-1)!.id).toBe(onTime);
    expect((await worklist(ACTORS.supervisor, '?kind=approvals')).statusCode).toBe(200);
  });
});
