import { resolve } from 'node:path';

import type { Command } from 'commander';

import { MASTER_KEY_FILE_NAME } from '../../store/offline.js';

import { deleteCommand } from '../commands/delete.js';
import { putCommand } from '../commands/put.js';
import { putAllCommand } from '../commands/putall.js';
import { setupCommand, type SetupResult } from '../commands/setup.js';
import { CliError, usageError } from '../lib/cli-error.js';
import { parsePairs } from '../lib/context-pairs.js';
import { describeError } from '../lib/report-error.js';
import { promptSecret } from '../lib/prompt-secret.js';
import { readSecretArgument } from '../lib/secret-argument.js';
import { parseSecretsJson } from '../lib/secrets-json.js';
import { digestOption, rejectKeyOffline, storeOptions, warnIgnoredVersion, type StoreFlags } from './flags.js';
import type { ProgramRuntime } from './program-runtime.js';

/** Adds `put`, `putall`, `delete` and `setup`, the commands that change the table. */
export function addWriteCommands(program: Command, runtime: ProgramRuntime): void {
  const { io, write, withStore } = runtime;

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
      rejectKeyOffline(runtime, options);
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
      rejectKeyOffline(runtime, options);
      warnIgnoredVersion(io, options);
      const source = argument === '-' ? 'standard input' : argument.startsWith('@') ? `file ${argument.slice(1)}` : 'the putall argument';
      const secrets = parseSecretsJson(await readSecretArgument(argument, io.stdin), source);

      const { stored, failures } = await withStore(async (store) => {
        const progress = runtime.startProgress('putall');
        try {
          return await putAllCommand(store, { secrets, ...storeOptions(options, context, ''), onProgress: progress.update });
        } finally {
          progress.finish();
        }
      });
      write(stored.map(({ name }) => `${name} has been stored\n`).join(''));
      if (failures.length > 0) {
        // A conflict's message starts with the name already, as Python words it.
        const lines = failures
          .map(({ name, error }) => {
            const description = describeError(error);
            return description.startsWith(`${name} `) ? `  ${description}` : `  ${name}: ${description}`;
          })
          .join('\n');
        throw new CliError('ERR_PUTALL', `${failures.length} of ${secrets.length} secrets were not stored:\n${lines}`);
      }
    });

  program
    .command('delete')
    .description('delete every version of a secret')
    .argument('<name>', 'secret name')
    .action(async (name: string) => {
      const deleted = await withStore(async (store) => {
        const progress = runtime.startProgress('delete');
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
    .description('create the table unless it exists (offline: also the master key)')
    .option('--tags [pairs...]', 'tags for a new table as KEY=VALUE pairs, besides Name=credstash')
    .option('--save-kms-region <region>', 'save the KMS region in ~/.credstash for later commands')
    .action(async (options: { tags?: string[] | true; saveKmsRegion?: string }) => {
      // Python's --tags takes zero or more pairs, so a bare --tags adds none.
      const tags = parsePairs(options.tags === true ? [] : (options.tags ?? []), 'tag');
      const backend = runtime.globals().backend;
      if (backend.kind === 'offline' && options.saveKmsRegion !== undefined) {
        throw usageError('--save-kms-region saves the KMS region of AWS commands in ~/.credstash, but the offline store uses no KMS. Leave it out.');
      }

      const offline = backend.kind === 'offline';
      const result = await withStore((store) => setupCommand(store, { tags, saveKmsRegion: options.saveKmsRegion, createKey: offline }));
      if (offline) {
        write(describeOfflineSetup(result, offlineFiles(backend.directory, runtime.globals().table)));
        return;
      }

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
}

function offlineFiles(directory: string, table: string): { keyFile: string; tableFile: string } {
  return { keyFile: resolve(directory, MASTER_KEY_FILE_NAME), tableFile: resolve(directory, `${table}.jsonl`) };
}

// Python's last line sends users to the README to create a KMS key. Offline, setup creates
// the master key file itself, so these lines say where it is and that it needs a backup.
function describeOfflineSetup(result: SetupResult, files: { keyFile: string; tableFile: string }): string {
  const lines = [result.table === 'exists' ? 'Credential Store table already exists' : `Table has been created: ${files.tableFile}`];
  if (result.key === 'created') {
    lines.push(`Master key has been created: ${files.keyFile}`, 'Back it up: without it, no secret stored with it can be read.');
  }
  return `${lines.join('\n')}\n`;
}
