import { copyFile, mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import axe from 'axe-core';
import type { Page } from 'playwright-core';
// the repository's one way to start Debian's Chromium (packages/client's browser tests use it too)
import { chromiumInstalled, launchChromium } from '../../../../packages/client/test/helpers/chromium.js';

export { launchChromium };

/**
 * Whether the browser suites run: without /usr/bin/chromium they are skipped, loudly, except under
 * CI=true, where a missing browser fails the run (`.ci/run` installs it).
 */
export function chromiumAvailable(suite: string): boolean {
  if (chromiumInstalled) return true;
  if (process.env.CI === 'true') throw new Error(`${suite}: /usr/bin/chromium is missing (CI=true)`);
  console.warn(`\n  SKIPPED ${suite}: /usr/bin/chromium is not installed (apt-get install chromium)\n`);
  return false;
}

/**
 * axe-core's serious and critical violations on the page as it is now. axe is evaluated through
 * the DevTools protocol, which the page's Content-Security-Policy does not govern (an injected
 * <script> would be refused by script-src 'self', as it should be).
 */
export async function seriousAxeViolations(page: Page): Promise<string[]> {
  await page.evaluate(axe.source);
  const violations = await page.evaluate(async () => {
    const result = await (window as unknown as { axe: typeof axe }).axe.run(document, {
      resultTypes: ['violations'],
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.map((n) => n.target.join(' ')),
    }));
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} at ${v.targets.slice(0, 3).join(', ')}`);
}

/**
 * Every Content-Security-Policy refusal, console error and uncaught error of the page, to assert
 * there was none. Chromium's own line for a 401/403 answer is left out: the console asks with a
 * token that may lack a scope on purpose and says so on the page.
 */
export function watchPageProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    const text = message.text();
    if (message.type() === 'error' && !/^Failed to load resource: .* status of 40[13]/.test(text))
      problems.push(`console: ${text}`);
  });
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  return problems;
}

const SCREENSHOTS = path.resolve(import.meta.dirname, '../../../../docs/screenshots');
let shotDir: string | undefined;

/**
 * A full-page screenshot. Kept in a temporary folder; with UPSYNC_CONSOLE_SCREENSHOTS=1 also
 * written to the repository's docs/screenshots/ (the committed pictures of docs/console.md), so
 * that an ordinary test run leaves the work tree clean.
 */
export async function screenshot(page: Page, name: string): Promise<string> {
  shotDir ??= await mkdtemp(path.join(tmpdir(), 'upsync-console-shots-'));
  const file = path.join(shotDir, name);
  await page.screenshot({ path: file, fullPage: true });
  if (process.env.UPSYNC_CONSOLE_SCREENSHOTS === '1') {
    await mkdir(SCREENSHOTS, { recursive: true });
    await copyFile(file, path.join(SCREENSHOTS, name));
  }
  return file;
}

/** Signs in on the console's sign-in form, as a person does: types the token, presses Enter. */
export async function signIn(page: Page, consoleUrl: string, token: string): Promise<void> {
  await page.goto(consoleUrl);
  await page.getByLabel('Token').fill(token);
  await page.getByLabel('Token').press('Enter');
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}
