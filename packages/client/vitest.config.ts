import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // A 2-core machine shared with other suites: two workers are plenty.
    maxWorkers: 2,
  },
});
