import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Test files share one MariaDB server; run them one after another to keep timings stable.
    fileParallelism: false,
  },
});
