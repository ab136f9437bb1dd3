import { describe, expect, it } from 'vitest';

import {
  AutoVersionError,
  Credstash,
  InvalidArgumentError,
  InvalidDataKeyError,
  LocalKeyProvider,
  MemoryTableProvider,
  VersionExistsError,
  type DataKey,
  type KeyProvider,
} from '../../src/index.js';
import { SpyKeyProvider, SpyTableProvider, TEST_MASTER_KEY } from '../support/spy-providers.js';
import { RecordedKeyProvider, VECTORS } from '../support/vectors.js';

function memoryCredstash(keyProvider: KeyProvider = new LocalKeyProvider({ masterKey: TEST_MASTER_KEY })) {
  const keys = new SpyKeyProvider(keyProvider);
  const table = new SpyTableProvider(new MemoryTableProvider());
  return { credstash: new Credstash({ keyProvider: keys, tableProvider: table }), keys, table };
}

describe('putSecret item layout', () => {
  const pythonItems = VECTORS.filter((vector) => vector.layout === undefined);

  for (const vector of pythonItems) {
    it(`writes Python's exact bytes for ${vector.name} v${Number(vector.version)}`, async () => {
      const recorded = new RecordedKeyProvider();
      const wrapped = Buffer.from(vector.item['key']!.S!, 'base64');
      recorded.enqueue(Buffer.from(vector.dataKey, 'base64'), wrapped);
      const { credstash, table } = memoryCredstash(recorded);

      await credstash.putSecret(vector.name, vector.secret, {
        version: vector.version,
        digest: vector.digest as never,
        context: vector.context,
        ...(vector.comment === '' ? {} : { comment: vector.comment }),
      });

      const item = table.written[0]!;
      const written = Object.fromEntries(
        Object.entries(item).map(([attribute, value]) => [
          attribute,
          'B' in value ? { B: Buffer.from(value.B).toString('base64') } : { S: value.S },
        ]),
      );
      expect(written).toEqual(vector.item);
    });
  }

  it('writes attribute types as Python 3 does', async () => {
    const { credstash, table } = memoryCredstash();

    await credstash.putSecret('layout', 'value');

    const item = table.written[0]!;
    expect(Object.keys(item).sort()).toEqual(['contents', 'digest', 'hmac', 'key', 'name', 'version']);
    expect('B' in item.hmac).toBe(true);
    expect(Buffer.from((item.hmac as { B: Uint8Array }).B).toString('latin1')).toMatch(/^[0-9a-f]{64}$/);
    expect(item.digest).toEqual({ S: 'SHA256' });
  });

  it('writes comment only when non-empty', async () => {
    const { credstash, table } = memoryCredstash();

    await credstash.putSecret('a', 'value', { comment: '' });
    await credstash.putSecret('b', 'value', { comment: 'rotated' });

    expect(table.written[0]!.comment).toBeUndefined();
    expect(table.written[1]!.comment).toEqual({ S: 'rotated' });
  });
});

describe('putSecret versions', () => {
  it('defaults to version 1', async () => {
    const { credstash } = memoryCredstash();

    const result = await credstash.putSecret('name', 'value');

    expect(result).toEqual({ name: 'name', version: '0000000000000000001' });
  });

  it('reaches one item by any spelling', async () => {
    const { credstash } = memoryCredstash();
    await credstash.putSecret('name', 'seven', { version: 7 });

    for (const version of [7, '7', '0000000000000000007']) {
      expect(await credstash.getSecret('name', { version })).toBe('seven');
    }
    await expect(credstash.putSecret('name', 'again', { version: '0000000000000000007' })).rejects.toThrow(VersionExistsError);
  });

  it('stores free-form versions padded', async () => {
    const { credstash } = memoryCredstash();

    const result = await credstash.putSecret('name', 'v', { version: 'v1.0' });

    expect(result.version).toBe('000000000000000v1.0');
    expect(await credstash.getSecret('name', { version: 'v1.0' })).toBe('v');
  });

  it('never overwrites and names the highest version', async () => {
    const { credstash } = memoryCredstash();
    await credstash.putSecret('name', 'first', { version: 1 });
    await credstash.putSecret('name', 'third', { version: 3 });

    const error = await credstash.putSecret('name', 'second', { version: 1 }).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(VersionExistsError);
    expect((error as VersionExistsError).code).toBe('ERR_VERSION_EXISTS');
    expect((error as VersionExistsError).highestVersion).toBe('0000000000000000003');
    expect((error as Error).message).toContain('"0000000000000000003"');
    expect(await credstash.getSecret('name', { version: 1 })).toBe('first');
  });

  it('autoversions past 9', async () => {
    const { credstash } = memoryCredstash();

    for (let index = 1; index <= 12; index += 1) {
      await credstash.putSecret('counter', `value ${index}`, { autoVersion: true });
    }

    expect(await credstash.getHighestVersion('counter')).toBe('0000000000000000012');
    expect(await credstash.getSecret('counter')).toBe('value 12');
    expect(await credstash.getSecret('counter', { version: 10 })).toBe('value 10');
  });

  it('autoversions 20 concurrent puts without loss', async () => {
    const { credstash } = memoryCredstash();

    const results = await Promise.all(Array.from({ length: 20 }, (_, index) => credstash.putSecret('race', `value ${index}`, { autoVersion: true })));

    expect(new Set(results.map((result) => result.version)).size).toBe(20);
    const stored = await credstash.listSecrets();
    expect(stored.map((summary) => summary.version)).toEqual(Array.from({ length: 20 }, (_, index) => String(index + 1).padStart(19, '0')));
    for (const [index, result] of results.entries()) {
      expect(await credstash.getSecret('race', { version: result.version })).toBe(`value ${index}`);
    }
  });

  it('rejects autoversion over a free-form version', async () => {
    const { credstash } = memoryCredstash();
    await credstash.putSecret('name', 'v', { version: 'beta' });

    await expect(credstash.putSecret('name', 'w', { autoVersion: true })).rejects.toThrow(AutoVersionError);
  });
});

describe('putSecret rejects bad input before any provider call', () => {
  const cases: [string, () => [string, unknown, Record<string, unknown>?]][] = [
    ['empty name', () => ['', 'v']],
    ['name over 2048 bytes', () => ['é'.repeat(1025), 'v']],
    ['non-string secret', () => ['name', 42]],
    ['unpaired surrogate', () => ['name', 'a\uD800']],
    ['secret over one item', () => ['name', 'x'.repeat(310_000)]],
    ['lower-case digest', () => ['name', 'v', { digest: 'sha256' }]],
    ['unknown digest', () => ['name', 'v', { digest: 'SHA3' }]],
    ['negative version', () => ['name', 'v', { version: -1 }]],
    ['20-character version', () => ['name', 'v', { version: '1'.repeat(20) }]],
    ['version object', () => ['name', 'v', { version: { n: 1 } }]],
    ['version and autoVersion', () => ['name', 'v', { version: 2, autoVersion: true }]],
    ['empty context key', () => ['name', 'v', { context: { '': 'x' } }]],
    ['empty context value', () => ['name', 'v', { context: { env: '' } }]],
    ['numeric context value', () => ['name', 'v', { context: { env: 1 } }]],
    ['array context', () => ['name', 'v', { context: ['env'] }]],
    ['numeric comment', () => ['name', 'v', { comment: 5 }]],
  ];

  it.each(cases)('%s', async (_title, build) => {
    const { credstash, keys, table } = memoryCredstash();
    const [name, secret, options] = build();

    const error = await credstash.putSecret(name, secret as string, options as never).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as InvalidArgumentError).code).toBe('ERR_INVALID_ARGUMENT');
    expect(keys.calls).toBe(0);
    expect(table.calls).toBe(0);
  });

  it('accepts a 150 kB secret', async () => {
    const { credstash } = memoryCredstash();
    const large = 'é'.repeat(75_000);

    await credstash.putSecret('large', large);

    expect(await credstash.getSecret('large')).toBe(large);
  });
});

describe('putSecret data key length', () => {
  for (const length of [32, 63, 65, 128]) {
    it(`rejects a ${length}-byte data key`, async () => {
      const odd: KeyProvider = {
        async generateDataKey(): Promise<DataKey> {
          return { plaintext: Buffer.alloc(length, 1), ciphertextBlob: Buffer.from('wrapped') };
        },
        async decryptDataKey(): Promise<Uint8Array> {
          return Buffer.alloc(length, 1);
        },
      };
      const { credstash, table } = memoryCredstash(odd);

      const error = await credstash.putSecret('name', 'value').catch((caught: unknown) => caught);

      expect(error).toBeInstanceOf(InvalidDataKeyError);
      expect((error as InvalidDataKeyError).code).toBe('ERR_INVALID_DATA_KEY');
      expect((error as Error).message).toContain(`${length}-byte`);
      expect(table.written).toHaveLength(0);
    });
  }

  it('zeroes the data key after sealing', async () => {
    let handedOut: Buffer | undefined;
    const provider: KeyProvider = {
      async generateDataKey(): Promise<DataKey> {
        handedOut = Buffer.alloc(64, 9);
        return { plaintext: handedOut, ciphertextBlob: Buffer.from('wrapped') };
      },
      async decryptDataKey(): Promise<Uint8Array> {
        throw new Error('not used');
      },
    };
    const { credstash } = memoryCredstash(provider);

    await credstash.putSecret('name', 'value');

    expect(handedOut?.every((byte) => byte === 0)).toBe(true);
  });
});
