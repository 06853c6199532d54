import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { Actor } from '../../src/domain/model.js';
import { call } from '../helpers/api.js';
import { stateOver } from '../helpers/http-driver.js';
import { ARRIVAL, openOne } from '../helpers/pathways.js';
import { person } from '../helpers/people.js';
import { checkPage, openPathway, signIn, useConsole } from './console-driver.js';

const ui = useConsole();

/** Reverses whatever follows it in its paragraph, unless what holds it is isolated. */
const RLO = '\u202E';
/** One word of 2,001 letters: nowhere to break it but anywhere. */
const LONG = 'x'.repeat(2_001);

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1366, height: 768 };

/**
 * Where each piece of text is drawn in the first element of `selector` whose text holds `marker`:
 * its left edge, and whether an element inside that one isolates it from the text around (blocks such as
 * a paragraph are isolates already in Chromium: what counts is the text next to it in the same line).
 */
const PLACES = `(([selector, marker, needles]) => {
  const root = [...document.querySelectorAll(selector)].find((el) => el.textContent.includes(marker));
  if (!root) return null;
  const found = {};
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (const needle of needles) {
      const at = node.data.indexOf(needle);
      if (at < 0 || needle in found) continue;
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + needle.length);
      let isolated = false;
      for (let el = node.parentElement; el && el !== root; el = el.parentElement) {
        if (/isolate|plaintext/.test(getComputedStyle(el).unicodeBidi)) isolated = true;
      }
      found[needle] = { left: range.getBoundingClientRect().left, isolated };
    }
  }
  return found;
})`;

type Places = Record<string, { left: number; isolated: boolean }> | null;
const places = (page: Page, selector: string, marker: string, needles: string[]) =>
  page.evaluate<Places>(`${PLACES}(${JSON.stringify([selector, marker, needles])})`);

/** The outermost elements that reach past the window's right edge, for a message that says what to fix. */
const TOO_WIDE = `[...document.querySelectorAll('body *')]
  .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1 && !(el.parentElement.getBoundingClientRect().right > window.innerWidth + 1))
  .map((el) => el.outerHTML.slice(0, 120))`;

/** The page is no wider than the window: nothing to scroll sideways. */
async function fitsWidth(page: Page, name: string) {
  const widths = await page.evaluate<{ scroll: number; window: number }>('({ scroll: document.documentElement.scrollWidth, window: window.innerWidth })');
  const wide = widths.scroll > widths.window ? await page.evaluate<string[]>(TOO_WIDE) : [];
  expect(widths.scroll, `${name} is ${widths.scroll} px wide in a ${widths.window} px window: ${wide.join('\n')}`).toBeLessThanOrEqual(widths.window);
}

/** At a phone's width and a laptop's: no sideways scroll, and the usual checks (with a screenshot each). */
async function atBothWidths(page: Page, name: string) {
  for (const [size, suffix] of [[PHONE, '390'], [DESKTOP, '1366']] as const) {
    await page.setViewportSize(size);
    await fitsWidth(page, `${name} at ${suffix} px`);
    await checkPage(page, `${name}-${suffix}`);
  }
}

describe('names, ids and notes people wrote, in Chromium', () => {
  it('are isolated from the text around them, and a long word wraps instead of widening the page', async () => {
    const who = person(34, ARRIVAL, { sex: 'female', givenName: `${RLO}Aigerimka` });
    const pathwayId = await openOne(ui.stack, 'KZ', who);
    // A sign-in id ending in an override, and a note of one long word, recorded over the API.
    const writer: Actor = { id: `case-worker${RLO}`, role: 'staff', org: 'mlsp' };
    const state = await stateOver(ui.app, ui.stack, pathwayId, writer);
    const referral = state.availableActions.find((a) => a.type === 'referral.create')!;
    const sent = await call(ui.app, ui.stack, writer, {
      method: 'POST',
      url: `/v1/pathways/${pathwayId}/actions`,
      payload: { type: 'referral.create', payload: { ...referral.example, to: 'akniet' }, note: LONG },
    });
    expect(sent.statusCode, sent.body).toBe(200);
    // The same person holds the pathway: the worklist and the caseload by worker name them.
    const claimed = await call(ui.app, ui.stack, writer, { method: 'POST', url: `/v1/pathways/${pathwayId}/actions`, payload: { type: 'pathway.claim', payload: {} } });
    expect(claimed.statusCode, claimed.body).toBe(200);
    const outsider: Actor = { id: `staff.pravo${RLO}`, role: 'staff', org: 'pravo' };
    const grant = await call(ui.app, ui.stack, outsider, { method: 'POST', url: `/v1/pathways/${pathwayId}/emergency-access`, payload: { reason: 'other', note: LONG.slice(0, 2_000) } });
    expect(grant.statusCode, grant.body).toBeLessThan(300);

    const supervisor = await signIn(ui.browser, ui.baseUrl, 'supervisor.mlsp');
    const { page } = supervisor;
    await openPathway(supervisor, pathwayId);
    // The heading keeps its order: family name, given name, patronymic, though the given name starts with an override.
    const heading = await places(page, 'h1', who.familyName, [who.familyName, 'Aigerimka', who.patronymic!]);
    expect(heading, 'the heading holds the name').not.toBeNull();
    expect(heading!.Aigerimka!.isolated).toBe(true);
    expect(heading![who.familyName]!.left).toBeLessThan(heading!.Aigerimka!.left);
    expect(heading!.Aigerimka!.left).toBeLessThan(heading![who.patronymic!]!.left);
    await atBothWidths(page, 'free-text-pathway');

    await page.goto(`/#/pathways/${pathwayId}/history`);
    await page.locator('.history blockquote').first().waitFor();
    // "(Staff, …)" after the id that ends in an override still reads left to right.
    const by = await places(page, '.history p', writer.id, [writer.id, 'Staff', 'Ministry']);
    expect(by, 'the history names who recorded the referral').not.toBeNull();
    expect(by![writer.id]!.isolated).toBe(true);
    expect(by![writer.id]!.left).toBeLessThan(by!.Staff!.left);
    expect(by!.Staff!.left).toBeLessThan(by!.Ministry!.left);
    await atBothWidths(page, 'free-text-history');

    // The supervisor's other pages, in Russian: none scrolls sideways on a phone either.
    await page.selectOption('#language', 'ru');
    for (const route of ['approvals', 'worklist', 'pathways', 'reports']) {
      await page.goto(`/#/${route}`);
      await page.locator('caption').first().waitFor();
      await atBothWidths(page, `free-text-${route}-ru`);
    }

    const oversight = await signIn(ui.browser, ui.baseUrl, `supervisor.${ui.stack.config.auth.oversightOrg}`);
    await oversight.page.goto('/#/emergency-review');
    await oversight.page.locator('tr', { hasText: outsider.id }).waitFor();
    const granted = await places(oversight.page, 'td', outsider.id, [outsider.id, 'Staff']);
    expect(granted![outsider.id]!.isolated).toBe(true);
    expect(granted![outsider.id]!.left).toBeLessThan(granted!.Staff!.left);
    await atBothWidths(oversight.page, 'free-text-emergency-review');
  });
});
