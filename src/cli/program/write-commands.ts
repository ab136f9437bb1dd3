import { resolve } from 'node:path';

import type { Command } from 'commander';

import { DEFAULT_KMS_KEY } from '../../keys/kms-key-provider.js';
import { MASTER_KEY_FILE_NAME } from '../../store/offline.js';

import { deleteCommand } from '../commands/delete.js';
import { putCommand } from '../commands/put.js';
import { putAllCommand } from '../commands/putall.js';
import { setupCommand, type SetupResult } from '../commands/setup.js';
import { CliError, usageError } from '../lib/cli-error.js';
import { parsePairs } from '../lib/context-pairs.js';
import { saveKmsRegion } from '../lib/kms-region-config.js';
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
    .description('create the table unless it exists, and with --create-key the KMS key and its alias (offline: also the master key)')
    .option('--tags [pairs...]', 'tags for a new table (and a new key) as KEY=VALUE pairs, besides Name=credstash')
    .option('--save-kms-region <region>', 'save the KMS region in ~/.credstash for later commands')
    .option('--create-key', 'also create the KMS key and its alias unless the alias exists (offline: the master key file)')
    .option('-k, --key <alias>', 'alias of the KMS key that --create-key creates (default: alias/credstash)')
    .action(async (options: { tags?: string[] | true; saveKmsRegion?: string; createKey?: boolean; key?: string }) => {
      // Python's --tags takes zero or more pairs, so a bare --tags adds none.
      const tags = parsePairs(options.tags === true ? [] : (options.tags ?? []), 'tag');
      const backend = runtime.globals().backend;
      const offline = backend.kind === 'offline';
      if (offline && options.saveKmsRegion !== undefined) {
        throw usageError('--save-kms-region saves the KMS region of AWS commands in ~/.credstash, but the offline store uses no KMS. Leave it out.');
      }
      // Offline, setup always creates the master key file next to the table.
      const createKey = options.createKey === true || offline;
      checkSetupKey(options.key, options.createKey === true, backend.kind);

      // Saved before the store opens, so that a key created in the same run goes to that region.
      if (options.saveKmsRegion !== undefined) {
        await saveKmsRegion(options.saveKmsRegion);
        write(`KMS region set to ${options.saveKmsRegion}\n`);
      }
      const result = await withStore((store) => setupCommand(store, { tags, createKey, keyId: options.key }));
      if (backend.kind === 'offline') {
        write(describeOfflineSetup(result, offlineFiles(backend.directory, runtime.globals().table)));
        return;
      }

      if (result.key !== undefined) {
        const key = `KMS key ${options.key ?? DEFAULT_KMS_KEY}`;
        write(result.key === 'created' ? `${key} has been created\n` : `${key} already exists\n`);
      }
      // Python credstash prints these lines as it goes; here they follow the finished setup.
      // Its last line sends the reader to create a KMS key, which --create-key has done.
      const done = createKey ? 'Table has been created\n' : 'Table has been created. Go read the README about how to create your KMS key\n';
      write(result.table === 'exists' ? 'Credential Store table already exists\n' : `Creating table...\nWaiting for table to be created...\nAdding tags...\n${done}`);
    });
}

// setup -k names the alias that --create-key creates, so it needs that flag, AWS, and an alias name.
function checkSetupKey(key: string | undefined, createKey: boolean, backend: 'aws' | 'offline'): void {
  if (key === undefined) {
    return;
  }
  if (!createKey) {
    throw usageError('setup uses -k only to name the key that --create-key creates. Add --create-key, or leave -k out.');
  }
  if (backend === 'offline') {
    throw usageError('-k names a KMS key, but the offline store wraps every secret with its local master key. Leave -k out.');
  }
  if (!key.startsWith('alias/') || key === 'alias/') {
    throw usageError(`invalid -k ${JSON.stringify(key)}: setup --create-key creates a key and points an alias at it, so pass an alias name such as alias/credstash.`);
  }
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
