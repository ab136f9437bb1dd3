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
    // The CLI is dist/cli.js with the library, commander and the AWS SDK bundled in, because
    // a cold `credstash-ts get` spent most of its time resolving, reading and (for the
    // SDK's CommonJS files) lexing about 150 module files. Code splitting keeps the
    // AWS SDK, STS and yaml in chunks under dist/cli/ that load only when a command needs
    // them, so `--offline` and `--help` never read them. Minifying gained nothing measurable,
    // so stack traces of --debug stay readable. bench/cli-get.ts measures the effect, and
    // docs/benchmarks.md has the numbers.
    entry: { cli: 'src/cli/main.ts' },
    format: ['esm'],
    sourcemap: true,
    target: 'node20',
    platform: 'node',
    splitting: true,
    noExternal: [/^@aws-sdk\//, /^@smithy\//, /^commander$/, /^yaml$/],
    // commander, which is CommonJS, calls require() for Node.js built-ins,
    // which an ES module does not have.
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
    esbuildOptions(options) {
      options.chunkNames = 'cli/[name]-[hash]';
    },
  },
]);
