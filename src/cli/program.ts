import { Command, Option } from 'commander';

import packageJson from '../../package.json' with { type: 'json' };
import { usageError } from './lib/cli-error.js';
import { OFFLINE_ENV, parseGlobalOptions, type RawGlobalOptions } from './lib/global-options.js';
import { openStore } from './lib/open-store.js';
import { createProgress, type Progress } from './lib/progress.js';
import { addExecCommand } from './program/exec-command.js';
import { addIamPolicyCommand } from './program/iam-policy-command.js';
import type { CliIo, CliOutcome, ProgramRuntime } from './program/program-runtime.js';
import { addReadCommands } from './program/read-commands.js';
import { addWriteCommands } from './program/write-commands.js';

export type { CliIo, CliOutcome } from './program/program-runtime.js';

/**
 * Builds the `credstash-ts` command line: the commands, arguments and defaults of Python
 * credstash 1.17.1, plus `exec` and the options for offline use and other endpoints. Each
 * action turns its arguments into typed options, calls the command function and prints the
 * result; errors propagate to the caller, which reports them.
 */
export function buildProgram(io: CliIo, outcome: CliOutcome): Command {
  const program = new Command('credstash-ts');
  // On a terminal, standard output and the progress line on standard error share the screen.
  let progress: Progress | undefined;
  const runtime: ProgramRuntime = {
    io,
    outcome,
    write: (text) => {
      progress?.clear();
      io.stdout.write(text);
    },
    startProgress: (label) => {
      progress = createProgress(io.stderr, label);
      return progress;
    },
    globals: () => parseGlobalOptions(program.opts<RawGlobalOptions>(), io.env),
    withStore: async (action) => action(await openStore(runtime.globals(), io.env)),
  };

  program
    .description('Store and read secrets the credstash way: a drop-in for Python credstash 1.17.1, with an offline store and exec.')
    .version(packageJson.version, '-V, --version', 'print the credstash-ts version')
    .enablePositionalOptions()
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      // Errors are printed once, by the caller, in the same form as every other error.
      outputError: () => undefined,
    })
    .option('-r, --region <region>', 'AWS region of the table (default: AWS_REGION, AWS_DEFAULT_REGION, the profile, then us-east-1)')
    .option('--kms-region <region>', 'AWS region of the KMS key (default: the region saved by setup --save-kms-region, else --region)')
    .option('-t, --table <table>', 'table name (default: CREDSTASH_DEFAULT_TABLE, else credential-store)')
    .option('-p, --profile <profile>', 'AWS profile from the shared config files')
    .option('-n, --arn <arn>', 'IAM role ARN to assume through STS before the command')
    .option('--endpoint-url <url>', 'endpoint for KMS, DynamoDB and STS, for LocalStack or moto (default: AWS_ENDPOINT_URL*)')
    .option('--offline <directory>', `keep secrets offline: a master key and a table file in this folder, no AWS account (default: ${OFFLINE_ENV})`)
    .option('--debug', 'print stack traces of errors')
    .addOption(new Option('--log-level <level>', 'accepted for Python credstash compatibility; credstash-ts writes no log').hideHelp())
    .addOption(new Option('--log-file <file>', 'accepted for Python credstash compatibility; credstash-ts writes no log').hideHelp())
    .allowExcessArguments()
    .action(() => {
      const [command] = program.args;
      if (command !== undefined) {
        throw usageError(`unknown command ${JSON.stringify(command)}. Run "credstash-ts --help" for the list of commands.`);
      }
      // Without a command Python credstash prints its help and exits with 0.
      program.outputHelp();
    });

  addReadCommands(program, runtime);
  addWriteCommands(program, runtime);
  addExecCommand(program, runtime);
  addIamPolicyCommand(program, runtime);
  return program;
}
