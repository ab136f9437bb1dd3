import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';

import { describe, expect, it } from 'vitest';

import {
  EncryptionContextError,
  InsecureKeyFileError,
  InvalidArgumentError,
  KeyProviderError,
  LocalKeyProvider,
  MasterKeyNotFoundError,
  type LocalKeyCreateRequest,
} from '../../src/index.js';
import { TEST_MASTER_KEY } from '../support/spy-providers.js';

function temporaryFolder(): string {
  return mkdtempSync(join(tmpdir(), 'credstash-ts-keys-'));
}

describe('LocalKeyProvider', () => {
  it('creates the key file with mode 0600', async () => {
    const keyFile = join(temporaryFolder(), 'nested', 'master.key');
    const provider = new LocalKeyProvider({ keyFile });

    const dataKey = await provider.generateDataKey({ numberOfBytes: 64, context: {} });

    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(Buffer.from(readFileSync(keyFile, 'utf8').trim(), 'base64')).toHaveLength(32);
    expect(dataKey.plaintext).toHaveLength(64);
  });

  it('unwraps with the same key file', async () => {
    const keyFile = join(temporaryFolder(), 'master.key');
    const dataKey = await new LocalKeyProvider({ keyFile }).generateDataKey({ numberOfBytes: 64, context: { env: 'prod' } });

    const unwrapped = await new LocalKeyProvider({ keyFile }).decryptDataKey({ ciphertextBlob: dataKey.ciphertextBlob, context: { env: 'prod' } });

    expect(Buffer.from(unwrapped).equals(Buffer.from(dataKey.plaintext))).toBe(true);
  });

  it('rejects a key file others can read', async () => {
    const keyFile = join(temporaryFolder(), 'master.key');
    writeFileSync(keyFile, `${TEST_MASTER_KEY.toString('base64')}\n`, { mode: 0o644 });
    chmodSync(keyFile, 0o644);

    const error = await new LocalKeyProvider({ keyFile }).generateDataKey({ numberOfBytes: 64, context: {} }).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(InsecureKeyFileError);
    expect((error as InsecureKeyFileError).code).toBe('ERR_INSECURE_KEY_FILE');
    expect((error as Error).message).toContain('chmod 600');
    expect((error as Error).message).toContain('0644');
  });

  it('rejects a missing file without create', async () => {
    const keyFile = join(temporaryFolder(), 'master.key');

    const error = await new LocalKeyProvider({ keyFile, create: false }).generateDataKey({ numberOfBytes: 64, context: {} }).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(MasterKeyNotFoundError);
    expect((error as MasterKeyNotFoundError).code).toBe('ERR_MASTER_KEY_NOT_FOUND');
    expect((error as Error).message).toContain(`${keyFile} does not exist`);
    expect(existsSync(keyFile)).toBe(false);
  });

  it('never creates the key file on a read', async () => {
    const folder = temporaryFolder();
    const keyFile = join(folder, 'keys', 'master.key');
    const blob = (await new LocalKeyProvider({ masterKey: TEST_MASTER_KEY }).generateDataKey({ numberOfBytes: 64, context: {} })).ciphertextBlob;

    const error = await new LocalKeyProvider({ keyFile }).decryptDataKey({ ciphertextBlob: blob, context: {} }).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(MasterKeyNotFoundError);
    expect((error as MasterKeyNotFoundError).path).toBe(keyFile);
    expect((error as Error).message).toContain(`the master key file ${keyFile} is missing`);
    expect((error as Error).message).toContain('Restore it from a backup');
    expect(existsSync(join(folder, 'keys'))).toBe(false);
  });

  it('finds a key file restored after a failed read', async () => {
    const keyFile = join(temporaryFolder(), 'master.key');
    const provider = new LocalKeyProvider({ keyFile });
    const dataKey = await provider.generateDataKey({ numberOfBytes: 64, context: {} });
    const saved = readFileSync(keyFile);
    rmSync(keyFile);
    const reader = new LocalKeyProvider({ keyFile });
    await expect(reader.decryptDataKey({ ciphertextBlob: dataKey.ciphertextBlob, context: {} })).rejects.toBeInstanceOf(MasterKeyNotFoundError);

    writeFileSync(keyFile, saved, { mode: 0o600 });

    expect(Buffer.from(await reader.decryptDataKey({ ciphertextBlob: dataKey.ciphertextBlob, context: {} })).equals(Buffer.from(dataKey.plaintext))).toBe(true);
  });

  it('runs beforeCreate before creating the file', async () => {
    const keyFile = join(temporaryFolder(), 'master.key');
    const requests: LocalKeyCreateRequest[] = [];
    const rejecting = new LocalKeyProvider({
      keyFile,
      beforeCreate: (request) => {
        requests.push(request);
        throw new KeyProviderError('rejected by the test');
      },
    });

    await expect(rejecting.generateDataKey({ numberOfBytes: 64, context: {} })).rejects.toThrow('rejected by the test');
    await expect(rejecting.createKey()).rejects.toThrow('rejected by the test');

    expect(requests).toEqual([
      { keyFile, operation: 'generateDataKey' },
      { keyFile, operation: 'createKey' },
    ]);
    expect(existsSync(keyFile)).toBe(false);
  });

  it('skips beforeCreate when the file exists', async () => {
    const keyFile = join(temporaryFolder(), 'master.key');
    await new LocalKeyProvider({ keyFile }).createKey();
    let calls = 0;
    const provider = new LocalKeyProvider({ keyFile, beforeCreate: () => void (calls += 1) });

    expect(await provider.createKey()).toBe('exists');
    await provider.generateDataKey({ numberOfBytes: 64, context: {} });

    expect(calls).toBe(0);
  });

  it('rejects a beforeCreate that is not a function', () => {
    expect(() => new LocalKeyProvider({ keyFile: 'master.key', beforeCreate: 'yes' as never })).toThrow(InvalidArgumentError);
  });

  it('rejects a damaged key file', async () => {
    const keyFile = join(temporaryFolder(), 'master.key');
    writeFileSync(keyFile, 'not a key\n', { mode: 0o600 });

    await expect(new LocalKeyProvider({ keyFile }).generateDataKey({ numberOfBytes: 64, context: {} })).rejects.toThrow(KeyProviderError);
  });

  it('tells missing and wrong contexts apart', async () => {
    const provider = new LocalKeyProvider({ masterKey: TEST_MASTER_KEY });
    const withContext = await provider.generateDataKey({ numberOfBytes: 64, context: { env: 'prod' } });
    const without = await provider.generateDataKey({ numberOfBytes: 64, context: {} });

    await expect(provider.decryptDataKey({ ciphertextBlob: withContext.ciphertextBlob, context: {} })).rejects.toMatchObject({ reason: 'missing' });
    await expect(provider.decryptDataKey({ ciphertextBlob: withContext.ciphertextBlob, context: { env: 'dev' } })).rejects.toMatchObject({ reason: 'mismatch' });
    await expect(provider.decryptDataKey({ ciphertextBlob: without.ciphertextBlob, context: { env: 'prod' } })).rejects.toBeInstanceOf(EncryptionContextError);
  });

  it('names a different master key', async () => {
    const dataKey = await new LocalKeyProvider({ masterKey: TEST_MASTER_KEY }).generateDataKey({ numberOfBytes: 64, context: {} });

    await expect(new LocalKeyProvider({ masterKey: Buffer.alloc(32, 1) }).decryptDataKey({ ciphertextBlob: dataKey.ciphertextBlob, context: {} })).rejects.toThrow(
      /different local master key/,
    );
  });

  it('rejects a KMS blob', async () => {
    await expect(new LocalKeyProvider({ masterKey: TEST_MASTER_KEY }).decryptDataKey({ ciphertextBlob: Buffer.alloc(180, 5), context: {} })).rejects.toThrow(
      /not made by the local key provider/,
    );
  });

  it('rejects a short master key', () => {
    expect(() => new LocalKeyProvider({ masterKey: Buffer.alloc(16) })).toThrow(InvalidArgumentError);
  });

  it('hides the master key from inspect', () => {
    const provider = new LocalKeyProvider({ masterKey: TEST_MASTER_KEY });

    expect(inspect(provider, { showHidden: true, depth: 5 })).not.toContain(TEST_MASTER_KEY.toString('hex').slice(0, 8));
    expect(JSON.stringify(provider)).toBe('{}');
  });

  it('creates one key when processes race', async () => {
    const keyFile = join(temporaryFolder(), 'master.key');
    const script = `
      import { LocalKeyProvider } from ${JSON.stringify(new URL('../../src/index.ts', import.meta.url).pathname)};
      const provider = new LocalKeyProvider({ keyFile: ${JSON.stringify(keyFile)} });
      const key = await provider.generateDataKey({ numberOfBytes: 64, context: {} });
      process.stdout.write(Buffer.from(key.ciphertextBlob).toString('base64'));
    `;
    const blobs = await Promise.all(Array.from({ length: 4 }, () => runTsx(script)));

    const provider = new LocalKeyProvider({ keyFile });
    for (const blob of blobs) {
      await expect(provider.decryptDataKey({ ciphertextBlob: Buffer.from(blob, 'base64'), context: {} })).resolves.toHaveLength(64);
    }
  });
});

function runTsx(script: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let errors = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    child.once('exit', (code) => (code === 0 ? resolve(output) : reject(new Error(`child exited ${String(code)}: ${errors}`))));
  });
}
