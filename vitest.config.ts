import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts', 'test/support/python-credstash-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // The AWS SDK warns once per process that Node.js 20 support ends in 2027; the notice
    // belongs in the README, not in every test run's output.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
