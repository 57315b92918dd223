import { defineConfig } from 'tsdown';

// One bundled entry in two formats, each with its own declarations (index.d.ts for `import`,
// index.d.cts for `require`), so ESM and CommonJS consumers, and every TypeScript resolution
// mode, get types that describe the file they load. zod stays external (a peer dependency).
export default defineConfig({
  entry: ['src/index.ts'],
  tsconfig: 'tsconfig.build.json',
  format: ['esm', 'cjs'],
  platform: 'neutral',
  target: 'es2022',
  fixedExtension: false,
  dts: true,
  sourcemap: false,
  clean: true,
  hash: false,
  checks: { legacyCjs: false },
});
