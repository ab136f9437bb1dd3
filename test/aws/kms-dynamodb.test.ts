import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';

import { DescribeTableCommand, DynamoDBClient, GetItemCommand, ListTagsOfResourceCommand } from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { describe, expect, it } from 'vitest';

import { Credstash, DynamoDbTableProvider, KeyProviderError, KmsKeyProvider, TableNotFoundError, TableProviderError } from '../../src/index.js';
import { recordCommands } from '../support/command-log.js';
import { createKmsKey, createMotoCredstash, motoEndpoint, requireEndpoint, TEST_CREDENTIALS } from '../support/moto.js';

const withMoto = motoEndpoint() !== null;
if (!withMoto) {
  console.warn('*** moto is not available: the KMS and DynamoDB suite is skipped ***');
}

function dynamoClient(region = 'us-east-1'): DynamoDBClient {
  return new DynamoDBClient({ endpoint: requireEndpoint(), region, credentials: TEST_CREDENTIALS });
}

describe.skipIf(!withMoto)('KMS and DynamoDB providers on moto', () => {
  it('puts and gets latest and by version', async () => {
    const { credstash } = await createMotoCredstash();
    await credstash.putSecret('db', 'one', { version: 1 });
    await credstash.putSecret('db', 'two', { version: 2, comment: 'rotated' });

    expect(await credstash.getSecret('db')).toBe('two');
    expect(await credstash.getSecret('db', { version: '1' })).toBe('one');
    expect(await credstash.listSecrets()).toEqual([
      { name: 'db', version: '0000000000000000001', comment: undefined },
      { name: 'db', version: '0000000000000000002', comment: 'rotated' },
    ]);
  });

  it('stores the Python attribute types', async () => {
    const { credstash, table } = await createMotoCredstash();
    await credstash.putSecret('typed', 'value');

    const { Item } = await dynamoClient().send(new GetItemCommand({ TableName: table, Key: { name: { S: 'typed' }, version: { S: '0000000000000000001' } } }));

    expect(Object.keys(Item ?? {}).sort()).toEqual(['contents', 'digest', 'hmac', 'key', 'name', 'version']);
    expect(Item?.['hmac']?.B).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(Item?.['hmac']?.B ?? []).toString('latin1')).toMatch(/^[0-9a-f]{64}$/);
    for (const attribute of ['name', 'version', 'key', 'contents', 'digest']) {
      expect(typeof Item?.[attribute]?.S).toBe('string');
    }
  });

  it('reads all secrets with pages of one item', async () => {
    const { credstash } = await createMotoCredstash();
    for (const name of ['a', 'b', 'c']) {
      await credstash.putSecret(name, `${name}-1`, { version: 1 });
      await credstash.putSecret(name, `${name}-2`, { version: 2 });
    }

    expect(await credstash.getAllSecrets({ pageSize: 1 })).toEqual({ a: 'a-2', b: 'b-2', c: 'c-2' });
    const pages: number[] = [];
    for await (const page of credstash.paginateSecrets({ pageSize: 1 })) {
      pages.push(page.length);
    }
    expect(pages.filter((size) => size === 1)).toHaveLength(6);
  });

  it('deletes one version and then all', async () => {
    const { credstash } = await createMotoCredstash();
    for (let version = 1; version <= 3; version += 1) {
      await credstash.putSecret('gone', `v${version}`, { version });
    }

    await credstash.deleteSecret('gone', 3);
    expect(await credstash.getSecret('gone')).toBe('v2');
    await expect(credstash.deleteSecret('gone', 3)).rejects.toMatchObject({ code: 'ERR_SECRET_NOT_FOUND' });

    expect(await credstash.deleteSecrets('gone')).toEqual(['0000000000000000001', '0000000000000000002']);
    expect(await credstash.listSecrets()).toEqual([]);
  });

  it('checks the encryption context', async () => {
    const { credstash } = await createMotoCredstash();
    await credstash.putSecret('ctx', 'value', { context: { app: 'web' } });

    expect(await credstash.getSecret('ctx', { context: { app: 'web' } })).toBe('value');
    await expect(credstash.getSecret('ctx', { context: { app: 'api' } })).rejects.toMatchObject({ code: 'ERR_ENCRYPTION_CONTEXT', reason: 'mismatch' });
    await expect(credstash.getSecret('ctx')).rejects.toMatchObject({ code: 'ERR_ENCRYPTION_CONTEXT', reason: 'missing' });
  });

  it('uses a KMS region apart from the table region', async () => {
    const { credstash, table, alias } = await createMotoCredstash({ region: 'eu-west-1', kmsRegion: 'us-west-2' });
    await credstash.putSecret('split', 'value');

    expect(await credstash.getSecret('split')).toBe('value');
    // The key exists only in us-west-2, so a KMS client in the table's region cannot use it.
    const wrongRegion = new Credstash({
      keyProvider: new KmsKeyProvider({ keyId: alias, endpoint: requireEndpoint(), region: 'eu-west-1', credentials: TEST_CREDENTIALS }),
      tableProvider: new DynamoDbTableProvider({ tableName: table, endpoint: requireEndpoint(), region: 'eu-west-1', credentials: TEST_CREDENTIALS }),
    });
    await expect(wrongRegion.putSecret('split', 'other', { version: 2 })).rejects.toThrow(KeyProviderError);
    await expect(wrongRegion.putSecret('split', 'other', { version: 2 })).rejects.toThrow(/region eu-west-1|127\.0\.0\.1/);
  });

  it('stores 20 concurrent autoversion puts', async () => {
    const { credstash } = await createMotoCredstash();

    const results = await Promise.all(Array.from({ length: 20 }, (_, index) => credstash.putSecret('race', `value-${index}`, { autoVersion: true })));

    expect(new Set(results.map((result) => result.version)).size).toBe(20);
    expect((await credstash.listSecrets()).map((summary) => summary.version)).toEqual(
      Array.from({ length: 20 }, (_, index) => String(index + 1).padStart(19, '0')),
    );
    for (const [index, result] of results.entries()) {
      expect(await credstash.getSecret('race', { version: result.version })).toBe(`value-${index}`);
    }
  });

  it('sends every call through ready clients', async () => {
    const { table, alias } = await createMotoCredstash();
    const sent: string[] = [];
    const kms = new KMSClient({ endpoint: requireEndpoint(), region: 'us-east-1', credentials: TEST_CREDENTIALS });
    const dynamodb = dynamoClient();
    recordCommands(kms, sent);
    recordCommands(dynamodb, sent);
    const credstash = new Credstash({
      keyProvider: new KmsKeyProvider({ keyId: alias, client: kms }),
      tableProvider: new DynamoDbTableProvider({ tableName: table, client: dynamodb }),
    });

    await credstash.putSecret('client', 'value');
    expect(await credstash.getSecret('client')).toBe('value');

    expect(sent).toEqual(['GenerateDataKeyCommand', 'PutItemCommand', 'QueryCommand', 'DecryptCommand']);
  });

  it('sets up an on-demand table tagged credstash', async () => {
    const { credstash, table } = await createMotoCredstash();

    expect(await credstash.setup()).toBe('exists');
    const client = dynamoClient();
    const { Table } = await client.send(new DescribeTableCommand({ TableName: table }));
    expect(Table?.KeySchema).toEqual([
      { AttributeName: 'name', KeyType: 'HASH' },
      { AttributeName: 'version', KeyType: 'RANGE' },
    ]);
    expect(Table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
    const tags = await client.send(new ListTagsOfResourceCommand({ ResourceArn: Table?.TableArn }));
    expect(tags.Tags).toContainEqual({ Key: 'Name', Value: 'credstash' });
  });

  it('sets up provisioned throughput with tags', async () => {
    const alias = await createKmsKey();
    const table = `credstash-test-${randomUUID()}`;
    const credstash = new Credstash({ kmsKey: alias, table, endpoint: requireEndpoint(), region: 'us-east-1', credentials: TEST_CREDENTIALS });

    expect(await credstash.setup({ tags: { team: 'payments' }, billing: { mode: 'PROVISIONED', readCapacity: 2, writeCapacity: 1 } })).toBe('created');

    const client = dynamoClient();
    const { Table } = await client.send(new DescribeTableCommand({ TableName: table }));
    expect(Table?.ProvisionedThroughput?.ReadCapacityUnits).toBe(2);
    const tags = await client.send(new ListTagsOfResourceCommand({ ResourceArn: Table?.TableArn }));
    expect(tags.Tags).toEqual(expect.arrayContaining([{ Key: 'Name', Value: 'credstash' }, { Key: 'team', Value: 'payments' }]));
    await credstash.putSecret('shortcut', 'options');
    expect(await credstash.getSecret('shortcut')).toBe('options');
  });

  it('reports a missing table', async () => {
    const credstash = new Credstash({ kmsKey: await createKmsKey(), table: 'does-not-exist', endpoint: requireEndpoint(), region: 'us-east-1', credentials: TEST_CREDENTIALS });

    const error = await credstash.getSecret('x').catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(TableNotFoundError);
    expect((error as Error).message).toContain('"does-not-exist"');
    expect((error as Error).message).toContain('setup');
  });

  it('names a missing KMS key', async () => {
    const { table } = await createMotoCredstash();
    const credstash = new Credstash({ kmsKey: 'alias/none', table, endpoint: requireEndpoint(), region: 'us-east-1', credentials: TEST_CREDENTIALS });

    const error = await credstash.putSecret('x', 'y').catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(KeyProviderError);
    expect((error as Error).message).toContain('alias/none');
  });

  it('names an unreachable endpoint', async () => {
    const port = await closedPort();
    const endpoint = `http://127.0.0.1:${port}`;
    const table = new DynamoDbTableProvider({ tableName: 'unreachable', endpoint, region: 'us-east-1', credentials: TEST_CREDENTIALS, maxAttempts: 1, connectionTimeout: 500 });

    const error = await new Credstash({ keyProvider: new KmsKeyProvider({ endpoint, region: 'us-east-1', credentials: TEST_CREDENTIALS }), tableProvider: table })
      .getSecret('x')
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(TableProviderError);
    expect((error as Error).message).toContain(`127.0.0.1:${port}`);
  });
});

function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address() as { port: number };
      server.close(() => resolve(address.port));
    });
  });
}
