import { describe, expect, it } from 'vitest';
import type { Actor } from '../../src/domain/model.js';
import { call } from '../helpers/api.js';
import { ARRIVAL, openOne } from '../helpers/pathways.js';
import { person } from '../helpers/people.js';
import { checkPage, openPathway, signIn, useConsole } from './console-driver.js';

const ui = useConsole();
const STAFF: Actor = { id: 'staff.mlsp', role: 'staff', org: 'mlsp' };

describe('correcting a recorded step, in Chromium', () => {
  it("a supervisor corrects a step in that step's own form, filled with what it records, after a confirmation that lists what changes", async () => {
    const pathwayId = await openOne(ui.stack, 'KZ', person(30, ARRIVAL, { sex: 'female' }));
    const recorded = await call(ui.app, ui.stack, STAFF, {
      method: 'POST',
      url: `/v1/pathways/${pathwayId}/actions`,
      payload: { type: 'psychosocial.record-assessment', payload: { psychological: 'low', social: 'low' } },
    });
    expect(recorded.statusCode, recorded.body).toBe(200);

    const supervisor = await signIn(ui.browser, ui.baseUrl, 'supervisor.mlsp');
    const { page } = supervisor;
    await openPathway(supervisor, pathwayId);
    // A correction is an exception: it sits apart from the routine steps.
    await page.locator('.exceptions').locator('#exception-type').selectOption('correction');
    const entry = page.locator('#exception-payload-entry');
    await expect.poll(() => entry.locator('option').count()).toBe(2);
    expect(await entry.inputValue()).toBe('');
    expect(await entry.locator('option').nth(1).textContent()).toMatch(/^#\d+ Psychosocial: record assessment, .*, by \u2068?staff\.mlsp/);
    await entry.selectOption({ index: 1 });
    // The step's own form, filled with what it records now; nothing changed yet, so nothing to send.
    expect(await page.locator('#exception-payload-corrected-psychological').inputValue()).toBe('low');
    expect(await page.locator('#exception-payload-corrected-social').inputValue()).toBe('low');
    const record = page.locator('.exceptions').getByRole('button', { name: 'Record: Correct a recorded step' });
    await page.selectOption('#exception-payload-reason', 'recording-error');
    expect(await record.isDisabled()).toBe(true);
    await page.selectOption('#exception-payload-corrected-social', 'high');
    expect(await record.isEnabled()).toBe(true);
    await record.click();
    const confirm = page.getByRole('alertdialog');
    expect(await confirm.textContent()).toMatch(/will be replaced by what you entered.*Social: Low → High/);
    await checkPage(page, 'supervisor-correction-confirm');
    const sent = page.waitForResponse((response) => response.url().endsWith('/actions') && response.request().method() === 'POST');
    await confirm.getByRole('button', { name: 'Yes, record: Correct a recorded step' }).click();
    expect((await sent).status()).toBe(200);
    await page.getByRole('status').filter({ hasText: 'Recorded: Correct a recorded step.' }).waitFor();

    const history = await call(ui.app, ui.stack, { id: 'supervisor.mlsp', role: 'supervisor', org: 'mlsp' }, { method: 'GET', url: `/v1/pathways/${pathwayId}/history` });
    const correction = history.json().entries.find((e: { type: string }) => e.type === 'correction');
    expect(correction.outcome).toMatchObject({ payload: { psychological: 'low', social: 'high' }, reason: 'recording-error' });
  });
});
