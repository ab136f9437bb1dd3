import { join } from 'node:path';

import type { BenchContext } from './lib/context.js';
import { childEnvironment, PYTHON, ROOT, runChecked } from './lib/environment.js';
import { alternate, exact, type Implementation, type ResultRow, type Runner } from './lib/harness.js';

const TABLE = 'bench-cli';

interface ImportSample {
  readonly importMs: number;
  readonly afterImport: number;
  readonly afterOffline?: number;
  readonly afterAws?: number;
}

/**
 * Library import time in a fresh process: `import('credstash-ts')`, Python's
 * `import credstash` and `require('aws-credstash')`, timed inside the process, with the
 * number of AWS SDK modules each has loaded by then.
 */
export async function benchImportTime(context: BenchContext): Promise<ResultRow[]> {
  await context.fillTable(TABLE, 2);
  context.settings.log('library import time');
  const env = childEnvironment(context.moto.endpoint);
  const last = new Map<Implementation, ImportSample>();

  const run = (implementation: Implementation, command: string, args: readonly string[]): Runner => async () => {
    const sample = JSON.parse((await runChecked(command, args, env)).stdout) as ImportSample;
    last.set(implementation, sample);
    return sample.importMs;
  };
  const results = await alternate(
    {
      'credstash-ts': run('credstash-ts', process.execPath, [join(ROOT, 'bench/workers/import-credstash-ts.mjs'), TABLE, 's00000']),
      python: run('python', PYTHON, [join(ROOT, 'bench/workers/import_python.py')]),
      'aws-credstash': run('aws-credstash', process.execPath, [join(ROOT, 'bench/workers/import-aws-credstash.cjs')]),
    },
    context.settings,
  );

  const ours = last.get('credstash-ts');
  const moduleCount = (implementation: Implementation): ReturnType<typeof exact> | string => {
    const sample = last.get(implementation);
    return sample === undefined ? 'not measured' : exact(sample.afterImport);
  };
  return [
    { family: 'library import', measurement: 'import, in a fresh process', unit: 'ms', results, target: 'reported' },
    {
      family: 'library import',
      measurement: 'AWS SDK modules loaded by the import',
      unit: 'modules',
      results: { 'credstash-ts': moduleCount('credstash-ts'), python: moduleCount('python'), 'aws-credstash': moduleCount('aws-credstash') },
      target: 'none for credstash-ts',
      compare: false,
      met: ours?.afterImport === 0,
      note:
        `credstash-ts counts @aws-sdk and @smithy modules, Python boto3 and botocore modules, aws-credstash aws-sdk v2 modules. ` +
        `credstash-ts still had ${String(ours?.afterOffline)} after an offline setup, put and get, and ${String(ours?.afterAws)} after its first getSecret through the KMS and DynamoDB providers.`,
    },
  ];
}
