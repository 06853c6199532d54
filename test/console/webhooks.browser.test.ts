import { describe, expect, it } from 'vitest';
import { call } from '../helpers/api.js';
import { ACTORS } from '../helpers/pathways.js';
import { checkPage, signIn, useConsole } from './console-driver.js';

const ui = useConsole();

describe('the webhooks page, in Chromium', () => {
  it('adds a hook and shows its secret once, switches it off and on, gives it a new secret and removes it, in English and Russian', async () => {
    const { page } = await signIn(ui.browser, ui.baseUrl, 'supervisor.mlsp');
    await page.getByRole('link', { name: 'Webhooks' }).click();
    await page.getByRole('heading', { name: 'Webhooks', level: 1 }).waitFor();
    await page.getByText('No webhooks yet.').waitFor();

    // An address the API refuses: the reason beside the field, in the user's language.
    await page.fill('#webhook-url', 'http://cases.example.org/hook');
    await page.getByRole('button', { name: 'Add a webhook' }).click();
    await page.getByText('Give an address beginning with https://', { exact: false }).first().waitFor();

    await page.fill('#webhook-url', 'https://cases.example.org/hooks/pathways');
    await page.fill('#webhook-description', 'Case system');
    await page.getByRole('button', { name: 'Add a webhook' }).click();
    await page.getByText('it is shown only this once').waitFor();
    const secret = await page.locator('code.free').innerText();
    expect(secret).toMatch(/^whsec_/);
    const row = page.locator('tbody tr', { hasText: 'cases.example.org/hooks/pathways' });
    await row.getByText('Active').waitFor();
    await checkPage(page, 'webhooks-added');

    // The secret stays with the page that made it: the list never shows it again.
    await page.reload();
    await row.getByText('Active').waitFor();
    expect(await page.locator('body').innerText()).not.toContain(secret);

    await row.getByRole('button', { name: 'Switch off' }).click();
    await row.getByText('Switched off').waitFor();
    await row.getByRole('button', { name: 'Switch on' }).click();
    await row.getByText('Active').waitFor();
    await row.getByRole('button', { name: 'New secret' }).click();
    await page.getByText('it is shown only this once').waitFor();
    expect(await page.locator('code.free').innerText()).not.toBe(secret);

    await row.getByRole('link', { name: 'Deliveries' }).click();
    await page.getByRole('heading', { name: 'Deliveries', level: 1 }).waitFor();
    await page.getByText('Nothing to this webhook yet.').waitFor();
    await checkPage(page, 'webhook-deliveries');

    await page.selectOption('#language', 'ru');
    await page.getByRole('link', { name: 'Вебхуки' }).first().click();
    await page.getByRole('heading', { name: 'Вебхуки', level: 1 }).waitFor();
    const shown = page.locator('tbody tr', { hasText: 'cases.example.org/hooks/pathways' });
    await shown.getByText('Работает').waitFor();
    await checkPage(page, 'webhooks-ru');
    await shown.getByRole('button', { name: 'Удалить' }).click();
    await page.getByRole('alertdialog').getByText('Удалить этот вебхук?').waitFor();
    await page.getByRole('button', { name: 'Да, удалить' }).click();
    await page.getByText('Вебхуков пока нет.').waitFor();
    const left = await call(ui.app, ui.stack, ACTORS.supervisor, { method: 'GET', url: '/v1/webhooks' });
    expect(left.json().items).toEqual([]);
  });

  it('is not offered to staff', async () => {
    const { page } = await signIn(ui.browser, ui.baseUrl, 'staff.mlsp');
    await page.goto(`${ui.baseUrl}/#/webhooks`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    expect(await page.getByRole('link', { name: 'Webhooks' }).count()).toBe(0);
    expect(await page.getByRole('heading', { name: 'Webhooks' }).count()).toBe(0);
  });
});
