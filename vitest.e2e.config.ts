/**
 * End-to-end tests: `npx vitest run -c vitest.e2e.config.ts`. They build the renderer once, start
 * SNN Studio in browser mode and drive Debian's Chromium (/usr/bin/chromium, or CHROMIUM_PATH)
 * as a user would. Screenshots of each state go to test-results/e2e/.
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.ts'],
    globalSetup: ['test/e2e/global-setup.ts'],
    testTimeout: 90_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
