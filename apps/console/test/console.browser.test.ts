import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTestSqliteDatabase, type TestDatabase } from '@upsync/sync-core/testing';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  chromiumAvailable,
  launchChromium,
  screenshot,
  seriousAxeViolations,
  signIn,
  watchPageProblems,
} from './helpers/browser.js';
import { type ConsoleServer, startConsoleServer, TOKENS } from './helpers/console-server.js';
import { startPrefixProxy } from './helpers/prefix-proxy.js';
import { FAILING_FIELD, operatorClient, seedRuns } from './helpers/seed.js';

// The console as an operator uses it: Debian's Chromium against the real server (embedded
// SQLite, payloads stored) after 1,000 syncs through the API, one of them a field-path failure.
// The tests run in order on one signed-in tab, like one person's session.

vi.setConfig({ testTimeout: 60_000, hookTimeout: 240_000 });
const run = chromiumAvailable('console browser suite');

describe.skipIf(!run)('the console in Chromium, 1,000 runs on the embedded database', () => {
  let db: TestDatabase;
  let server: ConsoleServer;
  let profile: string;
  let browser: BrowserContext;
  let page: Page;
  let problems: string[];
  let failedRunId: number;

  beforeAll(async () => {
    db = createTestSqliteDatabase('console_browser');
    server = await startConsoleServer(db.url);
    ({ failedRunId } = await seedRuns(server.url, 1_000));
    profile = await mkdtemp(path.join(tmpdir(), 'upsync-console-chromium-'));
    browser = await launchChromium(profile);
    page = await browser.newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
    problems = watchPageProblems(page);
    // offline-proof: the page asks nothing of any other origin (no CDN, no font, no analytics)
    page.on('request', (request) => {
      const url = request.url();
      if (!url.startsWith(`${server.url}/`) && !url.startsWith('data:')) problems.push(`request: ${url}`);
    });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await db?.drop();
    if (profile) await rm(profile, { recursive: true, force: true });
  });

  /** axe on the page as shown: no serious or critical violation. */
  const expectAccessible = async (p: Page = page) => expect(await seriousAxeViolations(p)).toEqual([]);

  it('refuses an unknown token with a clear message, and keeps it out of the URL and localStorage', async () => {
    await page.goto(server.consoleUrl);
    await expectAccessible();
    await page.getByLabel('Token').fill('not-a-token-of-this-server');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/token was not accepted/i);
    await page.getByLabel('Token').fill(TOKENS.operator);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    expect(page.url()).not.toContain(TOKENS.operator);
    expect(await page.evaluate(() => JSON.stringify(localStorage))).not.toContain(TOKENS.operator);
  });

  it('overview: the last 24 hours by outcome, failure codes and the two charts', async () => {
    const tiles = page.getByRole('list', { name: 'Syncs by outcome' });
    await expect.poll(() => tiles.textContent()).toContain('1000in all');
    await expect.poll(() => tiles.textContent()).toContain('1failed');
    await expect.poll(() => tiles.textContent()).toContain('99dry run');
    expect(await page.getByRole('table', { name: 'Most frequent failure codes' }).textContent()).toContain(
      'VALIDATION_FAILED',
    );
    await page.locator('.chart canvas').first().waitFor();
    expect(await page.locator('.chart canvas').count()).toBe(2);
    await page.getByRole('link', { name: 'Last 7 days' }).click();
    await expect.poll(() => page.url()).toContain('range=7d');
    await expectAccessible();
    // the seeded runs all started within the last minutes: the last hour shows their shape
    await page.getByRole('link', { name: 'Last hour' }).click();
    await expect.poll(() => tiles.textContent()).toContain('1000in all');
    await screenshot(page, 'console-overview.png');
  });

  it('runs: cursor pages, filters by proposal, principal and time; filtered to the one failed run (in the URL, survives a reload)', async () => {
    await page.getByRole('link', { name: 'Runs', exact: true }).click();
    await page.getByRole('heading', { name: 'Runs' }).waitFor();
    await page.locator('table.runs tbody tr').first().waitFor();
    expect(await page.locator('table.runs tbody tr').count()).toBe(50);
    await expectAccessible();
    // cursor pages: older, then back to the newest
    const firstRun = () => page.locator('table.runs tbody tr a').first().textContent();
    const newest = await firstRun();
    await page.getByRole('link', { name: 'Older' }).click();
    await expect.poll(() => page.url()).toContain('cursor=');
    await expect.poll(firstRun).not.toBe(newest);
    expect(await page.locator('table.runs tbody tr').count()).toBe(50);
    await page.getByRole('link', { name: 'Newest' }).click();
    await expect.poll(firstRun).toBe(newest);
    // proposal + principal, then a time range with nothing in it
    await page.getByLabel('Proposal').fill('MX-2');
    await page.getByLabel('Principal').fill('operator');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect.poll(() => page.url()).toContain('proposal=MX-2');
    await expect
      .poll(async () => new Set(await page.locator('table.runs tbody td:nth-child(3)').allTextContents()))
      .toEqual(new Set(['MX-2']));
    await page.getByLabel('From (UTC)').fill('2099-01-01T00:00');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect.poll(() => page.url()).toContain('from=2099-01-01T00%3A00%3A00Z');
    await page.getByText('No run matches these filters.').waitFor();
    await page.getByRole('button', { name: 'Clear' }).click();
    await expect.poll(() => page.locator('table.runs tbody tr').count()).toBe(50);
    await page.getByLabel('Outcome').selectOption('failed');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect.poll(() => page.url()).toContain('outcome=failed');
    await expect.poll(() => page.locator('table.runs tbody tr').count()).toBe(1);
    await page.reload();
    await expect.poll(() => page.locator('table.runs tbody tr').count()).toBe(1);
    expect(await page.getByLabel('Outcome').inputValue()).toBe('failed');
    await expect.poll(() => page.locator('table.runs tbody tr').textContent()).toContain(`#${failedRunId}`);
  });

  it("run detail: the failed run's field path and message as the API gives them", async () => {
    await page.getByRole('link', { name: `#${failedRunId}` }).click();
    await page.getByRole('heading', { name: `Run #${failedRunId}` }).waitFor();
    const run = await operatorClient(server.url).syncRun(failedRunId);
    const issues = page.getByRole('table', { name: 'What the server refused, by field path' });
    await issues.waitFor();
    const text = await issues.textContent();
    expect(run.errorPath).toContain(FAILING_FIELD);
    expect(text).toContain(run.errorPath);
    expect(text).toContain(run.errorDetail);
    expect(await page.locator('dl.facts').textContent()).toContain('operator');
    await expectAccessible();
    await screenshot(page, 'console-failed-run.png');
  });

  it('proposal: what ISPyB holds now and the field-level diff between two of its runs', async () => {
    await page.locator('dl.facts').getByRole('link', { name: 'MX-1' }).click();
    await page.getByRole('heading', { name: 'Proposal MX-1' }).waitFor();
    await page.getByRole('heading', { name: 'What ISPyB holds now' }).waitFor();
    await page.getByText('The read-back', { exact: false }).click();
    await expect
      .poll(() => page.getByRole('region', { name: 'What ISPyB holds for this proposal' }).textContent())
      .toContain('Console proposal 1, version 8');
    // two succeeded runs of MX-1 with different titles: the oldest and the newest real sync
    const runs = (
      await operatorClient(server.url).syncRuns({ proposal: 'MX-1', outcome: 'succeeded', limit: 200 })
    ).runs;
    const real = runs.filter((r) => !r.dryRun);
    const older = real.at(-1)!.id;
    const newer = real[0]!.id;
    await page.getByLabel('Earlier run').selectOption(String(older));
    await page.getByLabel('Later run').selectOption(String(newer));
    await page.getByRole('button', { name: 'Show diff' }).click();
    await expect.poll(() => page.url()).toContain(`from=${older}`);
    const diff = await operatorClient(server.url).syncRunDiff({ from: older, to: newer });
    const table = page.locator('table.diff');
    await table.waitFor();
    expect(await table.locator('tbody tr').count()).toBe(diff.changes.length);
    const text = await table.textContent();
    for (const change of diff.changes) {
      if (change.field) expect(text).toContain(change.field);
      if (typeof change.wanted === 'string') expect(text).toContain(change.wanted);
    }
    expect(text).toContain('title');
    await expectAccessible();
    await screenshot(page, 'console-diff.png');
  });

  it('replay: "dry run now" says what a sync would change today; "sync again" asks first, then syncs; an open runs list shows the new run without a reload', async () => {
    // a second tab on the runs of MX-2, signed in on its own (the token lives per tab)
    const watcher = await browser.newPage();
    await signIn(watcher, server.consoleUrl, TOKENS.viewer);
    await watcher.goto(`${server.consoleUrl}runs?proposal=MX-2`);
    await watcher.locator('table.runs tbody tr').first().waitFor();
    await watcher.evaluate(() => {
      (window as unknown as { notReloaded: boolean }).notReloaded = true;
    });

    const source = (
      await operatorClient(server.url).syncRuns({ proposal: 'MX-2', outcome: 'unchanged', limit: 1 })
    ).runs[0]!;
    await page.goto(`${server.consoleUrl}run?id=${source.id}`);
    await page.getByRole('heading', { name: 'Replay' }).waitFor();
    await page.getByRole('button', { name: 'Dry run now' }).click();
    await expect.poll(() => page.locator('.result').textContent()).toContain('Dry run:');
    await expectAccessible();

    await page.getByRole('button', { name: 'Sync again…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Sync MX-2 again?' });
    await dialog.waitFor();
    await expectAccessible();
    await page.keyboard.press('Escape'); // cancelled: nothing sent
    await dialog.waitFor({ state: 'hidden' });
    await page.getByRole('button', { name: 'Sync again…' }).click();
    await dialog.getByRole('button', { name: 'Sync now' }).click();
    await expect.poll(() => page.locator('.result').textContent()).toContain('Synced:');

    const replay = (await operatorClient(server.url).syncRuns({ proposal: 'MX-2', limit: 1 })).runs[0]!;
    expect(replay.replayOf).toBe(source.id);
    expect(replay.principal).toBe('operator');
    await expect
      .poll(() => watcher.locator('table.runs tbody tr').first().textContent(), { timeout: 15_000 })
      .toContain(`#${replay.id} (replay of #${source.id})`);
    expect(await watcher.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(
      true,
    );
    await watcher.close();
  });

  it('a read-only token is refused the replay with a clear message', async () => {
    const viewer = await browser.newPage();
    const viewerProblems = watchPageProblems(viewer);
    await signIn(viewer, server.consoleUrl, TOKENS.viewer);
    const source = (await operatorClient(server.url).syncRuns({ proposal: 'MX-3', limit: 1 })).runs[0]!;
    await viewer.goto(`${server.consoleUrl}run?id=${source.id}`);
    await viewer.getByRole('button', { name: 'Dry run now' }).click();
    const alert = viewer.getByRole('alert');
    await expect.poll(() => alert.textContent()).toMatch(/Replaying needs a scope this token lacks: .*sync/);
    await expectAccessible(viewer);
    await viewer.getByRole('button', { name: 'Sync again…' }).click();
    await viewer.getByRole('button', { name: 'Sync now' }).click();
    await expect.poll(() => alert.textContent()).toMatch(/lacks.*sync scope/);
    expect((await operatorClient(server.url).syncRuns({ proposal: 'MX-3', limit: 1 })).runs[0]!.id).toBe(
      source.id,
    );
    expect(viewerProblems).toEqual([]);
    await viewer.close();
  });

  it('a token without the read scope signs in with a notice, and the overview says which scope it lacks', async () => {
    const pusher = await browser.newPage();
    await signIn(pusher, server.consoleUrl, TOKENS.pusher);
    await expect.poll(() => pusher.getByRole('status').textContent()).toMatch(/lacks.*read scope/);
    await expect
      .poll(() => pusher.getByRole('alert').textContent())
      .toMatch(/The overview needs a scope this token lacks/);
    await expectAccessible(pusher);
    await pusher.close();
  });

  it('keyboard only: Tab reaches the navigation and a run, Enter opens it', async () => {
    await page.goto(`${server.consoleUrl}runs?outcome=failed`);
    await page.locator('table.runs tbody tr').first().waitFor();
    const focused = async () => page.evaluate(() => document.activeElement?.textContent?.trim());
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('Skip to content');
    for (let i = 0; i < 40 && (await focused()) !== `#${failedRunId}`; i++) await page.keyboard.press('Tab');
    expect(await focused()).toBe(`#${failedRunId}`);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: `Run #${failedRunId}` }).waitFor();
  });

  it('behind a reverse proxy that serves upsync under /upsync/, the same files work: sign-in, runs, a run', async () => {
    const proxy = await startPrefixProxy(server.url, '/upsync/');
    const proxied = await browser.newPage();
    try {
      const proxiedProblems = watchPageProblems(proxied);
      const paths: string[] = [];
      proxied.on('request', (request) => paths.push(new URL(request.url()).pathname));
      await signIn(proxied, `${proxy.url}console/`, TOKENS.viewer);
      await proxied.getByRole('link', { name: 'Runs', exact: true }).click();
      await proxied.locator('table.runs tbody tr').first().waitFor();
      expect(proxied.url()).toBe(`${proxy.url}console/runs`);
      await proxied.locator('table.runs tbody tr a').first().click();
      await proxied.getByRole('heading', { name: /^Run #\d+$/ }).waitFor();
      expect(paths.filter((p) => !p.startsWith('/upsync/'))).toEqual([]);
      expect(paths.some((p) => p.startsWith('/upsync/trpc/'))).toBe(true);
      expect(proxiedProblems).toEqual([]);
    } finally {
      await proxied.close();
      await proxy.close();
    }
  });

  it('sign-out forgets the token: the sign-in form again, also after a reload', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Token').waitFor();
    await page.reload();
    await page.getByLabel('Token').waitFor();
    expect(await page.evaluate(() => JSON.stringify(sessionStorage))).not.toContain(TOKENS.operator);
  });

  it('nothing was refused by the Content-Security-Policy, no script error occurred, no other origin was asked', async () => {
    const response = await fetch(server.consoleUrl);
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(problems).toEqual([]);
  });
});
