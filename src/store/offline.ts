import { join } from 'node:path';

import { InvalidArgumentError } from '../errors/index.js';
import { LocalKeyProvider } from '../keys/local-key-provider.js';
import { FileTableProvider } from '../tables/file-table-provider.js';
import { DEFAULT_TABLE_NAME } from '../tables/dynamodb-table-provider.js';
import { requireOptionsObject } from '../lib/constructor-options.js';

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
 * Creates the embedded offline default: a {@link LocalKeyProvider} whose master key is
 * created in `directory` on first use, and a {@link FileTableProvider} in the same folder.
 * No AWS account or network is involved.
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

  return {
    keyProvider: new LocalKeyProvider({ keyFile: join(options.directory, 'master.key') }),
    tableProvider: new FileTableProvider({ path: join(options.directory, `${table}.jsonl`) }),
  };
}
