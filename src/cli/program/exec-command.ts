import type { Command } from 'commander';

import { execCommand } from '../commands/exec.js';
import { usageError } from '../lib/cli-error.js';
import { parsePairs } from '../lib/context-pairs.js';
import { explainUnreadableSecrets } from '../lib/report-error.js';
import { readVersion } from './flags.js';
import type { ProgramRuntime } from './program-runtime.js';

/** Adds `exec`, which runs a command with secrets in its environment. */
export function addExecCommand(program: Command, runtime: ProgramRuntime): void {
  const { io, outcome, withStore } = runtime;

  program
    .command('exec')
    .description('run a command with secrets in its environment, and exit with its status')
    .usage('[options] [KEY=VALUE ...] [--] COMMAND [ARG ...]')
    .argument('<command...>', 'encryption context as KEY=VALUE pairs, then the command and its arguments')
    .option('-v, --version <version>', 'version to read from every secret (default: the latest)')
    .option('--pattern <pattern>', 'only secrets whose names match; * matches any run of characters (default: all)')
    .option('--replace-invalid', 'map characters that cannot appear in variable names to _ instead of failing')
    .passThroughOptions()
    .addHelpText(
      'after',
      '\nEach secret becomes a variable named after it in upper case: db_password becomes DB_PASSWORD.\n' +
        'Names with other characters fail, or with --replace-invalid have them replaced by _\n' +
        '(app.db-password becomes APP_DB_PASSWORD). Secrets replace inherited variables of the same name.',
    )
    .action(async (operands: string[], options: { version?: string; pattern?: string; replaceInvalid?: boolean }) => {
      const { pairs, command } = splitExecOperands(operands);
      const context = parsePairs(pairs);
      outcome.exitCode = await withStore((store) =>
        execCommand(store, {
          context,
          version: readVersion(options.version),
          pattern: options.pattern,
          invalidNames: options.replaceInvalid === true ? 'replace' : 'reject',
          command,
          env: io.env,
        }),
      ).catch((error: unknown) => {
        throw explainUnreadableSecrets(error, 'exec');
      });
    });
}

// KEY=VALUE pairs before the command are the encryption context, and an optional `--`
// ends them. Commander drops a `--` that comes first, and keeps one that follows a pair.
function splitExecOperands(operands: readonly string[]): { pairs: string[]; command: string[] } {
  let index = 0;
  while (index < operands.length && (operands[index] as string).includes('=')) {
    index += 1;
  }
  const pairs = operands.slice(0, index);
  const command = operands.slice(operands[index] === '--' ? index + 1 : index);
  if (command.length === 0) {
    throw usageError('exec needs a command to run, as in: exec env=prod -- my-command --its-option');
  }
  return { pairs, command };
}
