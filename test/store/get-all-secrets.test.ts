import { describe, expect, it } from 'vitest';

import { Credstash, GetAllSecretsError, LocalKeyProvider, MemoryTableProvider, type PartialSecrets } from '../../src/index.js';
import { TEST_MASTER_KEY } from '../support/spy-providers.js';

async function filledCredstash(): Promise<{ credstash: Credstash; table: MemoryTableProvider }> {
  const table = new MemoryTableProvider();
  const credstash = new Credstash({ keyProvider: new LocalKeyProvider({ masterKey: TEST_MASTER_KEY }), tableProvider: table });
  await credstash.putSecret('app/db', 'db-1', { version: 1 });
  await credstash.putSecret('app/db', 'db-2', { version: 2 });
  await credstash.putSecret('app/api', 'api-1');
  await credstash.putSecret('other', 'other-1');
  await credstash.putSecret('__proto__', 'proto-1');
  return { credstash, table };
}

async function corrupt(table: MemoryTableProvider, name: string, version: string): Promise<void> {
  const item = (await table.getItem(name, version))!;
  await table.deleteItem(name, version);
  const hmac = Buffer.from((item['hmac'] as { B: Uint8Array }).B);
  hmac[0] = (hmac[0] as number) ^ 1;
  await table.putItem({ ...item, hmac: { B: hmac } } as never);
}

describe('getAllSecrets', () => {
  it('returns the latest version of each name', async () => {
    const { credstash } = await filledCredstash();

    const secrets = await credstash.getAllSecrets();

    expect(secrets).toEqual({ 'app/db': 'db-2', 'app/api': 'api-1', other: 'other-1', ['__proto__']: 'proto-1' });
    expect(Object.getPrototypeOf(secrets)).toBe(Object.prototype);
    expect(Object.keys(secrets)).toContain('__proto__');
  });

  it('follows every page', async () => {
    const { credstash } = await filledCredstash();

    expect(Object.keys(await credstash.getAllSecrets({ pageSize: 1 }))).toHaveLength(4);
  });

  it('reads one version of each name', async () => {
    const { credstash } = await filledCredstash();

    const result = await credstash.getAllSecrets({ version: 1, pattern: 'app/*' });

    expect(result).toEqual({ 'app/db': 'db-1', 'app/api': 'api-1' });
  });

  it('filters by pattern with literal characters', async () => {
    const { credstash } = await filledCredstash();
    await credstash.putSecret('appXdb', 'x');

    expect(Object.keys(await credstash.getAllSecrets({ pattern: 'app/*' })).sort()).toEqual(['app/api', 'app/db']);
    expect(Object.keys(await credstash.getAllSecrets({ pattern: 'app?db' }))).toEqual([]);
  });

  it('rejects listing every failed name', async () => {
    const { credstash, table } = await filledCredstash();
    await corrupt(table, 'app/db', '0000000000000000002');
    await corrupt(table, 'other', '0000000000000000001');

    const error = await credstash.getAllSecrets().catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(GetAllSecretsError);
    expect((error as GetAllSecretsError).code).toBe('ERR_GET_ALL_SECRETS');
    expect((error as GetAllSecretsError).failures.map((failure) => [failure.name, failure.error.code])).toEqual([
      ['app/db', 'ERR_INTEGRITY'],
      ['other', 'ERR_INTEGRITY'],
    ]);
    expect((error as Error).message).toContain('2 of 4 secrets could not be read');
    expect((error as Error).message).not.toContain('api-1');
  });

  it('returns readable secrets with failures on request', async () => {
    const { credstash, table } = await filledCredstash();
    await corrupt(table, 'other', '0000000000000000001');

    const result: PartialSecrets = await credstash.getAllSecrets({ allowPartial: true });

    expect(result.secrets).toEqual({ 'app/db': 'db-2', 'app/api': 'api-1', ['__proto__']: 'proto-1' });
    expect(result.failures.map((failure) => failure.name)).toEqual(['other']);
  });

  it('reports names missing the requested version', async () => {
    const { credstash } = await filledCredstash();

    const result = await credstash.getAllSecrets({ version: 2, allowPartial: true });

    expect(result.secrets).toEqual({ 'app/db': 'db-2' });
    expect(result.failures.map((failure) => [failure.name, failure.error.code])).toEqual([
      ['__proto__', 'ERR_SECRET_NOT_FOUND'],
      ['app/api', 'ERR_SECRET_NOT_FOUND'],
      ['other', 'ERR_SECRET_NOT_FOUND'],
    ]);
  });

  it('reports items without a name', async () => {
    const { credstash, table } = await filledCredstash();
    await table.putItem({ name: { S: 'broken' }, version: { S: '0000000000000000001' }, key: { S: '' }, contents: { S: '' }, hmac: { S: '' } });

    const result = await credstash.getAllSecrets({ allowPartial: true });

    expect(result.failures.map((failure) => [failure.name, failure.error.code])).toEqual([['broken', 'ERR_INVALID_ITEM']]);
  });

  it('returns an empty map for an empty table', async () => {
    const credstash = new Credstash({ keyProvider: new LocalKeyProvider({ masterKey: TEST_MASTER_KEY }), tableProvider: new MemoryTableProvider() });

    expect(await credstash.getAllSecrets()).toEqual({});
  });

  it('rejects a zero concurrency', async () => {
    const { credstash } = await filledCredstash();

    await expect(credstash.getAllSecrets({ concurrency: 0 })).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
  });
});
