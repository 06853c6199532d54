import { describe, expect, it } from 'vitest';
import type { Actor } from '../../src/domain/model.js';
import { STAGES } from '../../src/domain/model.js';
import { call } from '../helpers/api.js';
import { stateOver } from '../helpers/http-driver.js';
import { ARRIVAL, completeStages } from '../helpers/pathways.js';
import { person } from '../helpers/people.js';
import { checkPage, openPathway, signIn, useConsole, type ConsoleUser } from './console-driver.js';

const ui = useConsole();
const ORG = 'mlsp';
const COORDINATOR: Actor = { id: `coordinator.${ORG}`, role: 'coordinator', org: ORG };
const STAFF: Actor = { id: `staff.${ORG}`, role: 'staff', org: ORG };
const SUPERVISOR: Actor = { id: `supervisor.${ORG}`, role: 'supervisor', org: ORG };

async function openAdult(age: number, who = person(age, ARRIVAL, { sex: 'female' }), differentFrom?: string): Promise<string> {
  const opened = await call(ui.app, ui.stack, COORDINATOR, {
    method: 'POST',
    url: '/v1/pathways',
    payload: { programme: 'KZ', operation: 'Zhusan', arrivalDate: ARRIVAL, person: who, ...(differentFrom ? { differentFrom: [differentFrom] } : {}) },
  });
  expect(opened.statusCode, opened.body).toBe(201);
  return opened.json().id;
}

/** Every action a page sends, counted: nothing may leave before the confirmation. */
function actionsSent(user: ConsoleUser): () => number {
  let sent = 0;
  user.page.on('request', (request) => {
    if (request.method() === 'POST' && request.url().includes('/actions')) sent += 1;
  });
  return () => sent;
}

const answered = (user: ConsoleUser) => user.page.waitForResponse((r) => r.url().includes('/actions') && r.request().method() === 'POST');

describe('closing a pathway in the console', () => {
  it('takes no single click: a reason is chosen, a confirmation names what stays open, and a second supervisor approves, in Russian', async () => {
    const id = await openAdult(38);
    const referral = await call(ui.app, ui.stack, STAFF, {
      method: 'POST',
      url: `/v1/pathways/${id}/actions`,
      payload: { type: 'referral.create', payload: { stage: 'psychosocial', to: 'pravo', reason: 'psychosocial-support', consent: { by: 'person' }, respondWithin: 'P5D' } },
    });
    expect(referral.statusCode, referral.body).toBe(200);

    const first = await signIn(ui.browser, ui.baseUrl, SUPERVISOR.id);
    const sent = actionsSent(first);
    await openPathway(first, id);
    const { page } = first;
    const section = page.locator('section.close-pathway');
    await section.getByRole('heading', { name: 'Close the pathway' }).waitFor();
    // Closing is not a step of the routine form.
    expect(await page.locator('#action-type option[value^="pathway.close"]').count()).toBe(0);
    // Nothing is chosen for the supervisor; completion waits for every stage.
    const reason = section.getByRole('combobox', { name: 'Why does the pathway close?' });
    expect(await reason.inputValue()).toBe('');
    const next = section.getByRole('button', { name: 'Continue' });
    expect(await next.isDisabled()).toBe(true);
    expect(await section.locator('#close-reason option[value=completed]').isDisabled()).toBe(true);
    await checkPage(page, 'close-form');

    await reason.selectOption('withdrawn');
    await next.click();
    const dialog = section.getByRole('alertdialog');
    await dialog.waitFor();
    const said = await dialog.innerText();
    expect(said).toContain('the request goes to a second supervisor; the pathway stays open until they approve.');
    for (const open of ['Stage Quarantine', 'Stage Psychosocial', 'Referral #']) expect(said).toContain(open);
    await checkPage(page, 'close-confirm');
    expect(sent()).toBe(0);

    // Back keeps the choice; nothing was sent.
    await dialog.getByRole('button', { name: 'Back' }).click();
    expect(await reason.inputValue()).toBe('withdrawn');
    expect(sent()).toBe(0);
    await next.click();
    const response = answered(first);
    await dialog.getByRole('button', { name: 'Send the request' }).click();
    expect((await response).status()).toBe(200);
    expect(sent()).toBe(1);
    const request = page.locator('section.close-request');
    await request.getByText('You asked for this: another supervisor must approve it.').waitFor();
    expect(await request.getByRole('button', { name: /^Approve/ }).count()).toBe(0);
    expect(await stateOver(ui.app, ui.stack, id, SUPERVISOR)).toMatchObject({ status: 'active', closeRequest: { reason: 'withdrawn', by: SUPERVISOR.id } });

    // The second supervisor finds it among their approvals, reads who asked, when and why, and approves, in Russian.
    const second = await signIn(ui.browser, ui.baseUrl, `supervisor-2.${ORG}`);
    await second.page.goto('/#/approvals');
    await second.page.locator(`a[href="#/pathways/${id}"]`).first().waitFor();
    await second.page.selectOption('#language', 'ru');
    await openPathway(second, id);
    const asked = second.page.locator('section.close-request');
    await asked.getByRole('heading', { name: 'Запрошено досрочное закрытие' }).waitFor();
    expect(await asked.innerText()).toMatch(new RegExp(`${SUPERVISOR.id}.*попросил\\(а\\) закрыть этот маршрут: Выход из программы`));
    await checkPage(second.page, 'close-approve-ru');
    await asked.getByRole('button', { name: 'Утвердить закрытие…' }).click();
    const confirm = asked.getByRole('alertdialog');
    expect(await confirm.innerText()).toContain('Маршрут будет закрыт (Выход из программы). Отменить это нельзя.');
    const approved = answered(second);
    await confirm.getByRole('button', { name: 'Утвердить и закрыть' }).click();
    expect((await approved).status()).toBe(200);
    await second.page.getByText('Этот маршрут закрыт.').waitFor();
    await checkPage(second.page, 'close-approved-ru');
    expect(await stateOver(ui.app, ui.stack, id, SUPERVISOR)).toMatchObject({ status: 'closed', closure: { reason: 'withdrawn', by: SUPERVISOR.id, approvedBy: `supervisor-2.${ORG}` } });
  });

  it('closes a completed pathway at once, after a confirmation that says so', async () => {
    const id = await openAdult(39);
    await completeStages(ui.stack.client, id, STAGES.filter((s) => s !== 'closure'), 90_000);
    const user = await signIn(ui.browser, ui.baseUrl, SUPERVISOR.id);
    const sent = actionsSent(user);
    await openPathway(user, id);
    const section = user.page.locator('section.close-pathway');
    await section.locator('#close-reason').selectOption('completed');
    await section.getByRole('button', { name: 'Continue' }).click();
    const dialog = section.getByRole('alertdialog');
    expect(await dialog.innerText()).toContain('The pathway will be closed as completed.');
    expect(sent()).toBe(0);
    const response = answered(user);
    await dialog.getByRole('button', { name: 'Close the pathway' }).click();
    expect((await response).status()).toBe(200);
    await user.page.getByText('This pathway is closed.').waitFor();
    expect(await stateOver(ui.app, ui.stack, id, SUPERVISOR)).toMatchObject({ status: 'closed', closure: { reason: 'completed' } });
  });

  it('asks for the pathway that stays when closing as a duplicate: one of the possible duplicates, else a checked id', async () => {
    const who = person(44, ARRIVAL, { sex: 'female' });
    const stays = await openAdult(44, who);
    const twin = await openAdult(44, who, stays);
    const user = await signIn(ui.browser, ui.baseUrl, SUPERVISOR.id);
    await openPathway(user, twin);
    const section = user.page.locator('section.close-pathway');
    await section.locator('#close-reason').selectOption('duplicate');
    const next = section.getByRole('button', { name: 'Continue' });
    const picker = section.getByRole('combobox', { name: 'The pathway that stays (same person)' });
    await picker.waitFor();
    expect(await next.isDisabled()).toBe(true);
    await picker.selectOption(stays);
    expect(await next.isEnabled()).toBe(true);

    // A pathway with no possible duplicate: its id is typed, and checked beside the field.
    const alone = await openAdult(45);
    await openPathway(user, alone);
    await section.locator('#close-reason').selectOption('duplicate');
    const field = section.getByRole('textbox', { name: 'The pathway that stays (same person)' });
    await field.fill('not-an-id');
    await section.getByText('This is not a pathway id').waitFor();
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    expect(await next.isDisabled()).toBe(true);
    await field.fill(alone);
    await section.getByText('This is this pathway').waitFor();
    await checkPage(user.page, 'close-duplicate-id');
    await field.fill(stays);
    expect(await next.isEnabled()).toBe(true);
    await next.click();
    const response = answered(user);
    await section.getByRole('alertdialog').getByRole('button', { name: 'Send the request' }).click();
    expect((await response).status()).toBe(200);
    expect(await stateOver(ui.app, ui.stack, alone, SUPERVISOR)).toMatchObject({ status: 'active', closeRequest: { reason: 'duplicate', duplicateOf: stays } });
  });
});
