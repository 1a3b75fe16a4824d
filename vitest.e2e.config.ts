/**
 * End-to-end tests: `npx vitest run -c vitest.e2e.config.ts`. They build the renderer once, start
 * SNN Studio in browser mode and drive a system Chromium, Chrome or Edge (CHROMIUM_PATH, or the
 * platform's usual places: test/e2e/browser-path.ts; without one the tests skip, saying why)
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
