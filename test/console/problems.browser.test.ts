import { describe, expect, it } from 'vitest';
import { call } from '../helpers/api.js';
import { ACTORS, ARRIVAL, openOne } from '../helpers/pathways.js';
import { person } from '../helpers/people.js';
import { checkPage, openPathway, signIn, useConsole } from './console-driver.js';

const ui = useConsole();

describe('problems told in the user’s language, in Chromium', () => {
  it('a refusal reads in Russian, with no English words and no field path', async () => {
    const pathwayId = await openOne(ui.stack, 'KZ', person(30, ARRIVAL, { sex: 'female' }));
    const act = (type: string, payload: Record<string, unknown>) =>
      call(ui.app, ui.stack, ACTORS.staff, { method: 'POST', url: `/v1/pathways/${pathwayId}/actions`, payload: { type, payload } });
    expect((await act('medical.refer-to-hospital', { reason: 'infection' })).statusCode).toBe(200);

    const staff = await signIn(ui.browser, ui.baseUrl, 'staff.mlsp');
    const { page } = staff;
    await page.selectOption('#language', 'ru');
    await openPathway(staff, pathwayId);
    await page.selectOption('#action-type', 'medical.record-discharge');
    // A colleague records the discharge meanwhile: the step on this page is refused.
    expect((await act('medical.record-discharge', {})).statusCode).toBe(200);
    const answered = page.waitForResponse((response) => response.url().includes('/actions') && response.request().method() === 'POST');
    await page.getByRole('button', { name: /^Записать/ }).click();
    expect((await answered).status()).toBe(409);

    const alert = page.getByRole('alert');
    await alert.waitFor();
    const text = (await alert.innerText()).trim();
    expect(text).toContain('Человек не в больнице.');
    expect(text.match(/[A-Za-z]{2,}/g) ?? [], text).toEqual([]);
    expect(text).not.toMatch(/body\.|payload\.|\/payload/);
    await checkPage(page, 'refusal-ru');
    await staff.context.close();
  });
});
