import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { Actor } from '../../src/domain/model.js';
import type { PathwayView } from '../../src/domain/pathway.js';
import { workflowPageUrl } from '../../src/temporal/ui.js';
import { call } from '../helpers/api.js';
import { stateOver } from '../helpers/http-driver.js';
import { ARRIVAL } from '../helpers/pathways.js';
import { person } from '../helpers/people.js';
import { checkPage, fillStep, openPathway, recordStep, signIn, tabTo, useConsole, type ConsoleUser } from './console-driver.js';

const ui = useConsole();

const ORG = 'mlsp';
const actorOf = (id: string): Actor => ({ id, role: id.startsWith('coordinator') ? 'coordinator' : id.startsWith('staff') ? 'staff' : 'supervisor', org: ORG });

/** A pathway's state as the person with this development identity reads it. */
const stateAs = (id: string, pathwayId: string) => stateOver(ui.app, ui.stack, pathwayId, actorOf(id));

function csvOf(rows: Record<string, string | boolean | undefined>[]): string {
  const columns = ['givenName', 'familyName', 'patronymic', 'sex', 'birthDate', 'arrivedWith', 'hasIdentityDocument'];
  const cell = (value: unknown) => (value === undefined ? '' : `"${String(value).replaceAll('"', '""')}"`);
  return [columns.join(','), ...rows.map((row) => columns.map((c) => cell(row[c])).join(','))].join('\r\n');
}

describe('the web console, in Chromium', () => {
  const users = new Map<string, ConsoleUser>();
  let pathwayId: string;
  let otherId: string;

  it('a coordinator opens a cohort from a CSV file: the bad row shows its error before anything opens', async () => {
    const coordinator = await signIn(ui.browser, ui.baseUrl, `coordinator.${ORG}`, true);
    users.set('coordinator', coordinator);
    const { page } = coordinator;
    await page.getByRole('heading', { name: 'Pathways' }).waitFor();
    await page.getByRole('link', { name: 'Open a cohort' }).click();
    await page.selectOption('#programme', 'TJ');
    await page.fill('#arrivalDate', ARRIVAL);
    const orphan = person(13, ARRIVAL, { arrivedWith: 'orphan' });
    const sibling = person(8, ARRIVAL, { arrivedWith: 'orphan' });
    const csv = csvOf([{ ...orphan }, { ...sibling }, { givenName: orphan.givenName, familyName: sibling.familyName, sex: 'female', birthDate: '2019-02-30' }]);
    await page.setInputFiles('#csv', { name: 'arrival.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByRole('button', { name: 'Check' }).click();
    await page.getByText('Rows with problems: 1.').waitFor();
    const badRow = page.locator('tr.invalid');
    await expect.poll(() => badRow.count()).toBe(1);
    expect(await badRow.textContent()).toMatch(/Birth date: Write a real date of birth after 1900/);
    const before = await ui.stack.db.pool.query('select count(*)::int as n from pathways');
    expect(before.rows[0].n).toBe(0);
    await checkPage(page, 'coordinator-cohort-preview');
    await page.getByRole('button', { name: 'Remove 3' }).click();
    await page.getByRole('button', { name: 'Check' }).click();
    await page.getByText('Every person can be opened (2).').waitFor();
    await page.getByRole('button', { name: 'Open the pathways (2)' }).click();
    await page.getByText('Pathways opened: 2').waitFor();
    await checkPage(page, 'coordinator-cohort-opened');
    // The result names whom it opened (test/console/names.browser.test.ts has the lists).
    const nameOf = (who: typeof orphan) => `${who.familyName} ${who.givenName} ${who.patronymic}`;
    const href = await page.getByRole('link', { name: nameOf(orphan) }).getAttribute('href');
    pathwayId = href!.split('/').pop()!;
    otherId = (await page.getByRole('link', { name: nameOf(sibling) }).getAttribute('href'))!.split('/').pop()!;
    expect((await ui.stack.db.pool.query('select count(*)::int as n from pathways')).rows[0].n).toBe(2);
    await page.getByRole('link', { name: 'Pathways' }).click();
    await page.locator('tbody tr').nth(1).waitFor();
    await checkPage(page, 'coordinator-pathways');
  });

  it('staff, coordinator and two supervisors take the pathway through every stage to closure in the browser', async () => {
    for (const id of [`staff.${ORG}`, `supervisor.${ORG}`, `supervisor-2.${ORG}`]) users.set(id.split('.')[0]!, await signIn(ui.browser, ui.baseUrl, id));
    const staff = users.get('staff')!;
    await checkPage(staff.page, 'staff-worklist');
    await expect.poll(() => staff.page.locator(`a[href="#/${'pathways'}/${pathwayId}"]`).count()).toBeGreaterThan(0);
    const order = ['staff', 'coordinator', 'supervisor', 'supervisor-2'];
    const sent: string[] = [];
    let approvalChecked = false;
    const deadline = Date.now() + 240_000;
    while (Date.now() < deadline) {
      const user = await nextUser(order.map((name) => users.get(name)!));
      if (user === 'closed') break;
      if (!user) {
        await sleep(100);
        continue;
      }
      if (user.type === 'placement.approve' && !approvalChecked) {
        await checkApprovals(users.get('supervisor')!, users.get('supervisor-2')!);
        approvalChecked = true;
      }
      if (user.type === 'pathway.close') {
        // Closing has its own form (close-pathway.tsx, tested with it): here the pathway is closed as completed through the API.
        const closed = await call(ui.app, ui.stack, actorOf(user.user.id), { method: 'POST', url: `/v1/pathways/${pathwayId}/actions`, payload: { type: 'pathway.close', payload: { reason: 'completed' } } });
        expect(closed.statusCode, closed.body).toBe(200);
        sent.push(user.type);
        continue;
      }
      await openPathway(user.user, pathwayId);
      if (!sent.length) await checkPage(user.user.page, 'staff-pathway');
      if (!sent.length) await tabTo(user.user.page, '#action-type');
      await recordStep(user.user, user.type);
      // What was recorded is said on the page.
      await user.user.page.getByRole('status').filter({ hasText: /^Recorded: / }).waitFor();
      sent.push(user.type);
    }
    const final = await stateAs(`staff.${ORG}`, pathwayId);
    expect(final.status, JSON.stringify(final.stages.map((s) => [s.stage, s.status, s.blockers]))).toBe('closed');
    expect(approvalChecked).toBe(true);
    expect(final.stages.every((s) => s.status === 'done' || s.status === 'skipped')).toBe(true);
    await openPathway(staff, pathwayId);
    await checkPage(staff.page, 'staff-pathway-closed');
  });

  it('shows why a step is refused, and a step whose answer was lost is sent again without being recorded twice', async () => {
    const staff = users.get('staff')!;
    await openPathway(staff, otherId);
    // Someone else records the screening while this page still offers it.
    const colleague: Actor = { id: 'staff-2.mlsp', role: 'staff', org: ORG };
    const example = (await stateAs(staff.id, otherId)).availableActions.find((a) => a.type === 'medical.record-screening')!.example;
    const first = await call(ui.app, ui.stack, colleague, { method: 'POST', url: `/v1/pathways/${otherId}/actions`, payload: { type: 'medical.record-screening', payload: example } });
    expect(first.statusCode).toBe(200);
    await staff.page.selectOption('#action-type', 'medical.record-screening');
    await fillStep(staff.page, 'payload', example);
    await staff.page.getByRole('button', { name: /^Record/ }).click();
    // Refused: the form stays on its step with what was entered, the reason (in words, not a code) at its top.
    await staff.page.locator('form[aria-label="Medical: record screening"]').getByRole('alert').filter({ hasText: 'Screening has already cleared the person.' }).waitFor();
    expect(await staff.page.locator('#action-type').inputValue()).toBe('medical.record-screening');
    expect(await staff.page.locator('#payload-result').inputValue()).toBe(String(example.result));
    await checkPage(staff.page, 'staff-action-refused');

    // The next step reaches the server, but its answer never reaches the browser.
    await openPathway(staff, otherId);
    const type = 'psychosocial.record-assessment';
    await staff.page.route('**/actions', async (route) => {
      await route.fetch();
      await route.abort('connectionreset');
    });
    await staff.page.selectOption('#action-type', type);
    await fillStep(staff.page, 'payload', { psychological: 'low', social: 'low' });
    await staff.page.getByRole('button', { name: /^Record/ }).click();
    await staff.page.getByRole('button', { name: 'Send again' }).waitFor();
    await staff.page.unroute('**/actions');
    await checkPage(staff.page, 'staff-action-unanswered');
    const resent = staff.page.waitForResponse((response) => response.url().endsWith('/actions'));
    await staff.page.getByRole('button', { name: 'Send again' }).click();
    expect(await (await resent).json()).toMatchObject({ applied: false });

    // A proxy in front answers 504 with its own page after the service applied the step: sent again, it is recorded once.
    const second = 'documentation.record-identity-document';
    await openPathway(staff, otherId);
    await staff.page.route('**/actions', async (route) => {
      await route.fetch();
      await route.fulfill({ status: 504, contentType: 'text/html', body: '<html><body>Gateway Time-out</body></html>' });
    });
    await staff.page.selectOption('#action-type', second);
    await fillStep(staff.page, 'payload', { kind: 'passport' });
    await staff.page.getByRole('button', { name: /^Record/ }).click();
    await staff.page.getByRole('button', { name: 'Send again' }).waitFor();
    await staff.page.unroute('**/actions');
    const again = staff.page.waitForResponse((response) => response.url().endsWith('/actions'));
    await staff.page.getByRole('button', { name: 'Send again' }).click();
    expect(await (await again).json()).toMatchObject({ applied: false });

    const history = await call(ui.app, ui.stack, actorOf(`supervisor.${ORG}`), { method: 'GET', url: `/v1/pathways/${otherId}/history` });
    for (const sent of [type, second]) expect(history.json().entries.filter((e: { type: string }) => e.type === sent)).toHaveLength(1);
  });

  /** Who acts next and with what: the first routine action of the first person who has one (supervisors request approval, so a second one decides). */
  async function nextUser(candidates: ConsoleUser[]): Promise<{ user: ConsoleUser; type: string } | 'closed' | undefined> {
    for (const user of candidates) {
      const state = await stateAs(user.id, pathwayId);
      if (state.status === 'closed') return 'closed';
      const actor = actorOf(user.id);
      const mine = state.availableActions.filter((a) => a.routine && a.roles.includes(actor.role) && !(a.excludedActors ?? []).includes(actor.id));
      const action = mine.find((a) => a.type !== 'placement.request-approval' || user.id.startsWith('supervisor.'));
      if (action) return { user, type: action.type };
    }
    return undefined;
  }

  async function checkApprovals(preparer: ConsoleUser, second: ConsoleUser) {
    await preparer.page.goto('/#/approvals');
    await preparer.page.getByRole('heading', { name: 'Approvals' }).waitFor();
    await preparer.page.waitForLoadState('networkidle');
    expect(await preparer.page.locator(`a[href="#/pathways/${pathwayId}"]`).count()).toBe(0);
    await second.page.goto('/#/approvals');
    await second.page.getByRole('heading', { name: 'Approvals' }).waitFor();
    await second.page.locator(`a[href="#/pathways/${pathwayId}"]`).first().waitFor();
    await checkPage(second.page, 'supervisor-approvals');
  }

  it('a supervisor reads the audit timeline and the reports, in English and in Russian', async () => {
    const { page } = users.get('supervisor')!;
    await page.goto(`/#/pathways/${pathwayId}/history`);
    await page.getByText(/The hash chain of all \d+ entries verifies/).waitFor();
    expect(await page.getByText('Placement: approve').count()).toBeGreaterThan(0);
    expect(await page.locator('.history > li').count()).toBeGreaterThan(10);
    await checkPage(page, 'supervisor-history');
    await page.goto('/#/reports');
    await page.getByRole('heading', { name: 'Where people wait longest' }).waitFor();
    await checkPage(page, 'supervisor-reports');
    await page.selectOption('#language', 'ru');
    await page.getByRole('heading', { name: 'Отчёты' }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('ru');
    await checkPage(page, 'supervisor-reports-ru');
    await page.goto(`/#/pathways/${pathwayId}/history`);
    await page.getByRole('heading', { name: 'Журнал аудита' }).waitFor();
    await checkPage(page, 'supervisor-history-ru');
    await page.goto('/#/approvals');
    await checkPage(page, 'supervisor-approvals-ru');
    const staff = users.get('staff')!.page;
    await staff.selectOption('#language', 'ru');
    // A pathway still under way: its blockers are the pathway's own sentences, told in Russian.
    await staff.goto(`/#/pathways/${otherId}`);
    await staff.getByRole('heading', { name: 'Этапы' }).waitFor();
    expect(await staff.locator('.blockers li').count()).toBeGreaterThan(2);
    // The person's name stays after steps were recorded on this page (an action's answer has no record).
    expect(await staff.getByRole('heading', { level: 1 }).textContent()).not.toBe('Маршрут');
    await checkPage(staff, 'staff-pathway-ru');
    await staff.goto('/#/worklist');
    await checkPage(staff, 'staff-worklist-ru');
    const coordinator = users.get('coordinator')!.page;
    await coordinator.selectOption('#language', 'ru');
    for (const [route, name] of [['pathways', 'coordinator-pathways-ru'], ['open', 'coordinator-open-ru'], ['cohort', 'coordinator-cohort-ru']] as const) {
      await coordinator.goto(`/#/${route}`);
      await checkPage(coordinator, name);
    }
    await coordinator.selectOption('#language', 'en');
    await coordinator.goto('/#/open');
    await checkPage(coordinator, 'coordinator-open');
    // Signed out, the sign-in page in Russian.
    await coordinator.selectOption('#language', 'ru');
    await coordinator.getByRole('button', { name: 'Выйти' }).click();
    await coordinator.locator('#identity').waitFor();
    await checkPage(coordinator, 'sign-in-ru');
    await coordinator.selectOption('#language', 'en');
  });

  it('nothing personal is in the address, the title or the browser storage beyond the session', async () => {
    const { page, context } = users.get('supervisor')!;
    await page.goto(`/#/pathways/${pathwayId}`);
    await page.getByRole('heading', { name: /Этапы|Stages/ }).waitFor();
    const { record } = (await stateAs(`supervisor.${ORG}`, pathwayId)) as PathwayView & { record: { givenName: string; familyName: string; birthDate: string } };
    const personal = [record.givenName, record.familyName, record.birthDate];
    const where = { url: page.url(), title: await page.title(), local: await page.evaluate<string>('JSON.stringify({ ...localStorage })'), cookies: JSON.stringify(await context.cookies()) };
    for (const value of personal) expect(JSON.stringify(where)).not.toContain(value);
    // The pathway links to its workflow in the Temporal UI (test/temporal/ui-codec.browser.test.ts opens such a page).
    expect(await page.getByRole('link', { name: /Temporal/ }).getAttribute('href')).toBe(workflowPageUrl(ui.stack.config, pathwayId));
    await checkPage(page, 'supervisor-pathway-ru');
  });
});
