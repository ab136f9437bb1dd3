import { defineConfig } from 'tsup';

export default defineConfig({
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
});
