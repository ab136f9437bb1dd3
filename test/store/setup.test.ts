import { chmod, mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import {
  Credstash,
  InsecureKeyFileError,
  InvalidArgumentError,
  KeyProviderError,
  LocalKeyProvider,
  MemoryTableProvider,
  TableNotFoundError,
  type KeyProvider,
  type SetupOptions,
} from '../../src/index.js';
import { TEST_MASTER_KEY } from '../support/spy-providers.js';

async function keyFilePath(): Promise<string> {
  return join(await mkdtemp(join(tmpdir(), 'credstash-ts-setup-')), 'keys', 'master.key');
}

/** Creates a local key provider whose createKey records its options and reports the key as existing. */
function recordingKeyProvider(): { provider: KeyProvider; seen: unknown[] } {
  const local = new LocalKeyProvider({ masterKey: TEST_MASTER_KEY });
  const seen: unknown[] = [];
  const provider: KeyProvider = {
    generateDataKey: (request) => local.generateDataKey(request),
    decryptDataKey: (request) => local.decryptDataKey(request),
    createKey: async (options) => {
      seen.push(options);
      return 'exists';
    },
  };
  return { provider, seen };
}

describe('setup with createKey', () => {
  it('creates a local master key file and the table', async () => {
    const keyFile = await keyFilePath();
    const credstash = new Credstash({ keyProvider: new LocalKeyProvider({ keyFile, create: false }), tableProvider: new MemoryTableProvider({ exists: false }) });

    expect(await credstash.setup({ createKey: true })).toEqual({ table: 'created', key: 'created' });

    expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
    await credstash.putSecret('db', 'value');
    expect(await credstash.getSecret('db')).toBe('value');
  });

  it('keeps an existing master key file', async () => {
    const keyFile = await keyFilePath();
    const credstash = new Credstash({ keyProvider: new LocalKeyProvider({ keyFile }), tableProvider: new MemoryTableProvider({ exists: false }) });
    await credstash.setup({ createKey: true });
    const before = await readFile(keyFile, 'utf8');

    expect(await credstash.setup({ createKey: true })).toEqual({ table: 'exists', key: 'exists' });
    expect(await readFile(keyFile, 'utf8')).toBe(before);
  });

  it('creates one master key file under concurrent setups', async () => {
    const keyFile = await keyFilePath();
    const setups = Array.from({ length: 5 }, () => new LocalKeyProvider({ keyFile }).createKey());

    const results = await Promise.all(setups);

    expect(results.filter((result) => result === 'created')).toHaveLength(1);
    expect(results.filter((result) => result === 'exists')).toHaveLength(4);
  });

  it('reports a given master key as existing', async () => {
    expect(await new LocalKeyProvider({ masterKey: TEST_MASTER_KEY }).createKey()).toBe('exists');
  });

  it('rejects an insecure master key file', async () => {
    const keyFile = await keyFilePath();
    await new LocalKeyProvider({ keyFile }).createKey();
    await chmod(keyFile, 0o644);

    await expect(new LocalKeyProvider({ keyFile }).createKey()).rejects.toBeInstanceOf(InsecureKeyFileError);
  });

  it('rejects a damaged master key file', async () => {
    const keyFile = await keyFilePath();
    await new LocalKeyProvider({ keyFile }).createKey();
    await writeFile(keyFile, 'not a key\n', { mode: 0o600 });

    await expect(new LocalKeyProvider({ keyFile }).createKey()).rejects.toThrow('does not contain a base64-encoded 32-byte key');
  });

  it('rejects a provider without createKey', async () => {
    const local = new LocalKeyProvider({ masterKey: TEST_MASTER_KEY });
    const withoutCreateKey: KeyProvider = {
      generateDataKey: (request) => local.generateDataKey(request),
      decryptDataKey: (request) => local.decryptDataKey(request),
    };
    const table = new MemoryTableProvider({ exists: false });
    const credstash = new Credstash({ keyProvider: withoutCreateKey, tableProvider: table });

    const error = await credstash.setup({ createKey: true }).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(error).toMatchObject({ argument: 'createKey' });
    expect((error as Error).message).toContain('has no createKey method');
    await expect(credstash.listSecrets()).rejects.toBeInstanceOf(TableNotFoundError);
  });

  it('wraps a foreign createKey error', async () => {
    const local = new LocalKeyProvider({ masterKey: TEST_MASTER_KEY });
    const cause = new Error('vault sealed');
    const failing: KeyProvider = {
      generateDataKey: (request) => local.generateDataKey(request),
      decryptDataKey: (request) => local.decryptDataKey(request),
      createKey: async () => {
        throw cause;
      },
    };
    const credstash = new Credstash({ keyProvider: failing, tableProvider: new MemoryTableProvider({ exists: false }) });

    const error = await credstash.setup({ createKey: true }).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(KeyProviderError);
    expect((error as Error).message).toBe('the key provider failed to create its key: Error: vault sealed');
    expect((error as Error).cause).toBe(cause);
  });

  it('passes the tags to createKey', async () => {
    const { provider, seen } = recordingKeyProvider();

    await new Credstash({ keyProvider: provider, tableProvider: new MemoryTableProvider() }).setup({ createKey: true, tags: { team: 'ops' } });

    expect(seen).toEqual([{ tags: { team: 'ops' } }]);
  });

  it('passes keyId to createKey', async () => {
    const { provider, seen } = recordingKeyProvider();

    await new Credstash({ keyProvider: provider, tableProvider: new MemoryTableProvider() }).setup({ createKey: true, keyId: 'alias/other' });

    expect(seen).toEqual([{ tags: {}, keyId: 'alias/other' }]);
  });

  it('rejects keyId without createKey', async () => {
    const table = new MemoryTableProvider({ exists: false });
    const credstash = new Credstash({ keyProvider: new LocalKeyProvider({ masterKey: TEST_MASTER_KEY }), tableProvider: table });

    await expect(credstash.setup({ keyId: 'alias/other' })).rejects.toMatchObject({ argument: 'keyId', code: 'ERR_INVALID_ARGUMENT' });
    await expect(credstash.setup({ keyId: 'alias/other' })).rejects.toThrow('Add createKey: true, or leave keyId out.');
    expect(await credstash.setup()).toBe('created');
  });

  it('rejects keyId for the local key', async () => {
    const credstash = new Credstash({ keyProvider: new LocalKeyProvider({ keyFile: await keyFilePath() }), tableProvider: new MemoryTableProvider() });

    await expect(credstash.setup({ createKey: true, keyId: 'alias/other' })).rejects.toMatchObject({ argument: 'keyId' });
  });

  it('rejects a createKey that is not a boolean', async () => {
    const credstash = new Credstash({ keyProvider: new LocalKeyProvider({ masterKey: TEST_MASTER_KEY }), tableProvider: new MemoryTableProvider() });

    await expect(credstash.setup({ createKey: 'yes' } as unknown as SetupOptions)).rejects.toMatchObject({ argument: 'createKey' });
  });

  it('returns the table status without createKey', async () => {
    const credstash = new Credstash({ keyProvider: new LocalKeyProvider({ masterKey: TEST_MASTER_KEY }), tableProvider: new MemoryTableProvider({ exists: false }) });

    expect(await credstash.setup()).toBe('created');
    expect(await credstash.setup({ createKey: false })).toBe('exists');
  });
});
