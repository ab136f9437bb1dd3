import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts', 'test/support/python-credstash-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
