import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts', 'test/support/python-credstash-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Test helpers call the AWS SDK directly, which prints a Node.js support notice under Node 20.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
