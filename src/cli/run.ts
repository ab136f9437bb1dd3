import { CommanderError } from 'commander';

import { CliError } from './lib/cli-error.js';
import { reportError } from './lib/report-error.js';
import { buildProgram, type CliIo } from './program.js';

// Commander's codes for --help and --version, which end a run successfully.
const SUCCESS_CODES = new Set(['commander.helpDisplayed', 'commander.help', 'commander.version']);

/**
 * Runs one `credstash-ts` command line and returns its exit status. This is the single
 * place where errors become messages on standard error. The status is 0 on success, 1 for
 * any failure (a command line that cannot be run included, where Python's argparse uses 2),
 * and the command's own status for `exec`.
 */
export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const outcome = { exitCode: 0 };
  const program = buildProgram(io, outcome);

  try {
    await program.parseAsync(argv, { from: 'user' });
    return outcome.exitCode;
  } catch (error) {
    if (error instanceof CommanderError && SUCCESS_CODES.has(error.code)) {
      return 0;
    }
    const debug = program.opts<{ debug?: boolean }>().debug === true;
    const commands = program.commands.map((command) => command.name());
    const report = reportError(error instanceof CommanderError ? toUsageError(error, argv, commands) : error, debug);
    io.stderr.write(`${report.message}\n`);
    return report.exitCode;
  }
}

function toUsageError(error: CommanderError, argv: readonly string[], commands: readonly string[]): CliError {
  const message = error.message.replace(/^error: /, '').replace(/\.$/, '');
  // The first argument that names a command; an option value such as a table named "get"
  // can mislead this, but it only chooses which help the message points to.
  const command = argv.find((argument) => commands.includes(argument));
  const help = command === undefined ? 'credstash-ts --help' : `credstash-ts ${command} --help`;
  return new CliError('ERR_USAGE', `${message}. Run "${help}" for usage.`, { cause: error });
}
