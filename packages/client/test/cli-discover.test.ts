import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discoverFiles } from '../src/cli/discover.js';
import { UsageError } from '../src/cli/io.js';
import { loadPayloadFile } from '../src/cli/load-payloads.js';
import { runPool } from '../src/cli/pool.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'upsync-discover-'));
  await mkdir(path.join(dir, 'a', 'deep'), { recursive: true });
  for (const name of ['p10.json', 'p2.json', 'notes.txt', 'a/p1.JSON', 'a/deep/x.json']) {
    await writeFile(path.join(dir, name), '{}');
  }
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('discoverFiles', () => {
  it('finds *.json recursively in natural order, keeps named files, drops duplicates', async () => {
    const files = await discoverFiles(['.', 'p2.json'], dir);
    expect(files).toEqual(['a/deep/x.json', 'a/p1.JSON', 'p2.json', 'p10.json']);
  });

  it('refuses a path that does not exist and a folder without JSON', async () => {
    await expect(discoverFiles(['missing'], dir)).rejects.toThrow(
      new UsageError('missing: no such file or folder'),
    );
    await mkdir(path.join(dir, 'empty'), { recursive: true });
    await expect(discoverFiles(['empty'], dir)).rejects.toBeInstanceOf(UsageError);
  });
});

describe('loadPayloadFile', () => {
  it('reads one payload, an array of payloads, and reports bad JSON', async () => {
    await writeFile(path.join(dir, 'one.json'), '{"proposal":{}}');
    await writeFile(path.join(dir, 'many.json'), '[{"a":1},{"b":2}]');
    await writeFile(path.join(dir, 'bad.json'), '{"proposal":');
    expect(await loadPayloadFile('one.json', dir)).toEqual({
      file: 'one.json',
      entries: [{ file: 'one.json', index: null, payload: { proposal: {} } }],
    });
    const many = await loadPayloadFile('many.json', dir);
    expect('entries' in many && many.entries.map((e) => e.index)).toEqual([0, 1]);
    const bad = await loadPayloadFile('bad.json', dir);
    expect('error' in bad && bad.error).toMatch(/^invalid JSON: /);
  });
});

describe('runPool', () => {
  it('never has more than `concurrency` calls in flight and keeps results in order', async () => {
    let inFlight = 0;
    let peak = 0;
    const results = await runPool([5, 1, 4, 2, 3, 0, 2], 3, async (ms) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((resolve) => setTimeout(resolve, ms * 3));
      inFlight--;
      return ms * 10;
    });
    expect(peak).toBe(3);
    expect(results).toEqual([50, 10, 40, 20, 30, 0, 20].map((value) => ({ status: 'done', value })));
  });

  it('starts no new item once told to stop', async () => {
    let stop = false;
    const results = await runPool(
      [1, 2, 3, 4],
      1,
      async (n) => {
        if (n === 2) stop = true;
        return n;
      },
      () => stop,
    );
    expect(results.map((r) => r.status)).toEqual(['done', 'done', 'skipped', 'skipped']);
  });
});
