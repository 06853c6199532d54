import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/domain/model.js';
import { call } from '../helpers/api.js';
import { axeViolations, screenshot } from '../helpers/browser.js';
import { driveOverHttp } from '../helpers/http-driver.js';
import { ACTORS, ARRIVAL } from '../helpers/pathways.js';
import { person } from '../helpers/people.js';
import { checkPage, signIn, useConsole } from './console-driver.js';

const ui = useConsole();

/** A phone's screen, as the issue measured the worklist on. */
const PHONE = { width: 390, height: 844 };

/** A long name and a long note: the widest things people write. */
const mother = person(34, ARRIVAL, {
  sex: 'female',
  givenName: 'Dilnozakhon Madinakhon Safiyabonu',
  familyName: 'Karimovaya-Yusupovaya-Nurlanovaya',
  patronymic: 'Rustamovna',
  arrivedWith: 'adult',
});
const children = [person(9, ARRIVAL, { arrivedWith: 'mother' }), person(6, ARRIVAL, { arrivedWith: 'mother' })];
const NOTE =
  'Arrived with two children after eleven months in a camp; the younger one needs a paediatrician. ' +
  'Documents: https://registry.example/cases/K-7/very-long-reference-without-any-spaces-0123456789abcdefghijklmnopqrstuvwxyz ' +
  'Mother speaks Tajik and Russian; prefers calls in the morning.';

const ids = { mother: '', child: '', deciding: '', webhook: '' };

const post = (actor: Actor, url: string, payload: object) => call(ui.app, ui.stack, actor, { method: 'POST', url, payload });

beforeAll(async () => {
  const cohort = await post(ACTORS.coordinator, '/v1/cohorts', {
    programme: 'KZ', operation: 'Zhusan', phase: '1', arrivalDate: ARRIVAL,
    people: [mother, ...children].map((p) => ({ familyGroupId: 'K-7', person: p })),
  });
  expect(cohort.statusCode, cohort.body).toBe(201);
  [ids.mother, ids.child, ids.deciding] = cohort.json().pathways.map((p: { id: string }) => p.id);
  // A note on the mother's pathway, with one long word in it.
  const state = (await call(ui.app, ui.stack, ACTORS.staff, { method: 'GET', url: `/v1/pathways/${ids.mother}` })).json();
  const step = state.availableActions.find((a: { routine: boolean; roles: string[] }) => a.routine && a.roles.includes('staff'));
  expect((await post(ACTORS.staff, `/v1/pathways/${ids.mother}/actions`, { type: step.type, payload: step.example, note: NOTE })).statusCode).toBe(200);
  // A referral of her psychosocial stage to an NGO, whose staff see it in their worklist.
  const referral = { stage: 'psychosocial', to: 'pravo', reason: 'psychosocial-support', consent: { by: 'person' }, respondWithin: 'P5D' };
  expect((await post(ACTORS.staff, `/v1/pathways/${ids.mother}/actions`, { type: 'referral.create', payload: referral })).statusCode).toBe(200);
  // Another organisation breaks the glass on a child's pathway: oversight reviews it.
  const glass = await post({ id: 'staff.akniet', role: 'staff', org: 'akniet' }, `/v1/pathways/${ids.child}/emergency-access`, { reason: 'medical-emergency', note: NOTE });
  expect(glass.statusCode, glass.body).toBe(201);
  // Another organisation opens the mother again: oversight is told of a possible duplicate.
  const again = await post({ id: 'coordinator.pravo', role: 'coordinator', org: 'pravo' }, '/v1/pathways', {
    programme: 'KZ', operation: 'Zhusan', arrivalDate: ARRIVAL, person: { ...mother, givenName: 'Dilnoza Madina Safiya' },
  });
  expect(again.statusCode, again.body).toBe(201);
  // A webhook with a long address, as an organisation's case system names its endpoints.
  const hook = await post(ACTORS.supervisor, '/v1/webhooks', { url: `https://cases.example.org/api/v2/inbound/pathways/${'x'.repeat(60)}`, description: 'Case system of the regional office' });
  expect(hook.statusCode, hook.body).toBe(201);
  ids.webhook = hook.json().id;
  // The other child's placement waits for a supervisor's approval.
  await driveOverHttp(ui.app, ui.stack, ids.deciding, { until: (s) => s.availableActions.some((a) => a.type === 'placement.approve'), timeoutMs: 120_000 });
}, 180_000);

/** Each role's pages, as its navigation and links reach them; `ready` is the page's heading or a row it must show. */
const PAGES: Record<string, [name: string, path: () => string][]> = {
  'coordinator.mlsp': [
    ['pathways', () => '#/pathways?operation=Zhusan&phase=1'], ['pathway', () => `#/pathways/${ids.mother}`], ['family', () => `#/pathways/${ids.mother}/family`],
    ['worklist', () => '#/worklist'], ['open', () => '#/open'], ['cohort', () => '#/cohort'], ['inbox', () => '#/inbox'],
  ],
  'staff.mlsp': [
    ['worklist', () => '#/worklist'], ['pathway', () => `#/pathways/${ids.child}`], ['family', () => `#/pathways/${ids.child}/family`],
    ['mail-settings', () => '#/mail-settings'], ['dev-mail', () => '#/dev/mail'], ['inbox', () => '#/inbox'],
  ],
  'supervisor.mlsp': [
    ['approvals', () => '#/approvals'], ['worklist', () => '#/worklist'], ['pathways', () => '#/pathways'], ['pathway', () => `#/pathways/${ids.deciding}`],
    ['history', () => `#/pathways/${ids.mother}/history`], ['inbox', () => '#/inbox'],
    ['webhooks', () => '#/webhooks'], ['webhook-deliveries', () => `#/webhooks/${ids.webhook}`],
  ],
  // The second supervisor reads the reports: one person's pages would not fit in one test's time.
  'supervisor-2.mlsp': [['reports', () => '#/reports'], ['indicators', () => '#/reports/indicators'], ['statistics', () => '#/reports/statistics'], ['exports', () => '#/reports/exports']],
  'supervisor.oversight': [['emergency', () => '#/emergency-review'], ['duplicates', () => '#/duplicate-review'], ['approvals', () => '#/approvals'], ['inbox', () => '#/inbox']],
  'staff.pravo': [['worklist', () => '#/worklist'], ['pathway', () => `#/pathways/${ids.mother}`], ['inbox', () => '#/inbox']],
};

/** What reaches past the right edge of the screen: the page's own width, and each element beyond it (those clipped away for screen readers aside). */
const OVERFLOW = `(() => {
  const width = document.documentElement.clientWidth;
  const clipped = (el) => { for (let a = el; a; a = a.parentElement) { if (getComputedStyle(a).clip !== 'auto') return true; } return false; };
  const beyond = [...document.querySelectorAll('body *')].filter((el) => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && r.right > width + 1 && !clipped(el);
  });
  return {
    scrollWidth: document.documentElement.scrollWidth, innerWidth,
    beyond: beyond.map((el) => el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).replace(/ /g, '.') : '') + ' right=' + Math.round(el.getBoundingClientRect().right) + ' "' + (el.textContent || '').trim().slice(0, 40) + '"'),
  };
})()`;

/** Waits until the page has loaded what it shows: its heading, no request under way, nothing still loading. */
async function settled(page: Page): Promise<void> {
  await page.locator('main h1').first().waitFor();
  await page.waitForLoadState('networkidle');
  await page.locator('main p.muted[role=status]').first().waitFor({ state: 'detached' }).catch(() => undefined);
}

async function expectFits(page: Page, name: string): Promise<void> {
  await settled(page);
  const found = await page.evaluate<{ scrollWidth: number; innerWidth: number; beyond: string[] }>(OVERFLOW);
  expect(found.beyond, `${name}: off screen`).toEqual([]);
  expect(found.scrollWidth, `${name}: the page scrolls sideways`).toBeLessThanOrEqual(found.innerWidth);
  const findings = await axeViolations(page);
  expect(findings.violations, `${name}: ${findings.summary}`).toEqual([]);
  await screenshot(page, name);
}

/** A cohort from a CSV file: its rows checked (a table of people and problems), then opened (a table of pathways). */
async function cohortPreviewAndResult(page: Page, language: string): Promise<void> {
  await page.goto('/#/cohort');
  await page.selectOption('#programme', 'TJ');
  await page.fill('#arrivalDate', ARRIVAL);
  // Other ages in each language, so the second cohort is not taken for the first one's people.
  const [younger, older] = language === 'ru' ? [11, 16] : [12, 15];
  const rows = [person(younger, ARRIVAL, { arrivedWith: 'orphan' }), person(older, ARRIVAL, { arrivedWith: 'orphan', ...(language === 'en' ? { givenName: 'Bilolidin Timurbek Yusufjon' } : {}) })];
  const csv = ['givenName,familyName,patronymic,sex,birthDate,arrivedWith', ...rows.map((r) => [r.givenName, r.familyName, r.patronymic, r.sex, r.birthDate, r.arrivedWith].join(','))].join('\r\n');
  await page.setInputFiles('#csv', { name: 'arrival.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.getByRole('button', { name: language === 'ru' ? 'Проверить' : 'Check' }).click();
  const open = page.getByRole('button', { name: language === 'ru' ? /Открыть маршруты/ : /Open the pathways/ });
  await open.waitFor();
  await expectFits(page, `phone-coordinator-cohort-preview-${language}`);
  await open.click();
  await page.getByText(language === 'ru' ? /Открыто маршрутов: 2/ : /Pathways opened: 2/).waitFor();
  await expectFits(page, `phone-coordinator-cohort-result-${language}`);
}

describe('every page of every role on a 390 px phone, in English and Russian', () => {
  it.each(Object.keys(PAGES))('%s: nothing off screen', async (id) => {
    const user = await signIn(ui.browser, ui.baseUrl, id);
    const { page } = user;
    await page.setViewportSize(PHONE);
    for (const language of ['en', 'ru']) {
      if (language === 'ru') await page.selectOption('#language', 'ru');
      for (const [name, path] of PAGES[id]!) {
        await page.goto(`/${path()}`);
        await expectFits(page, `phone-${id}-${name}-${language}`);
      }
      if (id === 'coordinator.mlsp') await cohortPreviewAndResult(page, language);
      // Search results: the query is typed into the header's box.
      await page.fill('#search-q', 'Karimovaya');
      await page.press('#search-q', 'Enter');
      await page.locator('tr[data-pathway]').first().waitFor();
      await expectFits(page, `phone-${id}-search-${language}`);
    }
    await user.context.close();
  }, 300_000);

  it("shows the worklist's Claim button and the approvals' decision on the phone, and takes screenshots at 390 and 1366", async () => {
    const staff = await signIn(ui.browser, ui.baseUrl, 'staff.mlsp');
    for (const [language, claim] of [['en', 'Claim'], ['ru', /Взять/]] as const) {
      if (language === 'ru') await staff.page.selectOption('#language', 'ru');
      await staff.page.setViewportSize({ width: 1366, height: 900 });
      await staff.page.goto('/#/worklist');
      await settled(staff.page);
      await checkPage(staff.page, `worklist-1366-${language}`);
      await staff.page.setViewportSize(PHONE);
      await settled(staff.page);
      const button = staff.page.getByRole('button', { name: claim }).first();
      const box = (await button.boundingBox())!;
      expect(box.x + box.width).toBeLessThanOrEqual(PHONE.width);
      await checkPage(staff.page, `worklist-390-${language}`);
    }
    await staff.context.close();
  }, 120_000);
});
