import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { VERSION } from '@upsync/schema';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './helpers/packed.js';
import { cli } from './helpers/run-cli.js';

const json = async (file: string) => JSON.parse(await readFile(path.join(repoRoot, file), 'utf8'));

describe('one version', () => {
  it('the two packages, the schema export, `upsync --version` and the OpenAPI document agree', async () => {
    const client = (await json('packages/client/package.json')).version;
    expect((await json('packages/schema/package.json')).version).toBe(client);
    expect(VERSION).toBe(client);
    expect((await json('apps/server/openapi.json')).info.version).toBe(client);
    const printed = await cli(['--version']);
    expect(printed.code).toBe(0);
    expect(printed.stdout.trim()).toBe(client);
  });

  it('Changesets releases the two packages as one fixed group, publicly', async () => {
    const config = await json('.changeset/config.json');
    expect(config.fixed).toEqual([['@upsync/schema', '@upsync/client']]);
    expect(config.access).toBe('public');
  });
});
