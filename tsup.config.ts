import { defineConfig } from 'tsup';

export default defineConfig([
  {
    entry: { index: 'src/index.ts', hooks: 'src/hooks/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    sourcemap: true,
    target: 'node20',
    platform: 'node',
    // Shared chunks keep one copy of each class, so `instanceof CredstashError` holds for
    // errors from both entry points.
    splitting: true,
  },
  {
    // The CLI is one ESM file with the library bundled in; dependencies stay external and
    // the AWS SDK, STS and yaml modules load only when a command needs them.
    entry: { cli: 'src/cli/main.ts' },
    format: ['esm'],
    sourcemap: true,
    target: 'node20',
    platform: 'node',
    splitting: false,
  },
]);
