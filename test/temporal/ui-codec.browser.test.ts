// The Temporal Web UI, opened in Chromium on a pathway's workflow, shows its input decrypted by the
// service's codec endpoint: the embedded UI of development, which sends no token.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../config/index.js';
import { freePort } from '../../src/child-process.js';
import { findTemporalCli } from '../../src/temporal/cli.js';
import { startTemporalDevServer, type EmbeddedTemporal } from '../../src/temporal/dev-server.js';
import { workflowPageUrl } from '../../src/temporal/ui.js';
import { SEARCH_ATTRIBUTES } from '../../workflows/search-attributes.js';
import { startTestApi, tokenFor } from '../helpers/api.js';
import { launchBrowser, screenshot } from '../helpers/browser.js';
import { ACTORS, ARRIVAL } from '../helpers/pathways.js';
import { person } from '../helpers/people.js';
import { startTestStack, testLogger, type TestStack } from '../helpers/stack.js';

let dataDir: string;
let temporal: EmbeddedTemporal | undefined;
let stack: TestStack | undefined;
let app: FastifyInstance | undefined;
let browser: Browser | undefined;
let api: string;

beforeAll(async () => {
  // First: without Chromium this fails at once, saying how to install it.
  browser = await launchBrowser();
  const logger = testLogger().child({ component: 'temporal-ui-test' });
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'pathways-ui-'));
  // A dev server of this file's own, whose UI calls this file's API: its port is chosen first.
  const apiPort = await freePort();
  api = `http://127.0.0.1:${apiPort}`;
  const cliPath = await findTemporalCli({ explicitPath: process.env.TEMPORAL_CLI_PATH, toolsDir: path.join(PROJECT_ROOT, '.tools'), logger });
  temporal = await startTemporalDevServer({
    cliPath,
    dataDir,
    namespace: 'pathways',
    port: 0,
    uiPort: 0,
    uiCodecEndpoint: `${api}/codec`,
    searchAttributes: SEARCH_ATTRIBUTES,
    logger,
  });
  stack = await startTestStack({ env: { TEMPORAL_ADDRESS: temporal.address, TEMPORAL_UI_URL: temporal.uiUrl } });
  app = await startTestApi(stack);
  await app.listen({ host: '127.0.0.1', port: apiPort });
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await stack?.stop();
  await temporal?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

/** The whole text of a CodeMirror block (it renders only the lines in view), else what is rendered. */
async function codeBlockText(block: Locator): Promise<string> {
  await block.waitFor();
  return block.evaluate((node) => {
    const view = (node as unknown as { cmView?: { view?: { state: { doc: { toString(): string } } } } }).cmView?.view;
    return view ? view.state.doc.toString() : ((node as unknown as { innerText: string }).innerText ?? '');
  });
}

describe('the Temporal Web UI of development', () => {
  it("shows a pathway's workflow input decrypted, as JSON", async () => {
    const token = await tokenFor(stack!, ACTORS.coordinator);
    const opened = await fetch(`${api}/v1/pathways`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', prefer: 'return=minimal' },
      body: JSON.stringify({ programme: 'KG', operation: 'Meerim', arrivalDate: ARRIVAL, person: person(7, ARRIVAL, { arrivedWith: 'siblings' }) }),
    });
    expect(opened.status, await opened.clone().text()).toBe(201);
    const { id } = (await opened.json()) as { id: string };

    const page = await browser!.newPage();
    const codecAnswers: { status: number; allowOrigin?: string }[] = [];
    page.on('response', (response) => {
      if (response.url() === `${api}/codec/decode` && response.request().method() === 'POST') codecAnswers.push({ status: response.status(), allowOrigin: response.headers()['access-control-allow-origin'] });
    });
    // The link the service gives for a pathway: the UI opens its latest run's history.
    await page.goto(workflowPageUrl(stack!.config, id)!);
    // The UI's codec status: "Codec Server could not connect" when a decode call fails.
    await page.getByTestId('data-encoder-status-success').waitFor({ timeout: 30_000 });
    const inputBlock = page.getByTestId('input-and-result').locator('.cm-content').first();
    await expect.poll(() => codeBlockText(inputBlock), { timeout: 30_000 }).toContain('"pathwayId"');
    const text = await codeBlockText(inputBlock);
    await screenshot(page, 'temporal-ui-pathway-input');

    // Not the encrypted payload the UI shows when the codec fails: its metadata and ciphertext.
    expect(text).not.toContain('encryption-key-id');
    const input = JSON.parse(text) as { pathwayId: string; programme: string; person: { ageBand: string } };
    expect(input).toMatchObject({ pathwayId: id, programme: 'KG', person: { ageBand: '6-11' } });
    expect(codecAnswers.length).toBeGreaterThan(0);
    expect(codecAnswers).toEqual(codecAnswers.map(() => ({ status: 200, allowOrigin: new URL(temporal!.uiUrl).origin })));
  });
});
