import { describe, expect, it } from 'vitest';

import { Credstash, DynamoDbTableProvider, InvalidArgumentError, KmsKeyProvider, LocalKeyProvider, MemoryTableProvider, padVersion } from '../../src/index.js';
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
