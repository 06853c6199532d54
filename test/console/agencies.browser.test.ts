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
    await staff.page.selectOption('#action-type', 'referral.create');
    await staff.page.selectOption('#payload-stage', 'psychosocial');
    await staff.page.fill('#payload-to', 'akniet');
    // The consent comes prefilled from the pathway's example: the person consents.
    expect(await staff.page.locator('#payload-consent').inputValue()).toBe('by:person');
    await checkPage(staff.page, 'staff-referral-form');
    const answered = staff.page.waitForResponse((response) => response.url().endsWith('/actions') && response.request().method() === 'POST');
    await staff.page.getByRole('button', { name: /^Record/ }).click();
    expect((await answered).status()).toBe(200);
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
});
