import { inspect } from 'node:util';

import { afterEach, describe, expect, expectTypeOf, it } from 'vitest';

import {
  Credstash,
  EnvironmentConflictError,
  EnvironmentNameError,
  GetAllSecretsError,
  InvalidArgumentError,
  LocalKeyProvider,
  MemoryTableProvider,
  SecretNotFoundError,
  loadEnvironment,
  type EnvironmentVariableName,
  type KeyProvider,
  type TableProvider,
} from '../../src/index.js';
import { CountingTable } from '../support/counting-providers.js';
import { KEY_PROVIDERS, TABLE_PROVIDERS } from '../support/provider-matrix.js';
import { motoEndpoint } from '../support/moto.js';
import { TEST_MASTER_KEY } from '../support/spy-providers.js';

const withMoto = motoEndpoint() !== null;
if (!withMoto) {
  console.warn('*** moto is not available: loadEnvironment runs without KMS and DynamoDB ***');
}

// The local key with the memory and file tables, and KMS with DynamoDB on moto.
const PROVIDER_PAIRS = [
  { title: 'local key, memory table', key: KEY_PROVIDERS[0]!, table: TABLE_PROVIDERS[0]! },
  { title: 'local key, file table', key: KEY_PROVIDERS[0]!, table: TABLE_PROVIDERS[1]! },
  { title: 'KMS and DynamoDB on moto', key: KEY_PROVIDERS[1]!, table: TABLE_PROVIDERS[2]! },
];

async function storeWith(keyProvider: KeyProvider, tableProvider: TableProvider): Promise<Credstash> {
  const credstash = new Credstash({ keyProvider, tableProvider });
  await credstash.putSecret('db_password', 'pw-1', { version: 1 });
  await credstash.putSecret('db_password', 'pw-2', { version: 2 });
  await credstash.putSecret('api_token', 'token-1');
  await credstash.putSecret('app/db-url', 'postgres://db');
  await credstash.putSecret('prod_key', 'prod-1', { context: { env: 'prod' } });
  return credstash;
}

function memoryStore(): Promise<Credstash> {
  return storeWith(new LocalKeyProvider({ masterKey: TEST_MASTER_KEY }), new MemoryTableProvider());
}

// Names of variables that tests assign to process.env, removed after each test.
const ASSIGNED = ['DB_PASSWORD', 'API_TOKEN', 'APP_DB_URL', 'CREDSTASH_TS_TEST_PRESET'];

afterEach(() => {
  for (const variable of ASSIGNED) {
    delete process.env[variable];
  }
});

describe.each(PROVIDER_PAIRS)('loadEnvironment with $title', ({ key, table }) => {
  const needsMoto = key.needsMoto || table.needsMoto;

  it.skipIf(needsMoto && !withMoto)('loads listed names', async () => {
    const credstash = await storeWith(await key.create(), await table.create());

    const variables = await loadEnvironment(credstash, { names: ['db_password', 'api_token'] });

    expect(variables).toEqual({ DB_PASSWORD: 'pw-2', API_TOKEN: 'token-1' });
  });

  it.skipIf(needsMoto && !withMoto)('loads a pattern with replaced names', async () => {
    const credstash = await storeWith(await key.create(), await table.create());

    const variables = await loadEnvironment(credstash, { pattern: 'app/*', invalidNames: 'replace' });

    expect(variables).toEqual({ APP_DB_URL: 'postgres://db' });
  });

  it.skipIf(needsMoto && !withMoto)('reads the version and context given', async () => {
    const credstash = await storeWith(await key.create(), await table.create());

    expect(await loadEnvironment(credstash, { names: ['db_password'], version: 1 })).toEqual({ DB_PASSWORD: 'pw-1' });
    expect(await loadEnvironment(credstash, { names: ['prod_key'], context: { env: 'prod' } })).toEqual({ PROD_KEY: 'prod-1' });
    await expect(loadEnvironment(credstash, { names: ['prod_key'], context: { env: 'dev' } })).rejects.toThrow(GetAllSecretsError);
  });

  it.skipIf(needsMoto && !withMoto)('assigns to process.env only when asked', async () => {
    const credstash = await storeWith(await key.create(), await table.create());
    const before = { ...process.env };

    await loadEnvironment(credstash, { names: ['db_password'] });
    expect(process.env).toEqual(before);

    await loadEnvironment(credstash, { names: ['db_password', 'api_token'], assignTo: process.env });
    expect(process.env['DB_PASSWORD']).toBe('pw-2');
    expect(process.env['API_TOKEN']).toBe('token-1');
    expect({ ...process.env, DB_PASSWORD: undefined, API_TOKEN: undefined }).toEqual({ ...before, DB_PASSWORD: undefined, API_TOKEN: undefined });
  });
});

describe('loadEnvironment secrets', () => {
  it('loads every secret without names or pattern', async () => {
    const credstash = await memoryStore();
    await credstash.deleteSecrets('prod_key');

    expect(await loadEnvironment(credstash, { invalidNames: 'replace' })).toEqual({ DB_PASSWORD: 'pw-2', API_TOKEN: 'token-1', APP_DB_URL: 'postgres://db' });
  });

  it('rejects the whole load when one name is missing', async () => {
    const credstash = await memoryStore();
    const target: Record<string, string | undefined> = {};

    const error = await loadEnvironment(credstash, { names: ['db_password', 'missing', 'gone'], assignTo: target }).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(GetAllSecretsError);
    expect((error as GetAllSecretsError).failures.map((failure) => failure.name)).toEqual(['gone', 'missing']);
    expect((error as GetAllSecretsError).failures[0]?.error).toBeInstanceOf(SecretNotFoundError);
    expect((error as Error).message).toContain('2 of 3 secrets could not be read');
    expect(target).toEqual({});
  });

  it('rejects a pattern load when one secret fails', async () => {
    const credstash = await memoryStore();
    const target: Record<string, string | undefined> = {};

    const error = await loadEnvironment(credstash, { pattern: '*_*', assignTo: target }).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(GetAllSecretsError);
    expect((error as GetAllSecretsError).failures.map((failure) => failure.name)).toEqual(['prod_key']);
    expect(target).toEqual({});
  });

  it('returns failures with allowPartial', async () => {
    const credstash = await memoryStore();
    const target: Record<string, string | undefined> = {};

    const { variables, failures } = await loadEnvironment(credstash, { names: ['db_password', 'missing'], allowPartial: true, assignTo: target });

    expect(variables).toEqual({ DB_PASSWORD: 'pw-2' });
    expect(failures.map((failure) => failure.name)).toEqual(['missing']);
    expect(target).toEqual({ DB_PASSWORD: 'pw-2' });
  });

  it('returns pattern failures with allowPartial', async () => {
    const credstash = await memoryStore();

    const { variables, failures } = await loadEnvironment(credstash, { pattern: '*_*', allowPartial: true });

    expect(variables).toEqual({ DB_PASSWORD: 'pw-2', API_TOKEN: 'token-1' });
    expect(failures.map((failure) => [failure.name, failure.error.code])).toEqual([['prod_key', 'ERR_ENCRYPTION_CONTEXT']]);
  });

  it('reads listed names through the read cache', async () => {
    const table = new CountingTable(new MemoryTableProvider());
    const credstash = new Credstash({ keyProvider: new LocalKeyProvider({ masterKey: TEST_MASTER_KEY }), tableProvider: table, cache: { maxAge: 60_000 } });
    await credstash.putSecret('db_password', 'pw');
    const readsBefore = table.reads;

    await loadEnvironment(credstash, { names: ['db_password'] });
    await loadEnvironment(credstash, { names: ['db_password'] });

    expect(table.reads - readsBefore).toBe(1);
  });

  it('binds names with bindName', async () => {
    const credstash = new Credstash({ keyProvider: new LocalKeyProvider({ masterKey: TEST_MASTER_KEY }), tableProvider: new MemoryTableProvider(), bindName: true });
    await credstash.putSecret('db_password', 'bound');

    expect(await loadEnvironment(credstash, { names: ['db_password'] })).toEqual({ DB_PASSWORD: 'bound' });
    expect(await loadEnvironment(credstash, { pattern: 'db_*' })).toEqual({ DB_PASSWORD: 'bound' });
  });
});

describe('loadEnvironment names', () => {
  it('rejects an invalid name before reading', async () => {
    const table = new CountingTable(new MemoryTableProvider());
    const credstash = new Credstash({ keyProvider: new LocalKeyProvider({ masterKey: TEST_MASTER_KEY }), tableProvider: table });

    const error = await loadEnvironment(credstash, { names: ['db_password', 'app/db-url'] }).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(EnvironmentNameError);
    expect((error as EnvironmentNameError).invalidNames).toEqual(['app/db-url']);
    expect((error as Error).message).toContain('invalidNames: "replace"');
    expect(table.reads).toBe(0);
  });

  it('rejects names that give one variable', async () => {
    const credstash = await memoryStore();
    await credstash.putSecret('DB_PASSWORD', 'upper');
    await credstash.putSecret('app.key', 'dot');
    await credstash.putSecret('app-key', 'dash');

    const listed = await loadEnvironment(credstash, { names: ['db_password', 'DB_PASSWORD'] }).catch((caught: unknown) => caught);
    const matched = await loadEnvironment(credstash, { pattern: 'app*', invalidNames: 'replace' }).catch((caught: unknown) => caught);

    expect(listed).toBeInstanceOf(EnvironmentNameError);
    expect((listed as EnvironmentNameError).collisions).toEqual([{ variable: 'DB_PASSWORD', secretNames: ['db_password', 'DB_PASSWORD'] }]);
    expect(matched).toBeInstanceOf(EnvironmentNameError);
    expect((matched as EnvironmentNameError).collisions).toEqual([{ variable: 'APP_KEY', secretNames: ['app-key', 'app.key'] }]);
  });

  it('reads a name listed twice once', async () => {
    const table = new CountingTable(new MemoryTableProvider());
    const credstash = new Credstash({ keyProvider: new LocalKeyProvider({ masterKey: TEST_MASTER_KEY }), tableProvider: table });
    await credstash.putSecret('db_password', 'pw');
    const readsBefore = table.reads;

    expect(await loadEnvironment(credstash, { names: ['db_password', 'db_password'] })).toEqual({ DB_PASSWORD: 'pw' });
    expect(table.reads - readsBefore).toBe(1);
  });

  it('maps names like the exec rule', async () => {
    const credstash = new Credstash({ keyProvider: new LocalKeyProvider({ masterKey: TEST_MASTER_KEY }), tableProvider: new MemoryTableProvider() });
    const names = ['db.password', '2fa-key', 'a b', 'ünï', '__proto__'];
    for (const name of names) {
      await credstash.putSecret(name, `value of ${name}`);
    }

    const variables = await loadEnvironment(credstash, { names, invalidNames: 'replace' });

    expect(variables).toEqual({ DB_PASSWORD: 'value of db.password', _2FA_KEY: 'value of 2fa-key', A_B: 'value of a b', _N_: 'value of ünï', __PROTO__: 'value of __proto__' });
  });

  it('rejects a NUL in a value', async () => {
    const credstash = await memoryStore();
    await credstash.putSecret('nul_value', 'a\0b');
    const target: Record<string, string | undefined> = {};

    await expect(loadEnvironment(credstash, { names: ['nul_value', 'db_password'], assignTo: target })).rejects.toThrow(/NUL character/);
    expect(target).toEqual({});
  });
});

describe('loadEnvironment existing variables', () => {
  it('rejects a set variable by default', async () => {
    const credstash = await memoryStore();
    const target: Record<string, string | undefined> = { API_TOKEN: 'already-set', OTHER: 'x' };

    const error = await loadEnvironment(credstash, { names: ['db_password', 'api_token'], assignTo: target }).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(EnvironmentConflictError);
    expect((error as EnvironmentConflictError).code).toBe('ERR_ENVIRONMENT_CONFLICT');
    expect((error as EnvironmentConflictError).variables).toEqual(['API_TOKEN']);
    expect((error as Error).message).toContain('API_TOKEN');
    expect(target).toEqual({ API_TOKEN: 'already-set', OTHER: 'x' });
  });

  it('counts an empty value as set', async () => {
    const credstash = await memoryStore();
    process.env['CREDSTASH_TS_TEST_PRESET'] = '';
    await credstash.putSecret('credstash_ts_test_preset', 'secret');

    await expect(loadEnvironment(credstash, { names: ['credstash_ts_test_preset'], assignTo: process.env })).rejects.toThrow(EnvironmentConflictError);
    expect(process.env['CREDSTASH_TS_TEST_PRESET']).toBe('');
  });

  it('keeps set variables with keep', async () => {
    const credstash = await memoryStore();
    const target: Record<string, string | undefined> = { API_TOKEN: 'mine' };

    const variables = await loadEnvironment(credstash, { names: ['db_password', 'api_token'], assignTo: target, existing: 'keep' });

    expect(target).toEqual({ API_TOKEN: 'mine', DB_PASSWORD: 'pw-2' });
    expect(variables).toEqual({ API_TOKEN: 'token-1', DB_PASSWORD: 'pw-2' });
  });

  it('replaces set variables with overwrite', async () => {
    const credstash = await memoryStore();
    process.env['API_TOKEN'] = 'stale';

    await loadEnvironment(credstash, { names: ['api_token'], assignTo: process.env, existing: 'overwrite' });

    expect(process.env['API_TOKEN']).toBe('token-1');
  });

  it('names conflicts without their values', async () => {
    const credstash = await memoryStore();
    const target = { DB_PASSWORD: 'old-value-canary' };

    const error = await loadEnvironment(credstash, { names: ['db_password'], assignTo: target }).catch((caught: unknown) => caught);

    expect(inspect(error, { depth: 5 })).not.toContain('old-value-canary');
    expect(inspect(error, { depth: 5 })).not.toContain('pw-2');
    expect(JSON.stringify(error)).not.toContain('pw-2');
  });
});

describe('loadEnvironment options', () => {
  it.each([
    ['names and pattern', { names: ['a'], pattern: 'a*' }, 'pattern'],
    ['names not an array', { names: 'db_password' }, 'names'],
    ['an empty name', { names: [''] }, 'name'],
    ['an unknown existing', { existing: 'replace' }, 'existing'],
    ['a null assignTo', { assignTo: null }, 'assignTo'],
    ['a zero concurrency', { concurrency: 0 }, 'concurrency'],
    ['a string allowPartial', { allowPartial: 'yes' }, 'allowPartial'],
    ['an unknown invalidNames', { names: ['a'], invalidNames: 'drop' }, 'invalidNames'],
  ])('rejects %s', async (_title, options, argument) => {
    const table = new CountingTable(new MemoryTableProvider());
    const credstash = new Credstash({ keyProvider: new LocalKeyProvider({ masterKey: TEST_MASTER_KEY }), tableProvider: table });

    const error = await loadEnvironment(credstash, options as never).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as InvalidArgumentError).argument).toBe(argument);
    expect(table.reads).toBe(0);
  });

  it('rejects null options', async () => {
    await expect(loadEnvironment(await memoryStore(), null as never)).rejects.toThrow(InvalidArgumentError);
  });
});

describe('loadEnvironment types', () => {
  it('maps listed names to properties', async () => {
    const credstash = await memoryStore();

    const variables = await loadEnvironment(credstash, { names: ['db_password', 'api_token'] });
    const replaced = await loadEnvironment(credstash, { names: ['app/db-url'], invalidNames: 'replace' });
    const partial = await loadEnvironment(credstash, { names: ['db_password'], allowPartial: true });
    const matched = await loadEnvironment(credstash, { pattern: 'db_*' });

    expectTypeOf(variables).toEqualTypeOf<{ DB_PASSWORD: string; API_TOKEN: string }>();
    expectTypeOf(replaced).toEqualTypeOf<{ APP_DB_URL: string }>();
    expectTypeOf(partial.variables).toEqualTypeOf<{ DB_PASSWORD?: string }>();
    expectTypeOf(matched).toEqualTypeOf<Record<string, string>>();
    expect(variables.DB_PASSWORD).toBe('pw-2');
  });

  it('computes variable names', () => {
    expectTypeOf<EnvironmentVariableName<'db_password'>>().toEqualTypeOf<'DB_PASSWORD'>();
    expectTypeOf<EnvironmentVariableName<'db.password'>>().toEqualTypeOf<never>();
    expectTypeOf<EnvironmentVariableName<'db.password', 'replace'>>().toEqualTypeOf<'DB_PASSWORD'>();
    expectTypeOf<EnvironmentVariableName<'2fa-key', 'replace'>>().toEqualTypeOf<'_2FA_KEY'>();
    expectTypeOf<EnvironmentVariableName<'2fa'>>().toEqualTypeOf<never>();
    expectTypeOf<EnvironmentVariableName<'ünï', 'replace'>>().toEqualTypeOf<string>();
    expectTypeOf<EnvironmentVariableName<string>>().toEqualTypeOf<string>();
  });
});
