import { beforeAll, describe, expect, it } from 'vitest';
import { call } from '../helpers/api.js';
import { act, ACTORS, ARRIVAL, stateOf, waitFor } from '../helpers/pathways.js';
import { person } from '../helpers/people.js';
import { checkPage, signIn, useConsole } from './console-driver.js';

const ui = useConsole();

/** A name as lists show it: family name first. */
const nameOf = (p: { familyName: string; givenName: string; patronymic?: string }) => [p.familyName, p.givenName, p.patronymic].filter(Boolean).join(' ');

describe('a cohort released from quarantine together, in Chromium', () => {
  // Five mothers with three children each: one arrival.
  const people = Array.from({ length: 20 }, (_, i) => ({
    familyGroupId: `R-${Math.floor(i / 4)}`,
    person: i % 4 === 0 ? person(28 + i, ARRIVAL, { sex: 'female' }) : person(2 + (i % 14), ARRIVAL, { arrivedWith: 'mother' }),
  }));
  let ids: string[];

  beforeAll(async () => {
    const response = await call(ui.app, ui.stack, ACTORS.coordinator, {
      method: 'POST',
      url: '/v1/cohorts',
      payload: { programme: 'KZ', operation: 'Zhusan', phase: '2', arrivalDate: ARRIVAL, people },
    });
    expect(response.statusCode, response.body).toBe(201);
    ids = response.json().pathways.map((p: { id: string }) => p.id);
    // Screened and questioned: each may now be released.
    await Promise.all(
      ids.map(async (id) => {
        await act(ui.stack.client, id, 'medical.record-screening', { result: 'cleared' }, ACTORS.staff);
        if ((await stateOf(ui.stack.client, id)).stages.find((s) => s.stage === 'security')?.status !== 'skipped') {
          await act(ui.stack.client, id, 'security.record-outcome', { outcome: 'cleared' }, ACTORS.staff);
        }
        await waitFor(ui.stack.client, id, (s) => s.availableActions.some((a) => a.type === 'quarantine.release'));
      }),
    );
  });

  it('selects the 20, confirms, and reads 19 done and 1 refused with its reason, in English and Russian', async () => {
    const { page } = await signIn(ui.browser, ui.baseUrl, 'staff.mlsp');
    // The worklist shows what the pathways wrote: reload until all twenty offer their release.
    await expect
      .poll(async () => {
        await page.reload();
        await page.getByRole('heading', { name: 'Worklist' }).waitFor();
        return page.locator('tbody tr', { hasText: 'Quarantine: release' }).count();
      }, { timeout: 30_000, interval: 500 })
      .toBe(20);

    await page.getByRole('checkbox', { name: 'Select everyone on this page' }).check();
    await page.getByRole('checkbox', { name: `Select ${nameOf(people[7]!.person)}` }).waitFor();
    expect(await page.getByRole('checkbox', { name: /^Select / }).evaluateAll((boxes) => boxes.filter((b) => (b as unknown as { checked: boolean }).checked).length)).toBe(21);
    await page.getByRole('button', { name: 'Release from quarantine (20)' }).click();
    const confirmation = page.getByRole('alertdialog');
    await expect.poll(() => confirmation.locator('li').count()).toBe(20);
    expect(await confirmation.innerText()).toContain(nameOf(people[0]!.person));
    // The count in words, through the language's plural rules.
    expect(await confirmation.innerText()).toContain('20 people will be released from quarantine');
    await checkPage(page, 'bulk-release-confirm');

    // Meanwhile a colleague releases one of them on their own.
    const early = people[5]!.person;
    await act(ui.stack.client, ids[5]!, 'quarantine.release', {}, ACTORS.otherStaff);
    await confirmation.getByRole('button', { name: 'Yes, do it' }).click();

    const results = page.getByRole('region', { name: 'Release from quarantine: the result' });
    await results.getByRole('status').filter({ hasText: '19 done, 1 refused' }).waitFor();
    const refused = results.locator('li.refused');
    expect(await refused.count()).toBe(1);
    expect(await refused.innerText()).toContain(nameOf(early));
    expect(await refused.innerText()).toContain('Refused');
    expect(await refused.locator('.reason').innerText()).toMatch(/quarantine/i);
    expect(await results.locator('li.done').count()).toBe(19);
    await checkPage(page, 'bulk-release-result');

    // The same result in Russian.
    await page.selectOption('#language', 'ru');
    const resultsRu = page.getByRole('region', { name: 'Выписка из карантина: результат' });
    await resultsRu.getByRole('status').filter({ hasText: 'Выполнено: 19, отказано: 1' }).waitFor();
    expect(await resultsRu.locator('li.refused').innerText()).toContain('Отказано');
    expect(await resultsRu.locator('li.refused .reason').innerText()).toMatch(/этап/i);
    await checkPage(page, 'bulk-release-result-ru');

    // Each pathway released once: the colleague's one by the colleague, the others by the bulk step.
    const releasedBy = async (id: string) =>
      (await ui.stack.db.pool.query<{ actor_id: string }>("select actor_id from audit_entries where pathway_id = $1 and kind = 'action' and type = 'quarantine.release'", [id])).rows.map((r) => r.actor_id);
    for (const [index, id] of ids.entries()) {
      await expect.poll(() => releasedBy(id), { timeout: 20_000 }).toEqual([index === 5 ? ACTORS.otherStaff.id : 'staff.mlsp']);
    }
  });

  it("assigns a family to a colleague from the coordinator's pathways list, after saying to whom", async () => {
    const { page } = await signIn(ui.browser, ui.baseUrl, 'coordinator.mlsp');
    await page.getByRole('heading', { name: 'Pathways' }).waitFor();
    await page.selectOption('#f-operation', 'Zhusan');
    await page.selectOption('#f-phase', '2');
    await page.fill('#f-family', 'R-1');
    await page.getByRole('button', { name: 'Filter' }).click();
    await expect.poll(() => page.locator('tbody tr').count()).toBe(4);

    await page.getByRole('checkbox', { name: 'Select everyone on this page' }).check();
    // Whom work may go to: the people of the organisation who have signed in (staff.mlsp, above).
    await page.selectOption('#bulk-assignee', 'staff.mlsp');
    await page.getByRole('button', { name: 'Assign (4)' }).click();
    const confirmation = page.getByRole('alertdialog');
    expect(await confirmation.innerText()).toContain('staff.mlsp');
    await expect.poll(() => confirmation.locator('li').count()).toBe(4);
    await checkPage(page, 'bulk-assign-confirm');
    await confirmation.getByRole('button', { name: 'Yes, do it' }).click();
    await page.getByRole('region', { name: 'Assignment: the result' }).getByRole('status').filter({ hasText: '4 done, 0 refused' }).waitFor();
    for (const id of ids.slice(4, 8)) expect((await stateOf(ui.stack.client, id)).assignments?.pathway).toMatchObject({ assignee: 'staff.mlsp', org: 'mlsp' });
    await checkPage(page, 'bulk-assign-result');
  });

  it('claims a selection whose answer was lost on the way: sent again with the same ids, each is recorded once', async () => {
    const { page } = await signIn(ui.browser, ui.baseUrl, 'staff.mlsp');
    await page.getByRole('heading', { name: 'Worklist' }).waitFor();
    const family = people.slice(8, 11).map((p) => p.person);
    for (const member of family) await page.getByRole('checkbox', { name: `Select ${nameOf(member)}` }).check();
    await page.getByRole('button', { name: 'Claim (3)' }).click();
    // The server records the claims; its answer never reaches the browser.
    await page.route('**/v1/bulk-actions', async (route) => {
      await route.fetch();
      await route.abort('connectionreset');
    });
    await page.getByRole('alertdialog').getByRole('button', { name: 'Yes, do it' }).click();
    const results = page.getByRole('region', { name: 'Claim: the result' });
    await results.getByRole('status').filter({ hasText: '3 without an answer' }).waitFor();
    expect(await results.locator('li.failed').count()).toBe(3);
    await page.unroute('**/v1/bulk-actions');
    await checkPage(page, 'bulk-claim-unanswered');

    const resent = page.waitForResponse((response) => response.url().endsWith('/v1/bulk-actions'));
    await results.getByRole('button', { name: 'Send again (3)' }).click();
    expect((await (await resent).json()).results.map((r: { status: string; applied: boolean }) => [r.status, r.applied])).toEqual(Array(3).fill(['done', false]));
    await results.getByRole('status').filter({ hasText: '3 done, 0 refused' }).waitFor();
    const claims = async (id: string) =>
      (await ui.stack.db.pool.query("select 1 from audit_entries where pathway_id = $1 and kind = 'action' and type = 'pathway.claim'", [id])).rowCount;
    for (const id of ids.slice(8, 11)) await expect.poll(() => claims(id), { timeout: 20_000 }).toBe(1);
  });
});
