/**
 * The browser side of the workspace tests: Debian's Chromium through
 * playwright-core, a context per person, axe-core injected on each page
 * checked, sign-in, and watching a run page until the run ends.
 */
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { Test } from 'tap';
import { packageRoot } from '../../harness/package-root.js';
import { boundedBy } from './bounds.js';

export const CHROMIUM = '/usr/bin/chromium';
const AXE = join(packageRoot(), 'node_modules', 'axe-core', 'axe.min.js');
const WCAG_22_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
/** A run of the baseline profile against the reference supplier, on a loaded machine: waited for, never timed. */
export const RUN_WAIT_MS = boundedBy(120_000);

/** Chromium, headless, with a fresh profile (playwright gives each launch its own temporary user data folder). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export async function newContext(t: Test, browser: Browser): Promise<{ context: BrowserContext; page: Page; pageErrors: string[] }> {
  // bypassCSP lets the test inject axe-core's script; the pages' own policy is asserted from their headers.
  const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1200, height: 900 } });
  t.teardown(() => context.close());
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  return { context, page, pageErrors };
}

export async function assertAccessible(t: Test, page: Page, label: string): Promise<void> {
  await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async (tags) => {
    const page = globalThis as unknown as { document: unknown; axe: { run(context: unknown, options: unknown): Promise<{ violations: Array<{ id: string; help: string; nodes: Array<{ target: unknown }> }> }> } };
    const result = await page.axe.run(page.document, { runOnly: { type: 'tag', values: tags } });
    return result.violations.map((v) => `${v.id} (${v.help}): ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`);
  }, WCAG_22_AA);
  t.same(violations, [], `${label}: no WCAG 2.2 AA violation found by axe-core`);
}

export async function signIn(page: Page, base: string, who: { email: string; password: string }): Promise<void> {
  await page.goto(`${base}/login`);
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.pathname !== '/login');
}

/** Waits until the run page shows the run ended, and says whether the page was live (not yet ended) when it loaded. */
export async function watchRun(page: Page, base: string, runPath: string): Promise<{ wasLive: boolean; received: number; outcome: string | null }> {
  await page.goto(`${base}${runPath}`);
  const progress = page.locator('#progress');
  const wasLive = (await progress.getAttribute('data-state')) === 'live';
  await page.locator('#progress[data-state="ended"]').waitFor({ state: 'attached', timeout: RUN_WAIT_MS });
  await page.locator('#run-outcome[data-status="finished"], #run-outcome[data-status="failed"]').waitFor({ state: 'attached', timeout: RUN_WAIT_MS });
  return {
    wasLive,
    received: Number((await progress.getAttribute('data-events-received')) ?? 0),
    outcome: await page.locator('#run-outcome').getAttribute('data-status'),
  };
}
