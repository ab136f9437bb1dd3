// Runs the benchmarks against a moto server started on 127.0.0.1 and prints the results.
// Usage: npm run bench [-- FAMILY ...] [--runs N]
import { benchCliGet } from './cli-get.js';
import { benchGetAllSecrets } from './get-all-secrets.js';
import { benchImportTime } from './import-time.js';
import { benchLatency } from './latency.js';
import { benchListSecrets } from './list-secrets.js';
import { benchRequests } from './requests.js';
import { benchSealOpen } from './seal-open.js';
import { BenchContext } from './lib/context.js';
import { assertPythonTools, describeMachine, removeScratch } from './lib/environment.js';
import type { BenchSettings, ResultRow } from './lib/harness.js';
import { formatResults, saveResults } from './lib/report.js';

const FAMILIES: Readonly<Record<string, (context: BenchContext) => Promise<ResultRow[]>>> = {
  'cli-get': benchCliGet,
  'import-time': benchImportTime,
  requests: benchRequests,
  latency: benchLatency,
  'seal-open': benchSealOpen,
  'list-secrets': benchListSecrets,
  'get-all-secrets': benchGetAllSecrets,
};

const { families, runs } = parseArguments(process.argv.slice(2));
const settings: BenchSettings = { runs, warmups: 1, log: (line) => process.stderr.write(`[bench] ${line}\n`) };

// The AWS SDK warns once per process that Node.js 20 support ends in 2027.
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] = 'true';
assertPythonTools();
const machine = describeMachine();
const started = Date.now();
const context = await BenchContext.start(settings);
// Ctrl-C stops moto by its PID too, not only a normal end.
process.once('SIGINT', () => {
  void context.stop().finally(() => process.exit(130));
});
const rows: ResultRow[] = [];
try {
  for (const family of families) {
    rows.push(...(await FAMILIES[family]!(context)));
  }
} finally {
  await context.stop();
  removeScratch();
}

const report = formatResults(rows, machine, { runs, seconds: (Date.now() - started) / 1000, command: commandLine(process.argv.slice(2)) });
process.stdout.write(report);
saveResults(rows, machine, report);

function parseArguments(args: readonly string[]): { families: string[]; runs: number } {
  const chosen: string[] = [];
  let runCount = 10;
  for (let index = 0; index < args.length; index += 1) {
    const argument = args[index] as string;
    if (argument === '--runs') {
      runCount = Number(args[index + 1]);
      index += 1;
      if (!Number.isSafeInteger(runCount) || runCount < 1) {
        throw new RangeError(`invalid --runs ${String(args[index])}: expected a positive integer`);
      }
    } else if (argument in FAMILIES) {
      chosen.push(argument);
    } else {
      throw new RangeError(`unknown benchmark ${JSON.stringify(argument)}: expected one of ${Object.keys(FAMILIES).join(', ')}`);
    }
  }
  return { families: chosen.length === 0 ? Object.keys(FAMILIES) : chosen, runs: runCount };
}

// Builds the command that repeats this run. npm passes options such as --runs on to the
// script only after a `--`.
function commandLine(benchArguments: readonly string[]): string {
  return benchArguments.length === 0 ? 'npm run bench' : `npm run bench -- ${benchArguments.join(' ')}`;
}
