import os from 'node:os';
import path from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Tests never reach chart repositories nor read the developer's chart or render cache; the tests of each set their own.
    env: { POLICY_CHECK_OFFLINE: '1', POLICY_CHECK_CHART_CACHE: path.join(os.tmpdir(), 'policy-check-tests-no-chart-cache'), POLICY_CHECK_RENDER_CACHE: 'off' },
  },
});
