import { randomUUID } from 'node:crypto';

import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { Credstash, DynamoDbTableProvider, KmsKeyProvider } from '../../src/index.js';
import { recordCommands } from '../support/command-log.js';
import { createKmsKey, motoEndpoint, requireEndpoint, TEST_CREDENTIALS } from '../support/moto.js';

const withMoto = motoEndpoint() !== null;
if (!withMoto) {
  console.warn('*** moto is not available: the read cache suite on KMS and DynamoDB is skipped ***');
}

/** Creates a cached Credstash on moto whose SDK clients record every command they send. */
async function cachedMotoStore(region: string, table: string): Promise<{ credstash: Credstash; sent: string[] }> {
  const sent: string[] = [];
  const kms = new KMSClient({ endpoint: requireEndpoint(), region, credentials: TEST_CREDENTIALS });
  const dynamodb = new DynamoDBClient({ endpoint: requireEndpoint(), region, credentials: TEST_CREDENTIALS });
  recordCommands(kms, sent);
  recordCommands(dynamodb, sent);
  const credstash = new Credstash({
    keyProvider: new KmsKeyProvider({ keyId: await createKmsKey(region), client: kms }),
    tableProvider: new DynamoDbTableProvider({ tableName: table, client: dynamodb }),
    cache: { maxAge: 60_000 },
  });
  await credstash.setup();
  sent.length = 0;
  return { credstash, sent };
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['performance'] });
});

afterEach(() => {
  vi.useRealTimers();
});

describe.skipIf(!withMoto)('read cache on KMS and DynamoDB', () => {
  it('sends one Query and one Decrypt per entry', async () => {
    const { credstash, sent } = await cachedMotoStore('us-east-1', `cache-${randomUUID()}`);
    await credstash.putSecret('db', 'one');
    sent.length = 0;

    const values = await Promise.all(Array.from({ length: 5 }, () => credstash.getSecret('db')));
    expect(await credstash.getSecret('db')).toBe('one');

    expect(values).toEqual(['one', 'one', 'one', 'one', 'one']);
    expect(sent).toEqual(['QueryCommand', 'DecryptCommand']);
  });

  it('sends GetItem once for an explicit version', async () => {
    const { credstash, sent } = await cachedMotoStore('us-east-1', `cache-${randomUUID()}`);
    await credstash.putSecret('db', 'one', { version: 1 });
    sent.length = 0;

    await credstash.getSecret('db', { version: 1 });
    vi.advanceTimersByTime(24 * 60 * 60_000);
    await credstash.getSecret('db', { version: '1' });

    expect(sent).toEqual(['GetItemCommand', 'DecryptCommand']);
  });

  it('reads again after maxAge and on refresh', async () => {
    const { credstash, sent } = await cachedMotoStore('us-east-1', `cache-${randomUUID()}`);
    await credstash.putSecret('db', 'one');
    sent.length = 0;

    await credstash.getSecret('db');
    vi.advanceTimersByTime(60_000);
    await credstash.getSecret('db');
    await credstash.getSecret('db', { refresh: true });

    expect(sent).toEqual(['QueryCommand', 'DecryptCommand', 'QueryCommand', 'DecryptCommand', 'QueryCommand', 'DecryptCommand']);
  });

  it('keeps regions with the same table name apart', async () => {
    const table = `cache-${randomUUID()}`;
    const east = await cachedMotoStore('us-east-1', table);
    const west = await cachedMotoStore('eu-west-1', table);
    await east.credstash.putSecret('db', 'east value');
    await west.credstash.putSecret('db', 'west value');

    expect(await east.credstash.getSecret('db')).toBe('east value');
    expect(await west.credstash.getSecret('db')).toBe('west value');
    expect(await east.credstash.getSecret('db')).toBe('east value');
  });
});
