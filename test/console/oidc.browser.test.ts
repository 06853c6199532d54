// Production sign-in in a real browser: the console sends Chromium to a real OpenID provider on
// 127.0.0.1, the person signs in there, and comes back signed in with the provider's access token.
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/child-process.js';
import { startTestApi } from '../helpers/api.js';
import { axeViolations, launchBrowser, screenshot } from '../helpers/browser.js';
import { configSignedInAt, startTestProvider, type TestProvider } from '../helpers/oidc.js';
import { startTestStack, type TestStack } from '../helpers/stack.js';

const AUDIENCE = 'https://pathways.example.org/api';

let idp: TestProvider;
let stack: TestStack;
let app: FastifyInstance;
let browser: Browser;
let consoleUrl: string;

beforeAll(async () => {
  // The provider must know where to send people back before the console listens there.
  const port = await freePort();
  consoleUrl = `http://127.0.0.1:${port}`;
  idp = await startTestProvider({
    accounts: { sue: { password: 'sue-password', role: 'supervisor', org: 'mlsp' } },
    redirectUris: [`${consoleUrl}/`],
    resources: [AUDIENCE],
  });
  stack = await startTestStack({ worker: false });
  const config = configSignedInAt(stack, idp, AUDIENCE);
  app = await startTestApi(stack, config);
  await app.listen({ host: '127.0.0.1', port });
  expect((app.server.address() as AddressInfo).port).toBe(port);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
  await stack?.stop();
  await idp?.close();
});

describe('signing in to the console with the organisation’s identity provider', () => {
  it('offers no development identities, goes to the provider, and comes back signed in without the code in the address', async () => {
    const context = await browser.newContext({ locale: 'en-GB' });
    const page = await context.newPage();
    await page.goto(`${consoleUrl}/`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(await page.locator('#identity').count()).toBe(0);
    await screenshot(page, 'sign-in-production');
    await page.getByRole('button', { name: 'Sign in with your organisation' }).click();
    await page.waitForURL((url) => url.origin === new URL(idp.issuer).origin);
    await page.getByLabel('Username').fill('sue');
    await page.getByLabel('Password').fill('sue-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => url.origin === consoleUrl);
    await page.getByRole('heading', { name: 'Approvals' }).waitFor();
    expect(await page.getByText('sue (Supervisor, Ministry of Labour and Social Protection)').count()).toBe(1);
    // The one-time code and state are gone from the address and the history; the token lives in the tab's session only.
    expect(page.url()).not.toMatch(/code=|state=/);
    expect(await page.evaluate<number>('localStorage.length')).toBe(0);
    expect((await axeViolations(page)).violations).toEqual([]);
    await screenshot(page, 'supervisor-signed-in-with-provider');

    // Signing out ends the provider's session too: the next person at this computer must sign in again.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL((url) => url.origin === new URL(idp.issuer).origin);
    await screenshot(page, 'provider-sign-out');
    await page.getByRole('button', { name: 'Yes, sign me out' }).click();
    await page.waitForURL((url) => url.origin === consoleUrl);
    await page.getByRole('button', { name: 'Sign in with your organisation' }).click();
    await page.getByLabel('Password').waitFor();
    await context.close();
  });
});
