import { describe, expect, it } from 'vitest';

import { Credstash, LocalKeyProvider, MemoryTableProvider, SecretNotFoundError, TableNotFoundError } from '../../src/index.js';
import { TEST_MASTER_KEY } from '../support/spy-providers.js';

function newCredstash(): Credstash {
  return new Credstash({ keyProvider: new LocalKeyProvider({ masterKey: TEST_MASTER_KEY }), tableProvider: new MemoryTableProvider() });
}

describe('listSecrets', () => {
  it('lists names, versions and comments sorted', async () => {
    const credstash = newCredstash();
    await credstash.putSecret('b', 'x', { version: 2 });
    await credstash.putSecret('a', 'x', { comment: 'first' });
    await credstash.putSecret('b', 'x', { version: 10 });

    expect(await credstash.listSecrets()).toEqual([
      { name: 'a', version: '0000000000000000001', comment: 'first' },
      { name: 'b', version: '0000000000000000002', comment: undefined },
      { name: 'b', version: '0000000000000000010', comment: undefined },
    ]);
  });

  it('walks pages of the requested size', async () => {
    const credstash = newCredstash();
    for (let index = 0; index < 5; index += 1) {
      await credstash.putSecret(`name-${index}`, 'x');
    }

    const sizes: number[] = [];
    for await (const page of credstash.paginateSecrets({ pageSize: 2 })) {
      sizes.push(page.length);
    }

    expect(sizes).toEqual([2, 2, 1]);
  });
});

describe('deleteSecret and deleteSecrets', () => {
  it('deletes one version', async () => {
    const credstash = newCredstash();
    await credstash.putSecret('name', 'one', { version: 1 });
    await credstash.putSecret('name', 'two', { version: 2 });

    await credstash.deleteSecret('name', 2);

    expect(await credstash.getSecret('name')).toBe('one');
    await expect(credstash.deleteSecret('name', 2)).rejects.toThrow(SecretNotFoundError);
  });

  it('deletes every version', async () => {
    const credstash = newCredstash();
    for (let version = 1; version <= 12; version += 1) {
      await credstash.putSecret('name', `v${version}`, { version });
    }
    await credstash.putSecret('keep', 'x');
    const progress: string[] = [];

    const deleted = await credstash.deleteSecrets('name', { onDeleted: (_name, version) => progress.push(version) });

    expect(deleted).toHaveLength(12);
    expect(progress).toEqual(deleted);
    expect((await credstash.listSecrets()).map((summary) => summary.name)).toEqual(['keep']);
  });

  it('returns nothing for an unknown name', async () => {
    expect(await newCredstash().deleteSecrets('nothing')).toEqual([]);
  });
});

describe('setup', () => {
  it('creates a missing table once', async () => {
    const credstash = new Credstash({
      keyProvider: new LocalKeyProvider({ masterKey: TEST_MASTER_KEY }),
      tableProvider: new MemoryTableProvider({ exists: false }),
    });
    await expect(credstash.listSecrets()).rejects.toThrow(TableNotFoundError);

    expect(await credstash.setup()).toBe('created');
    expect(await credstash.setup()).toBe('exists');
    expect(await credstash.listSecrets()).toEqual([]);
  });

  it('rejects invalid provisioned capacity', async () => {
    await expect(newCredstash().setup({ billing: { mode: 'PROVISIONED', readCapacity: 0, writeCapacity: 1 } })).rejects.toMatchObject({
      code: 'ERR_INVALID_ARGUMENT',
    });
  });
});
