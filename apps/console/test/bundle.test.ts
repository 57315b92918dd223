import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

// What an operator's browser downloads: the built console (npm run build, before the tests).
const dist = path.resolve(import.meta.dirname, '../dist');
/** The whole console, every file gzipped as a server or proxy would send it. */
const BUDGET_GZIP_BYTES = 200 * 1024;

async function builtFiles(): Promise<string[]> {
  const entries = await readdir(dist, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

describe('the built console (apps/console/dist)', () => {
  it(`ships in at most ${BUDGET_GZIP_BYTES / 1024} KB gzipped`, async () => {
    const files = await builtFiles();
    const sizes = await Promise.all(files.map(async (f) => gzipSync(await readFile(f), { level: 9 }).length));
    const total = sizes.reduce((a, b) => a + b, 0);
    console.info(`console bundle: ${files.length} files, ${(total / 1024).toFixed(1)} KB gzipped`);
    expect(files.some((f) => f.endsWith('index.html'))).toBe(true);
    expect(total).toBeLessThanOrEqual(BUDGET_GZIP_BYTES);
  });

  it('loads nothing from elsewhere and has no inline script (it works offline, under script-src self)', async () => {
    const html = await readFile(path.join(dist, 'index.html'), 'utf8');
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, body] of scripts) {
      expect(attributes).toMatch(/src="\.\/assets\//);
      expect(body?.trim()).toBe('');
    }
    // relative: the console works under whatever path it is served at (a proxy's prefix)
    for (const [, url] of html.matchAll(/(?:src|href)="([^"]+)"/g)) expect(url).toMatch(/^\.\//);
    for (const file of (await builtFiles()).filter((f) => f.endsWith('.css'))) {
      const css = await readFile(file, 'utf8');
      expect(css).not.toMatch(/@import|url\(\s*['"]?https?:/);
    }
  });
});
