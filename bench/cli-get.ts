import { join } from 'node:path';

import { build } from 'tsup';

import type { BenchContext } from './lib/context.js';
import { FILL_VALUE } from './lib/context.js';
import { childEnvironment, PYTHON, pythonCredstashCommand, ROOT, runChecked, SCRATCH } from './lib/environment.js';
import { alternate, ratioToPython, type ResultRow, type Runner, type Summary } from './lib/harness.js';

const TABLE = 'bench-cli';
const NAME = 's00000';

type Contender = 'credstash-ts' | 'python' | 'aws-credstash' | 'node' | 'sdk' | 'raw' | 'baseline';

// Another build of the CLI to compare with, such as one of an earlier commit:
// BENCH_BASELINE_CLI=/path/to/dist/cli.js npm run bench -- cli-get
const BASELINE_CLI = process.env['BENCH_BASELINE_CLI'];

/**
 * `get` of one secret in a new process, as a hook or a cron job runs it: the wall time from
 * spawn to exit of `credstash-ts get`, of Python's `credstash get`, and of a script that
 * calls aws-credstash's getSecret (it has no command of its own). Three lower bounds run
 * in the same rotation. They are an empty Node.js process, the AWS SDK sending only the
 * Query and the Decrypt (bundled like the CLI), and the same two requests signed by hand.
 */
export async function benchCliGet(context: BenchContext): Promise<ResultRow[]> {
  await context.fillTable(TABLE, 2);
  const sdkScript = await bundleSdkFloor();
  const rows: ResultRow[] = [];

  for (const [label, endpoint, delay] of [
    ['moto', context.moto.endpoint, 0],
    ['moto + 10 ms per request', context.proxy.url, 10],
  ] as const) {
    context.settings.log(`cold CLI get, ${label}`);
    context.proxy.configure({ fixedDelayMs: delay });
    const results = await alternate(cliRunners(endpoint, sdkScript), context.settings);
    const family = 'CLI get, cold process';

    const row = { family, measurement: `get one secret, ${label}`, unit: 'ms', results: pick(results, ['credstash-ts', 'python', 'aws-credstash']), target: '≤ 0.30× Python, below aws-credstash' };
    const ratio = ratioToPython(row);
    const ours = results['credstash-ts'];
    const theirs = results['aws-credstash'];
    rows.push({ ...row, met: ratio !== undefined && ratio <= 0.3 && ours !== undefined && theirs !== undefined && ours.median < theirs.median });

    const baseline = results.baseline;
    if (baseline !== undefined) {
      rows.push({
        family,
        measurement: `baseline CLI (${BASELINE_CLI ?? ''}), ${label}`,
        unit: 'ms',
        results: { 'credstash-ts': baseline, ...(results.python === undefined ? {} : { python: results.python }) },
        note: 'The credstash-ts column is the baseline build; the Python column repeats Python credstash from the row above.',
      });
    }

    for (const [key, description] of [
      ['node', 'lower bound: `node -e 0`'],
      ['sdk', 'lower bound: AWS SDK Query + Decrypt only'],
      ['raw', 'lower bound: Query + Decrypt signed by hand'],
    ] as const) {
      const floor = results[key];
      rows.push({
        family,
        measurement: `${description}, ${label}`,
        unit: 'ms',
        results: { ...(floor === undefined ? {} : { 'credstash-ts': floor }), ...(results.python === undefined ? {} : { python: results.python }) },
        note: 'The credstash-ts column is the lower bound; the Python column repeats Python credstash from the row above.',
      });
    }
  }
  context.proxy.configure({ fixedDelayMs: 0 });
  return rows;
}

function cliRunners(endpoint: string, sdkScript: string): Partial<Record<Contender, Runner>> {
  const env = childEnvironment(endpoint);
  const python = pythonCredstashCommand();
  const pythonCommand = python === undefined ? [PYTHON, '-m', 'credstash'] : [python];

  const run =
    (command: string, args: readonly string[], expected: string | undefined): Runner =>
    async () => {
      const result = await runChecked(command, args, env);
      if (expected !== undefined && result.stdout !== expected) {
        throw new Error(`${command} ${args.join(' ')} printed ${JSON.stringify(result.stdout)}, expected ${JSON.stringify(expected)}`);
      }
      return result.wallMs;
    };
  const secret = `${FILL_VALUE}\n`;

  return {
    'credstash-ts': run(process.execPath, [join(ROOT, 'dist/cli.js'), '-t', TABLE, 'get', NAME], secret),
    python: run(pythonCommand[0] as string, [...pythonCommand.slice(1), '-t', TABLE, 'get', NAME], secret),
    'aws-credstash': run(process.execPath, [join(ROOT, 'bench/workers/aws-credstash-get.cjs'), TABLE, NAME], secret),
    node: run(process.execPath, ['-e', '0'], ''),
    sdk: run(process.execPath, [sdkScript, TABLE, NAME], '64\n'),
    raw: run(process.execPath, [join(ROOT, 'bench/workers/floor-raw-get.mjs'), TABLE, NAME], '64\n'),
    ...(BASELINE_CLI === undefined ? {} : { baseline: run(process.execPath, [BASELINE_CLI, '-t', TABLE, 'get', NAME], secret) }),
  };
}

// Bundles bench/workers/floor-sdk-get.ts with the AWS SDK, as tsup.config.ts bundles the CLI.
async function bundleSdkFloor(): Promise<string> {
  const outDir = join(SCRATCH, 'floor-sdk');
  await build({
    entry: { 'floor-sdk-get': join(ROOT, 'bench/workers/floor-sdk-get.ts') },
    outDir,
    format: ['esm'],
    target: 'node20',
    platform: 'node',
    noExternal: [/^@aws-sdk\//, /^@smithy\//],
    silent: true,
    config: false,
  });
  return join(outDir, 'floor-sdk-get.js');
}

function pick<K extends string>(results: Partial<Record<Contender, Summary>>, keys: readonly K[]): Partial<Record<K, Summary>> {
  const picked: Partial<Record<K, Summary>> = {};
  for (const key of keys) {
    const value = results[key as unknown as Contender];
    if (value !== undefined) {
      picked[key] = value;
    }
  }
  return picked;
}
