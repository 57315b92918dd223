import { defineConfig } from 'tsdown';

// The SDK (browser-safe) in two formats with a declaration file for each, so `import` and
// `require`, and every TypeScript resolution mode, get types that describe the file they load;
// the CLI is Node-only ESM (top-level await) and needs no declarations. Dependencies stay external.
// The two builds run at once, so neither cleans dist: the build script empties it first.
const shared = {
  tsconfig: 'tsconfig.build.json',
  target: 'es2022',
  fixedExtension: false,
  sourcemap: false,
  hash: false,
  checks: { legacyCjs: false },
} as const;

export default defineConfig([
  {
    ...shared,
    entry: { index: 'src/index.ts' },
    format: ['esm', 'cjs'],
    platform: 'neutral',
    dts: true,
    clean: false,
  },
  {
    ...shared,
    entry: { 'cli/main': 'src/cli/main.ts' },
    format: 'esm',
    platform: 'node',
    dts: false,
    clean: false,
    // the commands it imports when run, beside it rather than among the SDK's files
    outputOptions: { chunkFileNames: 'cli/[name].js' },
  },
]);
