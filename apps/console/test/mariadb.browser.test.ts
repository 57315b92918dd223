import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTestDatabase, mariadbReachable, type TestDatabase } from '@upsync/sync-core/testing';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { chromiumAvailable, launchChromium, seriousAxeViolations, signIn } from './helpers/browser.js';
import { type ConsoleServer, startConsoleServer, TOKENS } from './helpers/console-server.js';
import { FAILING_FIELD, seedRuns } from './helpers/seed.js';

// The same console on MariaDB: sign-in, the runs list, a failed run's detail. Skipped loudly when
// MariaDB is not answering (mariadbReachable throws under CI=true instead).

vi.setConfig({ testTimeout: 60_000, hookTimeout: 180_000 });
const run = chromiumAvailable('console MariaDB suite') && (await mariadbReachable());

describe.skipIf(!run)('the console in Chromium on MariaDB', () => {
  let db: TestDatabase;
  let server: ConsoleServer;
  let profile: string;
  let browser: BrowserContext;
  let page: Page;
  let failedRunId: number;

  beforeAll(async () => {
    db = await createTestDatabase('console_browser');
    server = await startConsoleServer(db.url);
    ({ failedRunId } = await seedRuns(server.url, 120));
    profile = await mkdtemp(path.join(tmpdir(), 'upsync-console-chromium-'));
    browser = await launchChromium(profile);
    page = await browser.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await db?.drop();
    if (profile) await rm(profile, { recursive: true, force: true });
  });

  it('signs in and lists the runs, newest first', async () => {
    await signIn(page, server.consoleUrl, TOKENS.operator);
    await page.getByRole('link', { name: 'Runs', exact: true }).click();
    await expect.poll(() => page.locator('table.runs tbody tr').count()).toBe(50);
    expect(await page.locator('table.runs tbody tr').first().textContent()).toContain(`#${failedRunId}`);
    expect(await seriousAxeViolations(page)).toEqual([]);
  });

  it('opens the failed run and shows its field path', async () => {
    await page.getByRole('link', { name: `#${failedRunId}` }).click();
    const issues = page.getByRole('table', { name: 'What the server refused, by field path' });
    await expect.poll(() => issues.textContent()).toContain(FAILING_FIELD);
    expect(await page.locator('dl.facts').textContent()).toContain('operator');
  });
});
