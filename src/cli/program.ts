import { Command, Option } from 'commander';

import { DIGESTS, DEFAULT_DIGEST, type Digest } from '../format/digest.js';
import type { Credstash } from '../store/credstash.js';
import packageJson from '../../package.json' with { type: 'json' };
import { deleteCommand } from './commands/delete.js';
import { execCommand } from './commands/exec.js';
import { getCommand } from './commands/get.js';
import { getAllCommand } from './commands/getall.js';
import { keysCommand, listCommand } from './commands/list.js';
import { putCommand } from './commands/put.js';
import { putAllCommand } from './commands/putall.js';
import { setupCommand } from './commands/setup.js';
import { formatKeys, formatList } from './format/list.js';
import { formatSecrets, SECRETS_FORMATS, type SecretsFormat } from './format/secrets-format.js';
import { CliError, usageError } from './lib/cli-error.js';
import { parsePairs } from './lib/context-pairs.js';
import { nameSecretInError } from './lib/report-error.js';
import { OFFLINE_ENV, parseGlobalOptions, type GlobalOptions, type RawGlobalOptions } from './lib/global-options.js';
import { openStore } from './lib/open-store.js';
import { createProgress, type ProgressStream } from './lib/progress.js';
import { promptSecret, type PromptInput } from './lib/prompt-secret.js';
import { readSecretArgument } from './lib/secret-argument.js';
import { parseSecretsJson } from './lib/secrets-json.js';

/** The streams and environment a CLI run works with. */
export interface CliIo {
  readonly stdin: PromptInput & AsyncIterable<Buffer | string>;
  readonly stdout: { write(text: string): boolean };
  readonly stderr: ProgressStream;
  /** Environment of the run; `exec` passes it on to its command. */
  readonly env: NodeJS.ProcessEnv;
}

/** Result of a run besides its output. */
export interface CliOutcome {
  exitCode: number;
}

interface SecretsOutputOptions {
  readonly format: SecretsFormat;
  readonly replaceInvalid?: boolean;
}

/**
 * Builds the `credstash-ts` command line: the commands, arguments and defaults of Python
 * credstash 1.17.1, plus `exec` and the options for offline use and other endpoints. Each
 * action turns its arguments into typed options, calls the command function and prints the
 * result; errors propagate to the caller, which reports them.
 */
export function buildProgram(io: CliIo, outcome: CliOutcome): Command {
  const program = new Command('credstash-ts');
  const write = (text: string): void => {
    io.stdout.write(text);
  };
  const globals = (): GlobalOptions => parseGlobalOptions(program.opts<RawGlobalOptions>(), io.env);
  const withStore = async <T>(action: (store: Credstash) => Promise<T>): Promise<T> => {
    const options = globals();
    return action(await openStore(options, io.env));
  };
  // The offline store has one local master key, so a KMS key cannot be chosen.
  const rejectKeyOffline = (flags: StoreFlags): void => {
    if (flags.key !== undefined && globals().backend.kind === 'offline') {
      throw usageError('-k names a KMS key, but the offline store wraps every secret with its local master key. Leave -k out.');
    }
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

  program
    .command('get')
    .description('print a secret, or a map of the secrets whose names match a pattern with *')
    .argument('<name>', 'secret name; * matches any run of characters and prints a map in --format')
    .argument('[context...]', 'encryption context as KEY=VALUE pairs')
    .option('-n, --noline', 'do not print a newline after the secret')
    .option('-v, --version <version>', 'version to read (default: the latest)')
    .addOption(formatOption())
    .option('--replace-invalid', 'in dotenv output, map characters that cannot appear in variable names to _')
    .action(async (name: string, pairs: string[], options: SecretsOutputOptions & { noline?: boolean; version?: string }) => {
      const context = parsePairs(pairs);
      await withStore(async (store) => {
        const progress = createProgress(io.stderr, 'get');
        try {
          const version = readVersion(options.version);
          const result = await getCommand(store, { name, context, version, onProgress: progress.update }).catch((error: unknown) => {
            throw nameSecretInError(error, name, version);
          });
          // Python credstash writes a pattern's map without a trailing newline.
          write(result.kind === 'secret' ? `${result.secret}${options.noline === true ? '' : '\n'}` : formatSecretsOutput(result.secrets, options));
        } finally {
          progress.finish();
        }
      });
    });

  program
    .command('getall')
    .description('print every secret as a map in --format')
    .argument('[context...]', 'encryption context as KEY=VALUE pairs')
    .option('-v, --version <version>', 'version to read from every secret (default: the latest)')
    .addOption(formatOption())
    .option('--partial', 'print the secrets that can be read, list the others on standard error, and exit 0')
    .option('--replace-invalid', 'in dotenv output, map characters that cannot appear in variable names to _')
    .action(async (pairs: string[], options: SecretsOutputOptions & { version?: string; partial?: boolean }) => {
      const context = parsePairs(pairs);
      await withStore(async (store) => {
        const progress = createProgress(io.stderr, 'getall');
        try {
          const { secrets, failures } = await getAllCommand(store, {
            context,
            version: readVersion(options.version),
            partial: options.partial === true,
            onProgress: progress.update,
          });
          progress.finish();
          for (const failure of failures) {
            io.stderr.write(`credstash-ts: skipped ${failure.name}: ${failure.error.message}\n`);
          }
          // Python credstash prints the map with print(), which adds a newline.
          write(`${formatSecretsOutput(secrets, options)}\n`);
        } finally {
          progress.finish();
        }
      });
    });

  program
    .command('keys')
    .description('print every secret name once')
    .action(async () => {
      write(formatKeys(await withStore(keysCommand)));
    });

  program
    .command('list')
    .description('print the name, version and comment of every stored version')
    .action(async () => {
      write(formatList(await withStore(listCommand)));
    });

  program
    .command('put')
    .description('store a secret as a new version')
    .argument('<name>', 'secret name')
    .argument('[value]', 'the secret; @FILE reads a file, - reads standard input (default: empty)')
    .argument('[context...]', 'encryption context as KEY=VALUE pairs')
    .option('-k, --key <key>', 'KMS key id, alias or ARN (default: alias/credstash)')
    .option('-c, --comment <comment>', 'comment stored next to the secret, shown by list')
    .option('-v, --version <version>', 'version to store (default: 1)')
    .option('-a, --autoversion', 'store the highest version plus one; -v is ignored')
    .addOption(digestOption())
    .option('-P, --prompt', 'read the secret from the terminal without echo')
    .action(async (name: string, value: string | undefined, pairs: string[], options: StoreFlags & { prompt?: boolean }) => {
      const context = parsePairs(pairs);
      rejectKeyOffline(options);
      if (options.prompt === true && value !== undefined) {
        throw usageError('pass the secret either as VALUE or with -P, not both.');
      }
      warnIgnoredVersion(io, options);
      const secret = options.prompt === true ? await promptSecret(`${name}: `, io.stdin, io.stderr) : await readSecretArgument(value ?? '', io.stdin);

      await withStore(async (store) => {
        await putCommand(store, { name, secret, ...storeOptions(options, context, '1') });
      });
      write(`${name} has been stored\n`);
    });

  program
    .command('putall')
    .description('store every secret of a JSON object {"name": "value", ...}')
    .argument('<credentials>', 'the JSON object; @FILE reads a file, - reads standard input')
    .argument('[context...]', 'encryption context as KEY=VALUE pairs')
    .option('-k, --key <key>', 'KMS key id, alias or ARN (default: alias/credstash)')
    .option('-c, --comment <comment>', 'comment stored next to every secret, shown by list')
    .option('-v, --version <version>', 'version to store (default: 0, as in Python credstash)')
    .option('-a, --autoversion', 'store the highest version plus one of each name; -v is ignored')
    .addOption(digestOption())
    .action(async (argument: string, pairs: string[], options: StoreFlags) => {
      const context = parsePairs(pairs);
      rejectKeyOffline(options);
      warnIgnoredVersion(io, options);
      const source = argument === '-' ? 'standard input' : argument.startsWith('@') ? `file ${argument.slice(1)}` : 'the putall argument';
      const secrets = parseSecretsJson(await readSecretArgument(argument, io.stdin), source);

      const { stored, failures } = await withStore(async (store) => {
        const progress = createProgress(io.stderr, 'putall');
        try {
          return await putAllCommand(store, { secrets, ...storeOptions(options, context, ''), onProgress: progress.update });
        } finally {
          progress.finish();
        }
      });
      write(stored.map(({ name }) => `${name} has been stored\n`).join(''));
      if (failures.length > 0) {
        const lines = failures.map(({ name, error }) => `  ${name}: ${error.message}`).join('\n');
        throw new CliError('ERR_PUTALL', `${failures.length} of ${secrets.length} secrets were not stored:\n${lines}`);
      }
    });

  program
    .command('delete')
    .description('delete every version of a secret')
    .argument('<name>', 'secret name')
    .action(async (name: string) => {
      const deleted = await withStore(async (store) => {
        const progress = createProgress(io.stderr, 'delete');
        let count = 0;
        try {
          // Each line is printed as its version is deleted, so an error midway leaves a true record.
          return await deleteCommand(store, {
            name,
            onDeleted: (version) => {
              write(`Deleting ${name} -- version ${version}\n`);
              count += 1;
              progress.update(count);
            },
          });
        } finally {
          progress.finish();
        }
      });
      if (deleted.length === 0) {
        io.stderr.write(`credstash-ts: secret "${name}" has no versions; nothing was deleted.\n`);
      }
    });

  program
    .command('setup')
    .description('create the table unless it exists')
    .option('--tags <pairs...>', 'tags for a new table as KEY=VALUE pairs, besides Name=credstash')
    .option('--save-kms-region <region>', 'save the KMS region in ~/.credstash for later commands')
    .action(async (options: { tags?: string[]; saveKmsRegion?: string }) => {
      const tags = parsePairs(options.tags ?? [], 'tag');
      const result = await withStore((store) => setupCommand(store, { tags, saveKmsRegion: options.saveKmsRegion }));

      if (result.savedKmsRegion !== undefined) {
        write(`KMS region set to ${result.savedKmsRegion}\n`);
      }
      // Python credstash prints these lines as it goes; here they follow the finished setup.
      write(
        result.table === 'exists'
          ? 'Credential Store table already exists\n'
          : 'Creating table...\nWaiting for table to be created...\nAdding tags...\nTable has been created. Go read the README about how to create your KMS key\n',
      );
    });

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
      );
    });

  return program;
}

interface StoreFlags {
  readonly key?: string;
  readonly comment?: string;
  readonly version?: string;
  readonly autoversion?: boolean;
  readonly digest: Digest;
}

function storeOptions(flags: StoreFlags, context: Readonly<Record<string, string>>, defaultVersion: string) {
  const version = flags.version ?? defaultVersion;
  return {
    context,
    keyId: flags.key,
    comment: flags.comment,
    // Python pads an empty version to nineteen zeros; "0" pads to the same.
    version: version === '' ? '0' : version,
    autoVersion: flags.autoversion === true,
    digest: flags.digest,
  };
}

function warnIgnoredVersion(io: CliIo, flags: StoreFlags): void {
  if (flags.autoversion === true && flags.version !== undefined) {
    io.stderr.write('credstash-ts: -v is ignored with -a, as in Python credstash.\n');
  }
}

// Python credstash treats an empty -v as "the latest version".
function readVersion(version: string | undefined): string | undefined {
  return version === '' ? undefined : version;
}

function formatOption(): Option {
  return new Option('-f, --format <format>', 'output format of a map of secrets').choices(SECRETS_FORMATS).default('json');
}

function digestOption(): Option {
  return new Option('-d, --digest <digest>', 'HMAC digest').choices(DIGESTS).default(DEFAULT_DIGEST);
}

function formatSecretsOutput(secrets: Record<string, string>, options: SecretsOutputOptions): string {
  return formatSecrets(secrets, options.format, options.replaceInvalid === true ? 'replace' : 'reject');
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
