import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { DynamoDbTableProvider, FileTableProvider, KmsKeyProvider, LocalKeyProvider, MemoryTableProvider, type KeyProvider, type TableProvider } from '../../src/index.js';
import { createKmsKey, motoEndpoint, TEST_CREDENTIALS } from './moto.js';
import { TEST_MASTER_KEY } from './spy-providers.js';

export interface ProviderFactory<T> {
  readonly title: string;
  readonly needsMoto: boolean;
  create(): Promise<T>;
}

/** Every key provider the library ships, created fresh for each test. */
export const KEY_PROVIDERS: readonly ProviderFactory<KeyProvider>[] = [
  { title: 'local key', needsMoto: false, create: async () => new LocalKeyProvider({ masterKey: TEST_MASTER_KEY }) },
  {
    title: 'KMS on moto',
    needsMoto: true,
    create: async () => new KmsKeyProvider({ keyId: await createKmsKey(), endpoint: motoEndpoint()!, region: 'us-east-1', credentials: TEST_CREDENTIALS }),
  },
];

/** Every table provider the library ships, each on a new empty table. */
export const TABLE_PROVIDERS: readonly ProviderFactory<TableProvider>[] = [
  { title: 'memory table', needsMoto: false, create: async () => new MemoryTableProvider() },
  {
    title: 'file table',
    needsMoto: false,
    create: async () => {
      const table = new FileTableProvider({ path: join(mkdtempSync(join(tmpdir(), 'credstash-ts-')), 'table.jsonl') });
      await table.createTable({});
      return table;
    },
  },
  {
    title: 'DynamoDB on moto',
    needsMoto: true,
    create: async () => {
      const table = new DynamoDbTableProvider({ tableName: `t-${randomUUID()}`, endpoint: motoEndpoint()!, region: 'us-east-1', credentials: TEST_CREDENTIALS });
      await table.createTable({});
      return table;
    },
  },
];
