import { createRequire } from 'node:module';
import { defineConfig } from 'tsdown';

// The SDK (browser-safe) in two formats with a declaration file for each, so `import` and
// `require`, and every TypeScript resolution mode, get types that describe the file they load;
// the CLI is Node-only ESM (top-level await) and needs no declarations. Dependencies stay external,
// but tRPC's client (and the part of @trpc/server it runs) is bundled in: both packages declare
// `typescript` as a required peer, which npm would install (~30 MB) into every JavaScript portal.
// tRPC is MIT-licensed; its licence ships beside the code (dist/licenses). The declarations never
// name tRPC (the public types are the schema package's and this package's own).
// The two builds run at once, so neither cleans dist: the build script empties it first.
const trpcEntry = createRequire(import.meta.url).resolve('@trpc/client');
const trpcLicence = `${trpcEntry.slice(0, trpcEntry.lastIndexOf('/node_modules/@trpc/client/'))}/node_modules/@trpc/client/LICENSE`;
const shared = {
  tsconfig: 'tsconfig.build.json',
  target: 'es2022',
  fixedExtension: false,
  sourcemap: false,
  hash: false,
  checks: { legacyCjs: false },
} as const;
// fresh arrays per build: tsdown's types take mutable ones
const deps = () => ({ alwaysBundle: [/^@trpc\//], onlyBundle: [/^@trpc\//] });

export default defineConfig([
  {
    ...shared,
    deps: deps(),
    entry: { index: 'src/index.ts' },
    format: ['esm', 'cjs'],
    platform: 'neutral',
    dts: true,
    clean: false,
    copy: [{ from: trpcLicence, to: 'dist/licenses', rename: 'trpc.LICENSE' }],
  },
  {
    ...shared,
    deps: deps(),
    entry: { 'cli/main': 'src/cli/main.ts' },
    format: 'esm',
    platform: 'node',
    dts: false,
    clean: false,
    // the commands it imports when run, beside it rather than among the SDK's files
    outputOptions: { chunkFileNames: 'cli/[name].js' },
  },
]);
