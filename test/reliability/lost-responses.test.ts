import { randomUUID } from 'node:crypto';

import { DescribeTableCommand, DynamoDBClient, ListTagsOfResourceCommand, type Tag } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { CredstashError, DynamoDbTableProvider, SecretNotFoundError } from '../../src/index.js';
import { credstashAt } from '../support/aws-clients.js';
import { FaultProxy } from '../support/fault-proxy.js';
import { createMotoCredstash, motoEndpoint, TEST_CREDENTIALS } from '../support/moto.js';

// Deterministic faults: each test scripts the exact fault for the next request of one
// operation, so the recovery path it checks is taken on every run.
const endpoint = motoEndpoint();
if (endpoint === null) {
  console.warn('*** SKIPPING lost-response tests: moto is not installed ***');
}

async function tagsOf(table: string): Promise<Tag[] | undefined> {
  const client = new DynamoDBClient({ endpoint: endpoint as string, region: 'us-east-1', credentials: TEST_CREDENTIALS });
  try {
    const description = await client.send(new DescribeTableCommand({ TableName: table }));
    return (await client.send(new ListTagsOfResourceCommand({ ResourceArn: description.Table?.TableArn }))).Tags;
  } finally {
    client.destroy();
  }
}

describe.skipIf(endpoint === null)('lost responses and retried writes', () => {
  let proxy: FaultProxy;
  let names: { table: string; alias: string };

  beforeAll(async () => {
    const { table, alias } = await createMotoCredstash();
    names = { table, alias };
    proxy = await FaultProxy.start(endpoint as string);
  });

  afterAll(async () => {
    await proxy?.close();
  });

  it('put whose response is lost is stored once', async () => {
    const credstash = credstashAt(proxy.url, names);
    proxy.resetCounts();
    proxy.script('DynamoDB.PutItem', 'resetAfter');

    const result = await credstash.putSecret('lost/put', 'value-1', { version: 3 });

    expect(result.version).toBe('0000000000000000003');
    expect(proxy.counts().requests['DynamoDB.PutItem']).toBe(2);
    expect(proxy.counts().faults['resetAfter']?.['DynamoDB.PutItem']).toBe(1);
    expect(await credstash.getSecret('lost/put', { version: 3 })).toBe('value-1');
  });

  it('autoversion put whose response is lost takes one version', async () => {
    const credstash = credstashAt(proxy.url, names);
    await credstash.putSecret('lost/auto', 'first', { autoVersion: true });
    proxy.resetCounts();
    proxy.script('DynamoDB.PutItem', 'resetAfter', 'resetAfter');

    const result = await credstash.putSecret('lost/auto', 'second', { autoVersion: true });

    expect(result.version).toBe('0000000000000000002');
    expect(proxy.counts().requests['DynamoDB.PutItem']).toBe(3);
    const versions = (await credstash.listSecrets()).filter((item) => item.name === 'lost/auto').map((item) => item.version);
    expect(versions).toEqual(['0000000000000000001', '0000000000000000002']);
    expect(await credstash.getSecret('lost/auto')).toBe('second');
  });

  it('put whose every response is lost fails typed', async () => {
    const credstash = credstashAt(proxy.url, names, { maxAttempts: 2 });
    proxy.script('DynamoDB.PutItem', 'resetAfter', 'resetAfter');

    const error = await credstash.putSecret('lost/always', 'value', { version: 1 }).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(CredstashError);
    expect((error as CredstashError).code).toBe('ERR_TABLE_PROVIDER');
    // The write reached the table although putSecret rejected; the stored item is whole.
    expect(await credstash.getSecret('lost/always', { version: 1 })).toBe('value');
  });

  it('delete whose response is lost reports the deletion', async () => {
    const credstash = credstashAt(proxy.url, names);
    await credstash.putSecret('lost/delete', 'value', { version: 1 });
    proxy.script('DynamoDB.DeleteItem', 'resetAfter');

    await credstash.deleteSecret('lost/delete', 1);

    await expect(credstash.getSecret('lost/delete')).rejects.toBeInstanceOf(SecretNotFoundError);
  });

  it('deleteSecrets whose response is lost lists every version', async () => {
    const credstash = credstashAt(proxy.url, names);
    for (const version of [1, 2, 3]) {
      await credstash.putSecret('lost/delete-all', `value-${version}`, { version });
    }
    proxy.script('DynamoDB.DeleteItem', 'none', 'resetAfter');

    const deleted = await credstash.deleteSecrets('lost/delete-all');

    expect(deleted).toEqual(['0000000000000000001', '0000000000000000002', '0000000000000000003']);
    expect(await credstash.getHighestVersion('lost/delete-all')).toBeUndefined();
  });

  it('setup whose response is lost tags the table', async () => {
    const table = `lost-setup-${randomUUID()}`;
    const credstash = credstashAt(proxy.url, { table, alias: names.alias });
    proxy.script('DynamoDB.CreateTable', 'resetAfter');

    const result = await credstash.setup({ tags: { team: 'payments' } });

    expect(result).toBe('created');
    expect(await tagsOf(table)).toEqual([
      { Key: 'Name', Value: 'credstash' },
      { Key: 'team', Value: 'payments' },
    ]);
    expect(await credstashAt(proxy.url, { table, alias: names.alias }).setup()).toBe('exists');
  });

  it('delete of a missing version stays not found', async () => {
    const credstash = credstashAt(proxy.url, names);

    await expect(credstash.deleteSecret('lost/never-stored', 1)).rejects.toBeInstanceOf(SecretNotFoundError);
  });

  it('throttled delete of a missing item reports missing', async () => {
    const table = new DynamoDbTableProvider({ tableName: names.table, endpoint: proxy.url, region: 'us-east-1', credentials: TEST_CREDENTIALS });
    proxy.script('DynamoDB.DeleteItem', 'throttle', 'throughput');

    expect(await table.deleteItem('lost/never-stored', '0000000000000000007')).toBe('missing');
    expect(proxy.counts().faults['throttle']?.['DynamoDB.DeleteItem']).toBeGreaterThanOrEqual(1);
  });

  it('throttled delete of a missing version stays not found', async () => {
    const credstash = credstashAt(proxy.url, names);
    proxy.script('DynamoDB.GetItem', 'throttle');
    proxy.script('DynamoDB.DeleteItem', 'throttle');

    await expect(credstash.deleteSecret('lost/never-stored', 7)).rejects.toBeInstanceOf(SecretNotFoundError);
  });

  it('throttled setup of an existing table reports exists', async () => {
    const table = `throttled-setup-${randomUUID()}`;
    expect(await credstashAt(proxy.url, { table, alias: names.alias }).setup()).toBe('created');
    proxy.script('DynamoDB.CreateTable', 'throttle', 'http503');

    // The 503 leaves it open whether that attempt ran, but a table older than the call
    // cannot have been created by it.
    expect(await credstashAt(proxy.url, { table, alias: names.alias }).setup()).toBe('exists');
  });
});
