import { describe, expect, it } from 'vitest';

import {
  Credstash,
  DynamoDbTableProvider,
  FileTableProvider,
  InvalidArgumentError,
  InvalidItemError,
  KmsKeyProvider,
  LocalKeyProvider,
  MemoryTableProvider,
  offlineProviders,
  padVersion,
  type TableProvider,
} from '../../src/index.js';
import { TEST_MASTER_KEY } from '../support/spy-providers.js';

function newCredstash(): Credstash {
  return new Credstash({ keyProvider: new LocalKeyProvider({ masterKey: TEST_MASTER_KEY }), tableProvider: new MemoryTableProvider() });
}

describe('options validation', () => {
  it('rejects a string in place of options', async () => {
    const credstash = newCredstash();

    await expect(credstash.putSecret('name', 'value', 'SHA512' as never)).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT', argument: 'options' });
    await expect(credstash.getSecret('name', 3 as never)).rejects.toMatchObject({ argument: 'options' });
    await expect(credstash.getAllSecrets([] as never)).rejects.toMatchObject({ argument: 'options' });
    await expect(credstash.setup(null as never)).rejects.toMatchObject({ argument: 'options' });
    await expect(credstash.listSecrets()).resolves.toEqual([]);
  });

  it('rejects invalid connection options at construction', () => {
    expect(() => new Credstash({ table: '' })).toThrow(InvalidArgumentError);
    expect(() => new Credstash({ table: 'x' })).toThrow(/3 to 255 characters/);
    expect(() => new Credstash({ region: 'us-east-1', endpoint: 'not a url' })).toThrow(/invalid endpoint "not a url"/);
    expect(() => new Credstash({ endpoint: 'ftp://127.0.0.1' })).toThrow(/http:\/\/ or https:\/\//);
    expect(() => new Credstash({ requestTimeout: 0 })).toThrow(/requestTimeout 0: expected a positive number of milliseconds/);
    expect(() => new Credstash({ maxAttempts: 1.5 })).toThrow(/maxAttempts/);
    expect(() => new Credstash({ region: '' })).toThrow(/invalid region/);
    expect(() => new Credstash({ abortSignal: {} as AbortSignal })).toThrow(/invalid abortSignal: pass an AbortSignal/);
    expect(() => new Credstash({ abortSignal: new AbortController().signal })).not.toThrow();
    expect(() => new KmsKeyProvider({ keyId: '' })).toThrow(/invalid keyId/);
    expect(() => new DynamoDbTableProvider({ tableName: 'arn:aws:dynamodb:us-east-1:123456789012:table/credential-store' })).not.toThrow();
  });

  it('rejects unsafe numeric versions', () => {
    expect(() => padVersion(2 ** 53)).toThrow(/above Number.MAX_SAFE_INTEGER/);
  });
});

describe('constructor options', () => {
  it.each([
    ['offlineProviders()', () => offlineProviders(undefined as never)],
    ['offlineProviders(null)', () => offlineProviders(null as never)],
    ['new LocalKeyProvider()', () => new LocalKeyProvider(undefined as never)],
    ['new LocalKeyProvider({})', () => new LocalKeyProvider({} as never)],
    ['a string master key', () => new LocalKeyProvider({ masterKey: 'k'.repeat(32) as never })],
    ['new FileTableProvider()', () => new FileTableProvider(undefined as never)],
    ['new MemoryTableProvider(null)', () => new MemoryTableProvider(null as never)],
    ['new KmsKeyProvider(null)', () => new KmsKeyProvider(null as never)],
    ['new DynamoDbTableProvider("t")', () => new DynamoDbTableProvider('table' as never)],
  ])('rejects %s', (_title, construct) => {
    expect(construct).toThrow(InvalidArgumentError);
  });

  it.each([['x'], [Number.NaN], [-5], [0], [Number.POSITIVE_INFINITY]])('rejects lockTimeout %s', (lockTimeout) => {
    expect(() => new FileTableProvider({ path: '/tmp/t.jsonl', lockTimeout: lockTimeout as never })).toThrow(/invalid lockTimeout/);
  });

  it('rejects a setupTimeout that is not a number', () => {
    expect(() => new DynamoDbTableProvider({ setupTimeout: 'x' as never })).toThrow(/invalid setupTimeout "x": expected a positive number of seconds/);
  });
});

describe('items from custom table providers', () => {
  it('rejects null items with a typed error', async () => {
    const nullTable: TableProvider = {
      tableName: 'nulls',
      createTable: async () => 'exists',
      putItem: async () => 'created',
      getItem: async () => null as never,
      getLatestItem: async () => null as never,
      async *queryVersions() {
        yield { items: [null as never] };
      },
      async *scanItems() {
        yield { items: [null as never] };
      },
      deleteItem: async () => 'missing',
    };
    const credstash = new Credstash({ keyProvider: new LocalKeyProvider({ masterKey: TEST_MASTER_KEY }), tableProvider: nullTable });

    await expect(credstash.getSecret('n', { version: 1 })).rejects.toBeInstanceOf(InvalidItemError);
    await expect(credstash.listSecrets()).rejects.toBeInstanceOf(InvalidItemError);
    await expect(credstash.deleteSecrets('n')).rejects.toBeInstanceOf(InvalidItemError);
    const all = await credstash.getAllSecrets({ allowPartial: true });
    expect(all.failures.map((failure) => failure.error.code)).toEqual(['ERR_INVALID_ITEM']);
  });

  it('names SHA for SHA-1', async () => {
    await expect(newCredstash().putSecret('n', 'v', { digest: 'SHA1' as never })).rejects.toThrow(/Credstash names SHA-1 "SHA"/);
    await expect(newCredstash().putSecret('n', 'v', { digest: 'sha-1' as never })).rejects.toThrow(/Credstash names SHA-1 "SHA"/);
  });
});
