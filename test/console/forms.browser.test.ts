import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/domain/model.js';
import type { PersonRecord } from '../../src/domain/open.js';
import type { PathwayView } from '../../src/domain/pathway.js';
import { openPathways } from '../../src/pathways/open.js';
import { ACTIONS } from '../../workflows/stages/index.js';
import { call } from '../helpers/api.js';
import { ACTORS, ARRIVAL, completeStages, openDeps } from '../helpers/pathways.js';
import { person } from '../helpers/people.js';
import { checkPage, openPathway, signIn, useConsole, type ConsoleUser } from './console-driver.js';
import { checkForm, type FormFinding } from './form-checks.js';

const ui = useConsole();

/** Who looks at the forms: the pathway's organisation, and another one that gets a referral and a transfer. */
const USERS = ['staff.mlsp', 'coordinator.mlsp', 'supervisor.mlsp', 'supervisor-2.mlsp', 'coordinator.akniet'];
const actorOf = (id: string): Actor => {
  const [name, org] = id.split('.') as [string, string];
  return { id, role: name.startsWith('coordinator') ? 'coordinator' : name.startsWith('staff') ? 'staff' : 'supervisor', org };
};
/** Steps with controls of their own (closing, hiding the name): not among the generated forms. */
const OWN_CONTROLS = ['pathway.close', 'pathway.hide-name'];

const FAMILIES: Record<string, () => PersonRecord[]> = {
  KZ: () => [person(29, ARRIVAL), person(9, ARRIVAL, { arrivedWith: 'mother' })],
  UZ: () => [person(34, ARRIVAL, { hasIdentityDocument: true }), person(12, ARRIVAL, { arrivedWith: 'mother', hasBirthCertificate: true })],
  KG: () => [person(8, ARRIVAL, { arrivedWith: 'siblings' }), person(6, ARRIVAL, { arrivedWith: 'siblings' })],
  TJ: () => [person(11, ARRIVAL, { arrivedWith: 'orphan' }), person(2, ARRIVAL, { arrivedWith: 'orphan' })],
};

/** The console users, one tab each per language, signed in when first needed. */
const tabs = new Map<string, Promise<ConsoleUser>>();
function tab(id: string, language: 'en' | 'ru'): Promise<ConsoleUser> {
  const key = `${id}/${language}`;
  if (!tabs.has(key)) {
    tabs.set(key, signIn(ui.browser, ui.baseUrl, id).then(async (user) => {
      if (language === 'ru') await user.page.selectOption('#language', 'ru');
      return user;
    }));
  }
  return tabs.get(key)!;
}
afterAll(async () => {
  for (const user of tabs.values()) await (await user).context.close().catch(() => undefined);
});

async function stateAs(id: string, pathwayId: string): Promise<PathwayView | undefined> {
  const response = await call(ui.app, ui.stack, actorOf(id), { method: 'GET', url: `/v1/pathways/${pathwayId}` });
  return response.statusCode === 200 ? response.json() : undefined;
}

/** An action as its user sends it: refused for the token's rate (reads are fast, the walk asks often), it waits as Retry-After says and sends again. */
async function send(id: string, pathwayId: string, type: string, payload: Record<string, unknown>) {
  for (let attempt = 0; ; attempt++) {
    const response = await call(ui.app, ui.stack, actorOf(id), { method: 'POST', url: `/v1/pathways/${pathwayId}/actions`, payload: { type, payload } });
    if (response.statusCode !== 429 || attempt >= 5) return response;
    await sleep(Number(response.headers['retry-after'] ?? 1) * 1000);
  }
}

/** Types whose form was checked in both languages, and what each check found. */
const checked = new Map<string, FormFinding[]>();
/** Types the API offered one of the users at some point. */
const offeredTypes = new Set<string>();
let screenshots = 0;

/** One check at a time in a tab: two pathways are walked at once. */
const busyTabs = new Map<string, Promise<unknown>>();
function inTab<T>(key: string, work: () => Promise<T>): Promise<T> {
  const done = (busyTabs.get(key) ?? Promise.resolve()).then(work, work);
  busyTabs.set(key, done.catch(() => undefined));
  return done;
}
const checking = new Set<string>();

/** Opens the pathway in both languages as `user` and checks the form of `type`, once per type. */
async function checkEverywhere(user: string, pathwayId: string, type: string): Promise<void> {
  if (checking.has(type)) return;
  checking.add(type);
  const findings = await Promise.all((['en', 'ru'] as const).map((language) => inTab(`${user}/${language}`, async () => {
    const { page } = await tab(user, language);
    await openPathway({ id: user, page } as ConsoleUser, pathwayId);
    const finding = await checkForm(page, type, language);
    // A few pages with a form that shows a message are checked whole (axe, keyboard) and kept as screenshots.
    if (finding && finding.invalid && screenshots < 6 && ['placement.choose-option', 'correction', 'referral.create', 'education.enrol', 'documentation.file-guardianship-petition'].includes(type)) {
      screenshots++;
      await checkPage(page, `form-${type}-${language}`);
    }
    return finding;
  })));
  checking.delete(type);
  // Time moves the pathway on: a form the page no longer offers is checked on a later state.
  if (findings.every(Boolean)) checked.set(type, findings as FormFinding[]);
}

/**
 * Drives one pathway through the API with the examples (as the programmes test does), stopping at
 * each state to check, in the console, every form offered that was not checked yet. `extras` are
 * sent once each as soon as they are offered: a referral or a transfer, so their answers are offered.
 */
interface Extra {
  user: string;
  type: string;
  /** The payload from the API's example: another organisation than the example's placeholder. */
  payload: (example: Record<string, unknown>) => Record<string, unknown>;
  /** Sent once the other side's answers were seen, or some seconds later. */
  then?: { user: string; type: string };
  /** Sent before the forms of that state are checked (time-bound steps whose window it widens), and may be refused. */
  early?: boolean;
}

async function walk(pathwayId: string, extras: Extra[]) {
  const deadline = Date.now() + 150_000;
  const pending = [...extras];
  const after: { user: string; type: string; at: number }[] = [];
  while (Date.now() < deadline) {
    const states = await Promise.all(USERS.map(async (id) => [id, await stateAs(id, pathwayId)] as const));
    if (states.some(([, state]) => state?.status === 'closed')) return;
    const offeredTo = (user: string, type: string) => states.find(([id]) => id === user)?.[1]?.availableActions.find((a) => a.type === type);
    const early = pending.find((e) => e.early && offeredTo(e.user, e.type));
    if (early) {
      pending.splice(pending.indexOf(early), 1);
      await send(early.user, pathwayId, early.type, early.payload(offeredTo(early.user, early.type)!.example));
      continue;
    }
    for (const [id, state] of states) {
      // Exceptions first: some are offered only for a while (a follow-up's length while it runs).
      for (const action of [...(state?.availableActions ?? [])].sort((a, b) => Number(a.routine) - Number(b.routine))) {
        const actor = actorOf(id);
        if (OWN_CONTROLS.includes(action.type) || !action.roles.includes(actor.role) || (action.excludedActors ?? []).includes(id)) continue;
        offeredTypes.add(action.type);
        if (!checked.has(action.type)) await checkEverywhere(id, pathwayId, action.type);
      }
    }
    const extra = pending.find((e) => offeredTo(e.user, e.type));
    if (extra) {
      pending.splice(pending.indexOf(extra), 1);
      const response = await send(extra.user, pathwayId, extra.type, extra.payload(offeredTo(extra.user, extra.type)!.example));
      expect(response.statusCode, response.body).toBe(200);
      if (extra.then) after.push({ ...extra.then, at: Date.now() });
      continue;
    }
    // Once its answers were seen, a transfer is withdrawn so the pathway goes on here.
    const seen = ['transfer.accept', 'transfer.decline', 'transfer.withdraw'].every((type) => checked.has(type));
    const undo = after.find((u) => (seen || Date.now() - u.at > 20_000) && offeredTo(u.user, u.type));
    if (undo) {
      after.splice(after.indexOf(undo), 1);
      expect((await send(undo.user, pathwayId, undo.type, {})).statusCode).toBe(200);
      continue;
    }
    if (!(await routineStep(pathwayId, states))) await sleep(50);
  }
  throw new Error(`pathway ${pathwayId} was not closed in time`);
}

/** The first routine step any of the pathway's own people may send, with its example (closing as completed). */
async function routineStep(pathwayId: string, states: (readonly [string, PathwayView | undefined])[]): Promise<boolean> {
  for (const [id, state] of states.filter(([id]) => id.endsWith('.mlsp'))) {
    const action = state?.availableActions.find((a) => a.routine && a.roles.includes(actorOf(id).role) && !(a.excludedActors ?? []).includes(id));
    if (!action) continue;
    const response = await send(id, pathwayId, action.type, action.example);
    // Time may move the pathway on between reading the state and acting.
    if (response.statusCode !== 200) expect(response.json().reason, response.body).toMatch(/wrong-stage|not-due|missing-prerequisite|four-eyes/);
    return true;
  }
  return false;
}

describe('every step form of every programme, in English and Russian', () => {
  it.each(Object.keys(FAMILIES))('programme %s: each form starts empty, is sent only when valid, and tells what is wrong beside the field', async (programme) => {
    const familyGroupId = `fam-${randomUUID().slice(0, 8)}`;
    const operation = ui.stack.templates.get(programme)!.operations[0]!.name;
    const opened = await openPathways(openDeps(ui.stack), ACTORS.coordinator, FAMILIES[programme]!().map((who) => ({ request: { programme, operation, arrivalDate: ARRIVAL, familyGroupId, person: who }, fieldPrefix: '' })));
    const [first, second] = opened.map((o) => o.id) as [string, string];
    // The first is referred (its answers are offered to the other organisation), the second offered for transfer (then withdrawn).
    await Promise.all([
      walk(first, [
        { user: 'staff.mlsp', type: 'follow-up.set-length', payload: () => ({ months: 12 }), early: true },
        { user: 'staff.mlsp', type: 'referral.create', payload: (example) => ({ ...example, to: 'akniet' }) },
        { user: 'coordinator.akniet', type: 'referral.accept', payload: (example) => example },
        // An adult charged before a court: the court's decision and a release are offered.
        { user: 'staff.mlsp', type: 'security.record-outcome', payload: (example) => ({ ...example, outcome: 'charged' }) },
        // A court that refuses guardianship: a new petition, with its deadline in days, is offered.
        { user: 'staff.mlsp', type: 'documentation.record-guardianship-order', payload: (example) => ({ ...example, decision: 'refused' }) },
      ]),
      walk(second, [
        { user: 'supervisor.mlsp', type: 'transfer.request', payload: () => ({ to: 'akniet' }), then: { user: 'supervisor.mlsp', type: 'transfer.withdraw' } },
        // Less usual turns, so their steps are offered too: a hospital stay, continuing care.
        { user: 'staff.mlsp', type: 'medical.refer-to-hospital', payload: (example) => example },
        { user: 'staff.mlsp', type: 'care.refer', payload: (example) => example },
        // A follow-up's length can be set only while it runs, months that pass in a second here: the longest one first.
        { user: 'staff.mlsp', type: 'follow-up.set-length', payload: () => ({ months: 12 }), early: true },
      ]),
    ]);
  }, 400_000);

  it('offers the mother as a placement only to a child who came with her', async () => {
    const request = { programme: 'KZ', operation: ui.stack.templates.get('KZ')!.operations[0]!.name, arrivalDate: ARRIVAL, person: person(9, ARRIVAL, { arrivedWith: 'siblings' }) };
    const { id } = (await openPathways(openDeps(ui.stack), ACTORS.coordinator, [{ request, fieldPrefix: '' }]))[0]!;
    await completeStages(ui.stack.client, id, ['medical', 'security', 'quarantine']);
    const { page } = await tab('coordinator.mlsp', 'en');
    await openPathway({ id: 'coordinator.mlsp', page } as ConsoleUser, id);
    await page.selectOption('#action-type', 'placement.choose-option');
    const offered = await page.locator('#payload-option option').evaluateAll((options) => options.map((o) => (o as unknown as { value: string }).value).filter(Boolean));
    expect(offered).toEqual(['kinship', 'residential']);
  });

  it('checked the form of every step the API offered, and every form found nothing wrong', () => {
    const never = [...ACTIONS.keys()].filter((type) => !checked.has(type) && !OWN_CONTROLS.includes(type));
    console.info(`forms checked: ${checked.size} (${[...checked].filter(([, f]) => f[0]!.invalid).length} with an invalid value tried); never offered in these walks: ${never.join(', ') || 'none'}`);
    const problems = [...checked].flatMap(([type, findings]) => findings.flatMap((finding) => finding.problems.map((problem) => `${type} (${finding.language}): ${problem}`)));
    // The steps of every stage and agency are among them (closing and hiding the name have their own controls).
    const expected = ['correction', 'placement.choose-option', 'placement.approve', 'transfer.request', 'transfer.accept', 'referral.create', 'referral.accept', 'documentation.file-guardianship-petition', 'care.refer', 'education.enrol'];
    expect({ notChecked: [...offeredTypes].filter((type) => !checked.has(type)), missing: expected.filter((type) => !checked.has(type)), problems }).toEqual({ notChecked: [], missing: [], problems: [] });
  });
});
