import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

// The OpenAPI document is the contract for portals in other languages (a client generated in Java,
// Python or PHP): it must lint clean under Redocly's recommended rules, errors and warnings alike.
// Offline: no telemetry, no update check.
const cli = path.join(
  path.dirname(createRequire(import.meta.url).resolve('@redocly/cli/package.json')),
  'bin/cli.js',
);
const document = fileURLToPath(new URL('../openapi.json', import.meta.url));

it('the committed openapi.json lints clean under Redocly recommended (no warning either)', async () => {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [cli, 'lint', document, '--extends=recommended', '--format=json'],
    { env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' } },
  ).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? String(error) }));
  const report = JSON.parse(stdout) as {
    totals: Record<string, number>;
    problems: Array<{ ruleId: string; message: string }>;
  };
  expect(report.problems.map((p) => `${p.ruleId}: ${p.message}`)).toEqual([]);
  expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
}, 60_000);
