import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { Credstash, InsecureKeyFileError, MasterKeyNotFoundError, offlineProviders, TableNotFoundError } from '../../src/index.js';

function temporaryFolder(): string {
  return mkdtempSync(join(tmpdir(), 'credstash-ts-offline-'));
}

/** Creates an offline store with one secret, then deletes its master key file. */
async function storeWithLostKey(): Promise<{ directory: string; keyFile: string; tableFile: string }> {
  const directory = temporaryFolder();
  const writer = new Credstash(offlineProviders({ directory }));
  await writer.setup();
  await writer.putSecret('kept', 'value');
  const keyFile = join(directory, 'master.key');
  rmSync(keyFile);
  return { directory, keyFile, tableFile: join(directory, 'credential-store.jsonl') };
}

async function caught(call: () => Promise<unknown>): Promise<unknown> {
  return call().then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe('offlineProviders master key', () => {
  it('is created by setup with createKey', async () => {
    const directory = join(temporaryFolder(), 'store');
    const credstash = new Credstash(offlineProviders({ directory }));

    expect(await credstash.setup({ createKey: true })).toEqual({ table: 'created', key: 'created' });
    await credstash.putSecret('db', 'value');

    expect(existsSync(join(directory, 'master.key'))).toBe(true);
    expect(await credstash.getSecret('db')).toBe('value');
  });

  it('is created by the first write to an empty table', async () => {
    const directory = temporaryFolder();
    const credstash = new Credstash(offlineProviders({ directory }));
    await credstash.setup();

    await credstash.putSecret('db', 'value');

    expect(existsSync(join(directory, 'master.key'))).toBe(true);
    expect(await credstash.getSecret('db')).toBe('value');
  });

  it('is not created by a read', async () => {
    const { directory, keyFile } = await storeWithLostKey();
    const credstash = new Credstash(offlineProviders({ directory }));

    const single = await caught(() => credstash.getSecret('kept'));
    const all = await caught(() => credstash.getAllSecrets());

    expect(single).toBeInstanceOf(MasterKeyNotFoundError);
    expect((single as Error).message).toContain(`the master key file ${keyFile} is missing`);
    expect((single as MasterKeyNotFoundError).tablePath).toBeUndefined();
    expect(all).toBeInstanceOf(MasterKeyNotFoundError);
    expect(existsSync(keyFile)).toBe(false);
  });

  it('fails a partial getAllSecrets as a whole', async () => {
    const { directory, keyFile } = await storeWithLostKey();

    const error = await caught(() => new Credstash(offlineProviders({ directory })).getAllSecrets({ allowPartial: true }));

    expect(error).toBeInstanceOf(MasterKeyNotFoundError);
    expect(existsSync(keyFile)).toBe(false);
  });

  it('fails a partial read when others may read it', async () => {
    const directory = temporaryFolder();
    const writer = new Credstash(offlineProviders({ directory }));
    await writer.setup({ createKey: true });
    await writer.putSecret('kept', 'value');
    chmodSync(join(directory, 'master.key'), 0o644);

    const error = await caught(() => new Credstash(offlineProviders({ directory })).getAllSecrets({ allowPartial: true }));

    expect(error).toBeInstanceOf(InsecureKeyFileError);
  });

  it('is not created next to stored secrets', async () => {
    const { directory, keyFile, tableFile } = await storeWithLostKey();
    const tableBefore = readFileSync(tableFile);
    const credstash = new Credstash(offlineProviders({ directory }));

    const put = await caught(() => credstash.putSecret('other', 'value'));
    const setup = await caught(() => credstash.setup({ createKey: true }));

    for (const error of [put, setup]) {
      expect(error).toBeInstanceOf(MasterKeyNotFoundError);
      expect((error as MasterKeyNotFoundError).path).toBe(keyFile);
      expect((error as MasterKeyNotFoundError).tablePath).toBe(tableFile);
      expect((error as Error).message).toContain(`Restore ${keyFile} from a backup`);
      expect((error as Error).message).toContain(`move ${tableFile} aside`);
    }
    expect(existsSync(keyFile)).toBe(false);
    expect(readFileSync(tableFile).equals(tableBefore)).toBe(true);
  });

  it('reads again once the key file is restored', async () => {
    const directory = temporaryFolder();
    const writer = new Credstash(offlineProviders({ directory }));
    await writer.setup();
    await writer.putSecret('kept', 'value');
    const keyFile = join(directory, 'master.key');
    const backup = readFileSync(keyFile);
    rmSync(keyFile);
    const reader = new Credstash(offlineProviders({ directory }));
    await expect(reader.getSecret('kept')).rejects.toBeInstanceOf(MasterKeyNotFoundError);

    writeFileSync(keyFile, backup, { mode: 0o600 });

    expect(await reader.getSecret('kept')).toBe('value');
  });

  it('writes nothing before setup', async () => {
    const directory = join(temporaryFolder(), 'never-set-up');

    const error = await caught(() => new Credstash(offlineProviders({ directory })).putSecret('db', 'value'));

    expect(error).toBeInstanceOf(TableNotFoundError);
    expect((error as Error).message).toBe(
      `table "${join(directory, 'credential-store.jsonl')}" not found (no such file). Run setup to create it, or check the table name and folder.`,
    );
    expect(existsSync(directory)).toBe(false);
  });
});
