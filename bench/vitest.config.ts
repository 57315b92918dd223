import { defineConfig } from 'vitest/config';

// The reliability suite drives real MariaDB servers and HTTP servers: one file at a time,
// generous time-outs (the whole suite is budgeted at ~4 minutes on 2 cores).
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
