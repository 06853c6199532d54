import type { Locator } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { stateOver } from '../helpers/http-driver.js';
import { ARRIVAL, openOne } from '../helpers/pathways.js';
import { person } from '../helpers/people.js';
import { checkPage, openPathway, recordStep, signIn, useConsole, type ConsoleUser } from './console-driver.js';

const ui = useConsole();

/** The worklist row of a pathway, once the worklist lists it (it is read from what pathways store when they change). */
async function worklistRow(user: ConsoleUser, pathwayId: string, until: (text: string) => boolean = () => true): Promise<Locator> {
  const { page } = user;
  if (!page.url().endsWith('#/worklist')) await page.goto('/#/worklist');
  const row = page.locator('tr', { has: page.locator(`a[href="#/pathways/${pathwayId}"]`) });
  await expect
    .poll(async () => {
      await page.reload();
      await page.locator('caption').first().waitFor();
      return (await row.count()) > 0 && until((await row.textContent()) ?? '');
    }, { timeout: 20_000, interval: 200 })
    .toBe(true);
  return row;
}

describe('working across organisations, in Chromium', () => {
  let referredId: string;

  it('staff refer the psychosocial stage to another organisation, whose coordinator accepts it from the worklist and sees that stage only', async () => {
    referredId = await openOne(ui.stack, 'KZ', person(30, ARRIVAL, { sex: 'female' }));
    const staff = await signIn(ui.browser, ui.baseUrl, 'staff.mlsp');
    await openPathway(staff, referredId);
    // A referral is not a routine step: it sits with the exceptions.
    await staff.page.selectOption('#exception-type', 'referral.create');
    await staff.page.selectOption('#exception-payload-stage', 'psychosocial');
    // Organisations are chosen by name: those working in the pathway's programme, less its own.
    const offered = await staff.page.locator('#exception-payload-to option').allTextContents();
    expect(offered).toContain('Akniet (NGO)');
    expect(offered).not.toContain('Ministry of Labour and Social Protection');
    await staff.page.selectOption('#exception-payload-to', { label: 'Akniet (NGO)' });
    // Nothing is chosen for the person: consent and reason start empty, the deadline is a number of days.
    expect(await staff.page.locator('#exception-payload-consent').inputValue()).toBe('');
    await staff.page.selectOption('#exception-payload-consent', 'by:person');
    await staff.page.selectOption('#exception-payload-reason', 'psychosocial-support');
    await staff.page.fill('#exception-payload-respondWithin', '5');
    await checkPage(staff.page, 'staff-referral-form');
    const answered = staff.page.waitForResponse((response) => response.url().endsWith('/actions') && response.request().method() === 'POST');
    await staff.page.locator('.exceptions').getByRole('button', { name: /^Record/ }).click();
    expect((await answered).request().postDataJSON()).toMatchObject({ payload: { respondWithin: 'P5D', consent: { by: 'person' } } });
    expect((await answered).status()).toBe(200);
    await staff.page.getByRole('status').filter({ hasText: /^Recorded: Referral: refer a stage to another organisation\.$/ }).waitFor();
    const sent = staff.page.getByRole('table', { name: 'Referrals: 1' });
    await sent.waitFor();
    expect(await sent.textContent()).toMatch(/Psychosocial.*Ministry of Labour and Social Protection → Akniet \(NGO\).*Psychosocial support.*Waiting for an answer.*Consent given by: Person/);

    const coordinator = await signIn(ui.browser, ui.baseUrl, 'coordinator.akniet');
    await coordinator.page.getByRole('link', { name: 'Worklist' }).click();
    const row = await worklistRow(coordinator, referredId);
    expect(await row.textContent()).toMatch(/Psychosocial.*Referral: accept.*Referred to us/);
    await checkPage(coordinator.page, 'receiver-worklist');
    await row.getByRole('link').click();
    await coordinator.page.getByRole('heading', { name: 'Stages' }).waitFor();
    await recordStep(coordinator, 'referral.accept');
    await coordinator.page.getByRole('table', { name: 'Referrals: 1' }).getByText('Accepted').waitFor();
    // The receiver sees the referred stage, and nothing of the pathway's audit trail.
    expect(await coordinator.page.locator('.timeline > li h3').allTextContents()).toEqual([expect.stringMatching(/^Psychosocial/)]);
    // Nor a link to the Temporal UI, which would show the whole history.
    expect(await coordinator.page.getByRole('link', { name: 'Open in the Temporal UI' }).count()).toBe(0);
    const seen = await stateOver(ui.app, ui.stack, referredId, { id: 'coordinator.akniet', role: 'coordinator', org: 'akniet' });
    expect(seen.stages.map((s) => s.stage)).toEqual(['psychosocial']);
    await checkPage(coordinator.page, 'receiver-pathway');
  });

  it('a member of staff claims the referred stage nobody holds yet from the worklist', async () => {
    const staff = await signIn(ui.browser, ui.baseUrl, 'staff.akniet');
    const row = await worklistRow(staff, referredId, (text) => text.includes('Claim'));
    await checkPage(staff.page, 'receiver-staff-worklist');
    await row.getByRole('button', { name: 'Claim' }).click();
    await worklistRow(staff, referredId, (text) => text.includes('staff.akniet'));
    const state = await stateOver(ui.app, ui.stack, referredId, { id: 'supervisor.mlsp', role: 'supervisor', org: 'mlsp' });
    expect(state.assignments?.stages).toEqual([expect.objectContaining({ stage: 'psychosocial', assignee: 'staff.akniet', org: 'akniet' })]);
  });

  it('staff of an organisation that does not work on a pathway read it in an emergency, and oversight reviews the access', async () => {
    const outsider = await signIn(ui.browser, ui.baseUrl, 'staff.pravo');
    await outsider.page.goto(`/#/pathways/${referredId}`);
    await outsider.page.getByRole('heading', { name: 'Emergency access' }).waitFor();
    await outsider.page.selectOption('#emergency-reason', 'medical-emergency');
    await outsider.page.fill('#emergency-note', 'Found unconscious at the reception centre; allergies unknown');
    await checkPage(outsider.page, 'emergency-access-form');
    await outsider.page.getByRole('button', { name: 'Request emergency access' }).click();
    // Said in plain words before it is granted.
    await outsider.page.getByRole('alertdialog').getByText(/every page you read is logged/).waitFor();
    await checkPage(outsider.page, 'emergency-access-confirm');
    await outsider.page.getByRole('button', { name: 'Yes, read it under emergency access' }).click();
    await outsider.page.getByText(/^Emergency access until/).waitFor();
    await outsider.page.getByRole('heading', { name: 'Stages' }).waitFor();
    expect(await outsider.page.getByText('Nothing for you to record now.').count()).toBe(1);
    await checkPage(outsider.page, 'emergency-access-pathway');

    const oversight = await signIn(ui.browser, ui.baseUrl, `supervisor.${ui.stack.config.auth.oversightOrg}`);
    await oversight.page.getByRole('link', { name: 'Emergency access review' }).click();
    const grant = oversight.page.locator('tr', { hasText: 'staff.pravo' });
    await grant.waitFor();
    expect(await grant.textContent()).toMatch(/Medical emergency.*allergies unknown/);
    await checkPage(oversight.page, 'oversight-emergency-review');
    await grant.getByRole('button', { name: 'Justified', exact: true }).click();
    await oversight.page.getByText('No emergency access waits for review.').waitFor();
  });

  it('a supervisor picks organisations, a colleague, a programme and an operation from lists: reassigning, assigning and requesting a transfer', async () => {
    const pathwayId = await openOne(ui.stack, 'KZ', person(27, ARRIVAL, { sex: 'female' }));
    // Whom work may be assigned to: the people of one's organisation who have signed in.
    await signIn(ui.browser, ui.baseUrl, 'staff.mlsp');
    const supervisor = await signIn(ui.browser, ui.baseUrl, 'supervisor.mlsp');
    const { page } = supervisor;
    await openPathway(supervisor, pathwayId);
    // The organisations working on it are ticked from the directory's list, by name.
    await page.selectOption('#exception-type', 'pathway.reassign');
    const organisations = page.locator('fieldset', { has: page.getByText('Organisations *', { exact: true }) }).locator('label');
    await expect.poll(() => organisations.allTextContents()).toEqual(['Akniet (NGO)', 'Ministry of Labour and Social Protection', 'Oversight office', 'Pravo legal aid centre', 'Regional clinic']);
    // None ticked: the form starts empty.
    expect(await page.locator('#exception-payload-organisations-mlsp').isChecked()).toBe(false);
    expect(await page.locator('#exception-payload-organisations-akniet').isChecked()).toBe(false);
    await page.selectOption('#exception-type', 'pathway.assign');
    const colleague = page.locator('#exception-payload-assignee option', { hasText: 'staff.mlsp' });
    await colleague.waitFor({ state: 'attached' });
    expect(await colleague.textContent()).toMatch(/staff\.mlsp.*\(Staff\)/);
    // The organisation is one's own, shown, not asked for.
    await expect.poll(() => page.locator('#exception-payload-org').textContent()).toBe('Ministry of Labour and Social Protection');
    expect(await page.locator('input#exception-payload-org, select#exception-payload-org').count()).toBe(0);
    await page.selectOption('#exception-payload-assignee', 'staff.mlsp');
    await checkPage(page, 'supervisor-assign-form');
    const assigned = page.waitForResponse((response) => response.url().endsWith('/actions') && response.request().method() === 'POST');
    await page.locator('.exceptions').getByRole('button', { name: /^Record/ }).click();
    expect((await assigned).status()).toBe(200);
    await page.getByText('The whole pathway: staff.mlsp (Ministry of Labour and Social Protection)').waitFor();

    // In Russian, on a phone: programme, operation and organisation from lists that follow each other.
    await page.selectOption('#language', 'ru');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.selectOption('#exception-type', 'transfer.request');
    // The form starts empty: no programme chosen is the pathway's own, whose other organisations are offered.
    await expect.poll(() => page.locator('#exception-payload-to option').count()).toBeGreaterThan(1);
    expect(await page.locator('#exception-payload-programme').inputValue()).toBe('');
    expect(await page.locator('#exception-payload-to option').allTextContents()).not.toContain('Министерство труда и социальной защиты населения');
    await page.selectOption('#exception-payload-programme', 'UZ');
    await expect.poll(() => page.locator('#exception-payload-operation option').evaluateAll((options) => options.map((o) => (o as unknown as { value: string }).value))).toEqual(['', 'Mehr']);
    expect(await page.locator('#exception-payload-operation').inputValue()).toBe('');
    await page.selectOption('#exception-payload-operation', 'Mehr');
    // In another programme its own organisation may continue the pathway.
    await expect.poll(() => page.locator('#exception-payload-to option').allTextContents()).toContain('Министерство труда и социальной защиты населения');
    await page.selectOption('#exception-payload-to', { label: 'Акниет (НКО)' });
    await checkPage(page, 'supervisor-transfer-form-ru');
    const requested = page.waitForResponse((response) => response.url().endsWith('/actions') && response.request().method() === 'POST');
    await page.locator('.exceptions').getByRole('button', { name: /^Записать/ }).click();
    // A transfer is confirmed first, in plain words.
    const confirm = page.getByRole('alertdialog');
    expect(await confirm.textContent()).toContain('Весь маршрут будет предложен организации «Акниет (НКО)» (программа UZ)');
    await checkPage(page, 'supervisor-transfer-confirm-ru');
    await confirm.getByRole('button', { name: /^Да/ }).click();
    expect((await requested).status()).toBe(200);
    await page.getByText('Акниет (НКО), программа UZ · Mehr').waitFor();
    expect(await page.getByText('Весь маршрут: staff.mlsp (Министерство труда и социальной защиты населения)').count()).toBe(1);
    await checkPage(page, 'supervisor-pathway-shares-ru');
    const state = await stateOver(ui.app, ui.stack, pathwayId, { id: 'supervisor.mlsp', role: 'supervisor', org: 'mlsp' });
    expect(state.transfer).toMatchObject({ to: 'akniet', programme: 'UZ', operation: 'Mehr', status: 'pending' });
    expect(state.assignments?.pathway).toMatchObject({ assignee: 'staff.mlsp', org: 'mlsp' });
  });
});
