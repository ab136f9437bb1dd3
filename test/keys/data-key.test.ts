import { describe, expect, it } from 'vitest';

import {
  Credstash,
  CredstashError,
  InvalidDataKeyError,
  KeyProviderError,
  LocalKeyProvider,
  MemoryTableProvider,
  type KeyProvider,
} from '../../src/index.js';
import { TEST_MASTER_KEY } from '../support/spy-providers.js';

function providerReturning(results: { dataKey?: unknown; unwrapped?: unknown }): KeyProvider {
  return {
    generateDataKey: async () => results.dataKey as never,
    decryptDataKey: async () => results.unwrapped as never,
  };
}

describe('data keys from custom providers', () => {
  it.each([
    ['string plaintext', { plaintext: 'x'.repeat(64), ciphertextBlob: Buffer.from('w') }],
    ['null plaintext', { plaintext: null, ciphertextBlob: Buffer.from('w') }],
    ['array plaintext', { plaintext: Array.from({ length: 64 }, () => 0), ciphertextBlob: Buffer.from('w') }],
    ['missing ciphertextBlob', { plaintext: Buffer.alloc(64) }],
    ['empty ciphertextBlob', { plaintext: Buffer.alloc(64), ciphertextBlob: new Uint8Array(0) }],
    ['undefined result', undefined],
  ])('rejects %s before writing', async (_title, dataKey) => {
    const table = new MemoryTableProvider();
    const credstash = new Credstash({ keyProvider: providerReturning({ dataKey }), tableProvider: table });

    const error = await credstash.putSecret('name', 'value').catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(KeyProviderError);
    expect((error as CredstashError).code).toBe('ERR_KEY_PROVIDER');
    expect((error as Error).message).toContain('Nothing was written');
    expect(await credstash.listSecrets()).toEqual([]);
  });

  it.each([
    ['a string', 'x'.repeat(64)],
    ['undefined', undefined],
    ['an array', Array.from({ length: 64 }, () => 0)],
  ])('rejects %s from decryptDataKey', async (_title, unwrapped) => {
    const table = new MemoryTableProvider();
    await new Credstash({ keyProvider: new LocalKeyProvider({ masterKey: TEST_MASTER_KEY }), tableProvider: table }).putSecret('name', 'value');

    const error = await new Credstash({ keyProvider: providerReturning({ unwrapped }), tableProvider: table })
      .getSecret('name')
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(KeyProviderError);
    expect((error as Error).message).toContain('instead of a Uint8Array');
  });

  it('words a short unwrapped key as a read failure', async () => {
    const table = new MemoryTableProvider();
    await new Credstash({ keyProvider: new LocalKeyProvider({ masterKey: TEST_MASTER_KEY }), tableProvider: table }).putSecret('name', 'value');

    const error = await new Credstash({ keyProvider: providerReturning({ unwrapped: Buffer.alloc(32) }), tableProvider: table })
      .getSecret('name')
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(InvalidDataKeyError);
    expect((error as Error).message).toContain('cannot be read with this key provider');
    expect((error as Error).message).not.toContain('Nothing was written');
  });

  it('wraps a foreign provider error', async () => {
    const failing: KeyProvider = {
      generateDataKey: async () => {
        throw new Error('vault sealed');
      },
      decryptDataKey: async () => Buffer.alloc(64),
    };

    const error = await new Credstash({ keyProvider: failing, tableProvider: new MemoryTableProvider() })
      .putSecret('name', 'value')
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(KeyProviderError);
    expect((error as Error).message).toContain('vault sealed');
    expect(((error as Error).cause as Error).message).toBe('vault sealed');
  });
});
