import { randomBytes } from 'node:crypto';

import { DynamoDBClient, GetItemCommand, PutItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  Credstash,
  EncryptionContextError,
  InvalidArgumentError,
  LocalKeyProvider,
  MemoryTableProvider,
  NAME_CONTEXT_KEY,
  type CredstashItem,
  type ItemAttributes,
} from '../../src/index.js';
import { credstashAt } from '../support/aws-clients.js';
import { recordFigure } from '../support/figures.js';
import { createMotoCredstash, motoEndpoint, TEST_CREDENTIALS } from '../support/moto.js';
import { pythonCredstashAvailable, runPython, runPythonCredstash } from '../support/python-credstash.js';

// The three attributes that together seal one secret; an item with another item's three
// attributes passes every check of the credstash format.
const SEALED = ['key', 'contents', 'hmac'] as const;

function swapSealed(left: ItemAttributes, right: ItemAttributes): [ItemAttributes, ItemAttributes] {
  const newLeft: Record<string, unknown> = { ...left };
  const newRight: Record<string, unknown> = { ...right };
  for (const attribute of SEALED) {
    newLeft[attribute] = right[attribute];
    newRight[attribute] = left[attribute];
  }
  return [newLeft, newRight];
}

/** Stores two secrets in memory, swaps their sealed attributes and returns a store over the result. */
async function swappedLocalStore(bindName: boolean): Promise<Credstash> {
  const keyProvider = new LocalKeyProvider({ masterKey: randomBytes(32) });
  const original = new MemoryTableProvider();
  const writer = new Credstash({ keyProvider, tableProvider: original, bindName });
  await writer.putSecret('app/public-banner', 'hello visitors');
  await writer.putSecret('app/admin-password', 'correct horse battery staple');

  const banner = (await original.getItem('app/public-banner', '0000000000000000001')) as ItemAttributes;
  const password = (await original.getItem('app/admin-password', '0000000000000000001')) as ItemAttributes;
  const swapped = new MemoryTableProvider();
  for (const item of swapSealed(banner, password)) {
    await swapped.putItem(item as unknown as CredstashItem);
  }
  return new Credstash({ keyProvider, tableProvider: swapped, bindName });
}

describe('swapping sealed attributes between items', () => {
  it('goes unnoticed without bindName', async () => {
    const credstash = await swappedLocalStore(false);

    // The known weakness: the public name now returns the admin password.
    expect(await credstash.getSecret('app/public-banner')).toBe('correct horse battery staple');
  });

  it('is rejected with bindName', async () => {
    const credstash = await swappedLocalStore(true);

    const error = await credstash.getSecret('app/public-banner').catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(EncryptionContextError);
    expect((error as Error).message).not.toContain('correct horse');
    recordFigure('tampering', 'swapped items read with bindName (local keys): rejected', 1);
  });

  it('fails getAllSecrets for both names with bindName', async () => {
    const credstash = await swappedLocalStore(true);

    const { secrets, failures } = await credstash.getAllSecrets({ allowPartial: true });

    expect(secrets).toEqual({});
    expect(failures.map((failure) => failure.name)).toEqual(['app/admin-password', 'app/public-banner']);
    expect(failures.every((failure) => failure.error instanceof EncryptionContextError)).toBe(true);
  });
});

describe('bindName', () => {
  it('round-trips with a caller context', async () => {
    const credstash = new Credstash({ keyProvider: new LocalKeyProvider({ masterKey: randomBytes(32) }), tableProvider: new MemoryTableProvider(), bindName: true });

    await credstash.putSecret('db/password', 's3cret', { context: { env: 'prod' } });

    expect(await credstash.getSecret('db/password', { context: { env: 'prod' } })).toBe('s3cret');
    expect(await credstash.getAllSecrets({ context: { env: 'prod' } })).toEqual({ 'db/password': 's3cret' });
    await expect(credstash.getSecret('db/password')).rejects.toBeInstanceOf(EncryptionContextError);
  });

  it('rejects the reserved context key before writing', async () => {
    const table = new MemoryTableProvider();
    const credstash = new Credstash({ keyProvider: new LocalKeyProvider({ masterKey: randomBytes(32) }), tableProvider: table, bindName: true });

    const error = await credstash.putSecret('db/password', 's3cret', { context: { [NAME_CONTEXT_KEY]: 'other' } }).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as InvalidArgumentError).argument).toBe('context');
    expect((error as Error).message).toContain(NAME_CONTEXT_KEY);
    expect(await credstash.listSecrets()).toEqual([]);
  });

  it('does not read secrets stored without it', async () => {
    const keyProvider = new LocalKeyProvider({ masterKey: randomBytes(32) });
    const table = new MemoryTableProvider();
    await new Credstash({ keyProvider, tableProvider: table }).putSecret('legacy', 'old');

    const bound = new Credstash({ keyProvider, tableProvider: table, bindName: true });

    await expect(bound.getSecret('legacy')).rejects.toBeInstanceOf(EncryptionContextError);
  });

  it('rejects a bindName that is not boolean', () => {
    expect(() => new Credstash({ tableProvider: new MemoryTableProvider(), keyProvider: new LocalKeyProvider({ masterKey: randomBytes(32) }), bindName: 'yes' as never })).toThrow(
      InvalidArgumentError,
    );
  });
});

const endpoint = motoEndpoint();
if (endpoint === null) {
  console.warn('*** SKIPPING name-binding tests on moto: moto is not installed ***');
}

describe.skipIf(endpoint === null)('bindName on KMS and DynamoDB (moto)', () => {
  let names: { table: string; alias: string };
  let dynamodb: DynamoDBClient;

  beforeAll(async () => {
    const { table, alias } = await createMotoCredstash();
    names = { table, alias };
    dynamodb = new DynamoDBClient({ endpoint: endpoint as string, region: 'us-east-1', credentials: TEST_CREDENTIALS });
  });

  afterAll(() => {
    dynamodb?.destroy();
  });

  async function swapOnMoto(left: string, right: string): Promise<void> {
    const read = async (name: string): Promise<Record<string, AttributeValue>> =>
      (await dynamodb.send(new GetItemCommand({ TableName: names.table, Key: { name: { S: name }, version: { S: '0000000000000000001' } } }))).Item as Record<
        string,
        AttributeValue
      >;
    const [newLeft, newRight] = swapSealed(await read(left), await read(right));
    for (const item of [newLeft, newRight]) {
      await dynamodb.send(new PutItemCommand({ TableName: names.table, Item: item as Record<string, AttributeValue> }));
    }
  }

  it('swap returns the other secret without bindName', async () => {
    const credstash = credstashAt(endpoint as string, names);
    await credstash.putSecret('kms/unbound-a', 'secret of a');
    await credstash.putSecret('kms/unbound-b', 'secret of b');

    await swapOnMoto('kms/unbound-a', 'kms/unbound-b');

    expect(await credstash.getSecret('kms/unbound-a')).toBe('secret of b');
  });

  it('swap is rejected by KMS with bindName', async () => {
    const credstash = credstashAt(endpoint as string, names, { bindName: true });
    await credstash.putSecret('kms/bound-a', 'secret of a');
    await credstash.putSecret('kms/bound-b', 'secret of b');

    await swapOnMoto('kms/bound-a', 'kms/bound-b');

    const error = await credstash.getSecret('kms/bound-a').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(EncryptionContextError);
    expect((error as Error).message).not.toContain('secret of');
    recordFigure('tampering', 'swapped items read with bindName (KMS on moto): rejected', 1);
  });

  describe.skipIf(!pythonCredstashAvailable())('read by Python credstash 1.17.1', () => {
    it('CLI reads a bound secret given the name pair', async () => {
      const credstash = credstashAt(endpoint as string, names, { bindName: true });
      await credstash.putSecret('py/db-password', 'from typescript', { context: { env: 'prod' } });

      const result = runPythonCredstash(endpoint as string, [
        '-t',
        names.table,
        'get',
        '-n',
        'py/db-password',
        'env=prod',
        `${NAME_CONTEXT_KEY}=py/db-password`,
      ]);

      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      expect(result.stdout).toBe('from typescript');
    });

    it('CLI fails without the name pair', async () => {
      const credstash = credstashAt(endpoint as string, names, { bindName: true });
      await credstash.putSecret('py/needs-pair', 'from typescript');

      const result = runPythonCredstash(endpoint as string, ['-t', names.table, 'get', '-n', 'py/needs-pair']);

      expect(result.status).toBe(1);
      expect(result.stderr).toContain('KMS ERROR');
      expect(result.stdout).not.toContain('from typescript');
    });

    it('CLI cannot pass a name containing "="', async () => {
      const credstash = credstashAt(endpoint as string, names, { bindName: true });
      await credstash.putSecret('py/a=b', 'from typescript');

      const result = runPythonCredstash(endpoint as string, ['-t', names.table, 'get', '-n', 'py/a=b', `${NAME_CONTEXT_KEY}=py/a=b`]);

      // key_value_pair splits on every "=", so argparse rejects the pair (exit status 2).
      expect(result.status).toBe(2);
      expect(result.stderr).toContain('is not the form of "key=value"');
    });

    it('library reads a name containing "="', async () => {
      const credstash = credstashAt(endpoint as string, names, { bindName: true });
      await credstash.putSecret('py/c=d', 'from typescript');

      const program = [
        'import credstash, sys',
        `value = credstash.getSecret('py/c=d', table='${names.table}', context={'${NAME_CONTEXT_KEY}': 'py/c=d'})`,
        'sys.stdout.write(value)',
      ].join('\n');
      const result = runPython(endpoint as string, ['-c', program]);

      expect(result.stderr).toBe('');
      expect(result.stdout).toBe('from typescript');
    });

    it('bound secret written by Python CLI reads with bindName', async () => {
      const put = runPythonCredstash(endpoint as string, [
        '-t',
        names.table,
        'put',
        '-k',
        names.alias,
        'py/written-by-python',
        'from python',
        `${NAME_CONTEXT_KEY}=py/written-by-python`,
      ]);
      expect(put.status).toBe(0);

      const credstash = credstashAt(endpoint as string, names, { bindName: true });

      expect(await credstash.getSecret('py/written-by-python')).toBe('from python');
    });
  });
});
