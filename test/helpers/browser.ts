import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { AxeResults, Result } from 'axe-core';
import { chromium, type Browser, type Page } from 'playwright-core';
import { PROJECT_ROOT } from '../../config/index.js';

/**
 * Browser tests drive the distribution's Chromium (Debian's `chromium` package) with
 * playwright-core; Playwright's own browsers are never downloaded.
 */
const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

/** Where screenshots go (kept out of git). */
export const RESULTS_DIR = path.join(PROJECT_ROOT, 'test-results');

/** The Chromium to run: CHROMIUM_PATH, else the distribution's; a clear error says how to get one. */
export function chromiumPath(): string {
  const explicit = process.env.CHROMIUM_PATH;
  if (explicit) {
    if (existsSync(explicit)) return explicit;
    throw new Error(`CHROMIUM_PATH points at ${explicit}, which does not exist.`);
  }
  const found = CANDIDATES.find((candidate) => existsSync(candidate));
  if (found) return found;
  throw new Error(
    `Browser tests need Chromium, and none was found at ${CANDIDATES.join(' or ')}. ` +
      'Install it with: apt-get install -y chromium (as root), or set CHROMIUM_PATH to a Chromium or Chrome binary.',
  );
}

/** A headless Chromium; without the sandbox when running as root (CI, containers), where it cannot start with one. */
export async function launchBrowser(): Promise<Browser> {
  const asRoot = process.getuid?.() === 0;
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: [...(asRoot ? ['--no-sandbox'] : []), '--disable-dev-shm-usage'],
  });
}

/** Saves a full-page PNG as test-results/<name>.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `${name.replace(/[^A-Za-z0-9._-]+/g, '-')}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

export interface AxeFindings {
  /** The serious and critical violations only. */
  violations: Result[];
  /** One line per violation and element, for an assertion message. */
  summary: string;
}

let axeSource: Promise<string> | undefined;

/**
 * Runs axe-core in the page and returns its serious and critical violations. The source is
 * evaluated through the DevTools protocol, so a page's Content-Security-Policy does not stop it.
 */
export async function axeViolations(page: Page): Promise<AxeFindings> {
  axeSource ??= readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  await page.evaluate(await axeSource);
  const results = await page.evaluate(() => (globalThis as unknown as { axe: { run(): Promise<AxeResults> } }).axe.run());
  const violations = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const summary = violations
    .flatMap((v) => v.nodes.map((node) => `${v.impact} ${v.id}: ${v.help} at ${node.target.join(' ')}`))
    .join('\n');
  return { violations, summary: summary || 'no serious or critical violations' };
}
