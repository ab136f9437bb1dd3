import { join, resolve } from 'node:path';

import { InvalidArgumentError, MasterKeyNotFoundError, TableNotFoundError } from '../errors/index.js';
import { LocalKeyProvider, type LocalKeyCreateRequest } from '../keys/local-key-provider.js';
import { FileTableProvider } from '../tables/file-table-provider.js';
import { DEFAULT_TABLE_NAME } from '../tables/dynamodb-table-provider.js';
import { requireOptionsObject } from '../lib/constructor-options.js';

/** File name of the master key in an offline store's folder. */
export const MASTER_KEY_FILE_NAME = 'master.key';

/**
 * Options of {@link offlineProviders}.
 *
 * @example
 * ```ts
 * const providers = offlineProviders({ directory: '/var/lib/credstash', table: 'app' });
 * ```
 */
export interface OfflineProvidersOptions {
  /** Folder that contains the master key (`master.key`) and the table files (`<table>.jsonl`). */
  readonly directory: string;
  /** Table name, which becomes the file name. @default `CREDSTASH_DEFAULT_TABLE`, else `"credential-store"` */
  readonly table?: string;
}

/**
 * Creates the embedded offline default: a {@link LocalKeyProvider} with the master key
 * `master.key` and a {@link FileTableProvider} with the table `<table>.jsonl`, both in
 * `directory`. No AWS account or network is involved.
 *
 * The master key is created by `setup({ createKey: true })` or by the first write to an
 * empty table. It is never created by a read, nor next to a table that already contains
 * secrets: a new key could not read them, so both fail with {@link MasterKeyNotFoundError},
 * which names the key file and the table file. A write before `setup` fails with
 * {@link TableNotFoundError} and creates no file or folder.
 *
 * @example
 * ```ts
 * const credstash = new Credstash(offlineProviders({ directory: '.credstash' }));
 * await credstash.setup();
 * await credstash.putSecret('api/token', 'abc123');
 * ```
 */
export function offlineProviders(offlineOptions: OfflineProvidersOptions): { keyProvider: LocalKeyProvider; tableProvider: FileTableProvider } {
  const options = requireOptionsObject(offlineOptions, 'offlineProviders', '{ directory }');
  if (typeof options.directory !== 'string' || options.directory === '') {
    throw new InvalidArgumentError('directory', 'invalid directory: pass the folder for the master key and table files.');
  }
  const table = options.table ?? (process.env['CREDSTASH_DEFAULT_TABLE'] || DEFAULT_TABLE_NAME);
  if (table === '' || table.includes('/') || table.includes('\\') || table.startsWith('.')) {
    throw new InvalidArgumentError('table', `invalid table ${JSON.stringify(table)}: an offline table name becomes a file name, so it cannot contain slashes or start with a dot.`);
  }

  const tableProvider = new FileTableProvider({ path: join(options.directory, `${table}.jsonl`) });
  const keyProvider = new LocalKeyProvider({
    keyFile: resolve(options.directory, MASTER_KEY_FILE_NAME),
    beforeCreate: (request) => checkTableBeforeNewKey(tableProvider, request),
  });
  return { keyProvider, tableProvider };
}

// A new master key next to a table that contains secrets could not read them, and later
// writes would mix two keys in one table. A write also needs the table to exist, so a put
// before setup fails as it would with a key, and leaves no file or folder behind.
async function checkTableBeforeNewKey(table: FileTableProvider, request: LocalKeyCreateRequest): Promise<void> {
  let hasSecrets: boolean;
  try {
    hasSecrets = await containsItems(table);
  } catch (error) {
    // setup({ createKey: true }) creates the table right after the key.
    if (error instanceof TableNotFoundError && request.operation === 'createKey') {
      return;
    }
    throw error;
  }
  if (hasSecrets) {
    throw new MasterKeyNotFoundError(request.keyFile, 'write', table.tableName);
  }
}

async function containsItems(table: FileTableProvider): Promise<boolean> {
  for await (const page of table.scanItems({ attributes: 'summary', pageSize: 1 })) {
    if (page.items.length > 0) {
      return true;
    }
  }
  return false;
}
