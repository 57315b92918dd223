#!/usr/bin/env node
// The `upsync` command. A committed file rather than dist/cli/main.js itself: npm links a
// package's bin when it installs it, which in this repository's workspace happens before
// anything is built, and a bin whose file does not exist yet is never linked.
import { existsSync } from 'node:fs';

const main = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(main)) {
  process.stderr.write(
    'upsync: the CLI is not built (packages/client/dist is missing). Run `npm run build` in the repository first.\n',
  );
  process.exit(1);
}
await import(main.href);
