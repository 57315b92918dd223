import { defineConfig } from 'vitest/config';

// One browser suite at a time: each starts a server and a Chromium on a shared 2-core machine.
export default defineConfig({
  test: { include: ['test/**/*.test.ts'], fileParallelism: false },
});
