import { join } from 'node:path';

import type { BenchContext } from './lib/context.js';
import { FILL_VALUE } from './lib/context.js';
import { childEnvironment, PYTHON, pythonCredstashCommand, ROOT, runChecked } from './lib/environment.js';
import { alternate, ratioToPython, type Implementation, type ResultRow, type Runner } from './lib/harness.js';

const TABLE = 'bench-cli';
const NAME = 's00000';

/**
 * `get` of one secret in a new process, as a hook or a cron job runs it: the wall time from
 * spawn to exit of `credstash-ts get`, of Python's `credstash get`, and of a script that
 * calls aws-credstash's getSecret (it has no command of its own).
 */
export async function benchCliGet(context: BenchContext): Promise<ResultRow[]> {
  await context.fillTable(TABLE, 2);
  const rows: ResultRow[] = [];

  for (const [label, endpoint] of [
    ['moto', context.moto.endpoint],
    ['moto + 10 ms per request', context.proxy.url],
  ] as const) {
    context.settings.log(`cold CLI get, ${label}`);
    context.proxy.configure({ fixedDelayMs: label === 'moto' ? 0 : 10 });
    const runners = cliRunners(endpoint);
    const results = await alternate(runners, context.settings);
    const row = { family: 'CLI get, cold process', measurement: `get one secret, ${label}`, unit: 'ms', results, target: '≤ 0.30× Python, below aws-credstash' };
    const ratio = ratioToPython(row);
    const ours = results['credstash-ts'];
    const theirs = results['aws-credstash'];
    const met = ratio !== undefined && ratio <= 0.3 && ours !== undefined && theirs !== undefined && ours.median < theirs.median;
    rows.push({ ...row, met });
  }
  context.proxy.configure({ fixedDelayMs: 0 });
  return rows;
}

function cliRunners(endpoint: string): Partial<Record<Implementation, Runner>> {
  const env = childEnvironment(endpoint);
  const python = pythonCredstashCommand();
  const pythonCommand = python === undefined ? [PYTHON, '-m', 'credstash'] : [python];
  const expected = `${FILL_VALUE}\n`;

  const run = (command: string, args: readonly string[]): Runner => async () => {
    const result = await runChecked(command, args, env);
    if (result.stdout !== expected) {
      throw new Error(`${command} ${args.join(' ')} printed ${JSON.stringify(result.stdout)}, expected ${JSON.stringify(expected)}`);
    }
    return result.wallMs;
  };

  return {
    'credstash-ts': run(process.execPath, [join(ROOT, 'dist/cli.js'), '-t', TABLE, 'get', NAME]),
    python: run(pythonCommand[0] as string, [...pythonCommand.slice(1), '-t', TABLE, 'get', NAME]),
    'aws-credstash': run(process.execPath, [join(ROOT, 'bench/workers/aws-credstash-get.cjs'), TABLE, NAME]),
  };
}
