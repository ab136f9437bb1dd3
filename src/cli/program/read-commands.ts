import type { Command } from 'commander';

import { getCommand } from '../commands/get.js';
import { getAllCommand } from '../commands/getall.js';
import { keysCommand, listCommand } from '../commands/list.js';
import { formatKeys, formatList } from '../format/list.js';
import { parsePairs } from '../lib/context-pairs.js';
import { explainUnreadableSecrets, nameSecretInError } from '../lib/report-error.js';
import { formatOption, formatSecretsOutput, readVersion, type SecretsOutputOptions } from './flags.js';
import type { ProgramRuntime } from './program-runtime.js';

/** Adds `get`, `getall`, `keys` and `list`, the commands that only read. */
export function addReadCommands(program: Command, runtime: ProgramRuntime): void {
  const { io, write, withStore } = runtime;

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
        const progress = runtime.startProgress('get');
        try {
          const version = readVersion(options.version);
          const result = await getCommand(store, { name, context, version, onProgress: progress.update }).catch((error: unknown) => {
            throw explainUnreadableSecrets(nameSecretInError(error, name, version), 'get');
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
        const progress = runtime.startProgress('getall');
        try {
          const { secrets, failures } = await getAllCommand(store, {
            context,
            version: readVersion(options.version),
            partial: options.partial === true,
            onProgress: progress.update,
          }).catch((error: unknown) => {
            throw explainUnreadableSecrets(error, 'getall');
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
}
