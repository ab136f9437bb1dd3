import { randomUUID } from 'node:crypto';

import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateKeyCommand, DescribeKeyCommand, DisableKeyCommand, KMSClient, ListResourceTagsCommand, paginateListKeys, ScheduleKeyDeletionCommand } from '@aws-sdk/client-kms';
import { describe, expect, it } from 'vitest';

import { Credstash, InvalidArgumentError, KeyProviderError, KmsKeyProvider } from '../../src/index.js';
import { createKmsKey, motoEndpoint, requireEndpoint, TEST_CREDENTIALS } from '../support/moto.js';

const withMoto = motoEndpoint() !== null;
if (!withMoto) {
  console.warn('*** moto is not available: the setup suite for KMS keys is skipped ***');
}

function kmsClient(region = 'us-east-1'): KMSClient {
  return new KMSClient({ endpoint: requireEndpoint(), region, credentials: TEST_CREDENTIALS });
}

/** Creates a Credstash on moto for a fresh alias and table, neither of which exists yet. */
function freshCredstash(options: { region?: string; kmsRegion?: string } = {}): { credstash: Credstash; alias: string; table: string } {
  const alias = `alias/setup-${randomUUID()}`;
  const table = `setup-${randomUUID()}`;
  const credstash = new Credstash({
    kmsKey: alias,
    table,
    endpoint: requireEndpoint(),
    region: options.region ?? 'us-east-1',
    ...(options.kmsRegion === undefined ? {} : { kmsRegion: options.kmsRegion }),
    credentials: TEST_CREDENTIALS,
  });
  return { credstash, alias, table };
}

async function tagsOf(client: KMSClient, keyId: string): Promise<Record<string, string>> {
  const { Tags } = await client.send(new ListResourceTagsCommand({ KeyId: keyId }));
  return Object.fromEntries((Tags ?? []).map((tag) => [tag.TagKey, tag.TagValue]));
}

describe.skipIf(!withMoto)('setup with createKey on KMS', () => {
  it('creates the key, its alias and the table', async () => {
    const { credstash, alias } = freshCredstash();

    expect(await credstash.setup({ createKey: true, tags: { team: 'payments' } })).toEqual({ table: 'created', key: 'created' });

    const { KeyMetadata } = await kmsClient().send(new DescribeKeyCommand({ KeyId: alias }));
    expect(KeyMetadata?.KeyState).toBe('Enabled');
    expect(KeyMetadata?.KeySpec).toBe('SYMMETRIC_DEFAULT');
    expect(KeyMetadata?.KeyUsage).toBe('ENCRYPT_DECRYPT');
    expect(await tagsOf(kmsClient(), KeyMetadata?.KeyId ?? '')).toEqual({ Name: 'credstash', team: 'payments' });
    await credstash.putSecret('db', 'value');
    expect(await credstash.getSecret('db')).toBe('value');
  });

  it('creates the alias given as keyId', async () => {
    const { credstash, alias } = freshCredstash();
    const other = `alias/setup-other-${randomUUID()}`;

    expect(await credstash.setup({ createKey: true, keyId: other })).toEqual({ table: 'created', key: 'created' });

    expect((await kmsClient().send(new DescribeKeyCommand({ KeyId: other }))).KeyMetadata?.KeyState).toBe('Enabled');
    await expect(kmsClient().send(new DescribeKeyCommand({ KeyId: alias }))).rejects.toMatchObject({ name: 'NotFoundException' });
    await credstash.putSecret('db', 'value', { keyId: other });
    expect(await credstash.getSecret('db')).toBe('value');
  });

  it('reuses the alias on a second run', async () => {
    const { credstash, alias } = freshCredstash();
    await credstash.setup({ createKey: true });
    const first = await kmsClient().send(new DescribeKeyCommand({ KeyId: alias }));

    expect(await credstash.setup({ createKey: true })).toEqual({ table: 'exists', key: 'exists' });

    const second = await kmsClient().send(new DescribeKeyCommand({ KeyId: alias }));
    expect(second.KeyMetadata?.KeyId).toBe(first.KeyMetadata?.KeyId);
  });

  it('reuses an alias made by hand', async () => {
    const alias = await createKmsKey();
    const before = await kmsClient().send(new DescribeKeyCommand({ KeyId: alias }));
    const provider = new KmsKeyProvider({ keyId: alias, endpoint: requireEndpoint(), region: 'us-east-1', credentials: TEST_CREDENTIALS });

    expect(await provider.createKey()).toBe('exists');

    const after = await kmsClient().send(new DescribeKeyCommand({ KeyId: alias }));
    expect(after.KeyMetadata?.KeyId).toBe(before.KeyMetadata?.KeyId);
  });

  it('leaves one enabled key after concurrent setups', async () => {
    const alias = `alias/race-${randomUUID()}`;
    const run = randomUUID();
    const providers = Array.from({ length: 4 }, () => new KmsKeyProvider({ keyId: alias, endpoint: requireEndpoint(), region: 'us-east-1', credentials: TEST_CREDENTIALS }));

    const results = await Promise.all(providers.map((provider) => provider.createKey({ tags: { run } })));

    expect(results.filter((result) => result === 'created')).toHaveLength(1);
    const client = kmsClient();
    const target = (await client.send(new DescribeKeyCommand({ KeyId: alias }))).KeyMetadata?.KeyId;
    const states = new Map<string, string | undefined>();
    for await (const page of paginateListKeys({ client }, {})) {
      for (const { KeyId } of page.Keys ?? []) {
        if ((await tagsOf(client, KeyId ?? ''))['run'] === run) {
          states.set(KeyId ?? '', (await client.send(new DescribeKeyCommand({ KeyId }))).KeyMetadata?.KeyState);
        }
      }
    }
    expect(states.get(target ?? '')).toBe('Enabled');
    expect([...states].filter(([keyId]) => keyId !== target).map(([, state]) => state)).toEqual(
      Array.from({ length: states.size - 1 }, () => 'PendingDeletion'),
    );
  });

  it('creates the key in the KMS region', async () => {
    const { credstash, alias } = freshCredstash({ region: 'eu-west-1', kmsRegion: 'us-west-2' });

    await credstash.setup({ createKey: true });

    expect((await kmsClient('us-west-2').send(new DescribeKeyCommand({ KeyId: alias }))).KeyMetadata?.KeyState).toBe('Enabled');
    await expect(kmsClient('eu-west-1').send(new DescribeKeyCommand({ KeyId: alias }))).rejects.toMatchObject({ name: 'NotFoundException' });
  });

  it('rejects an alias of a disabled key before creating the table', async () => {
    const alias = await createKmsKey();
    const client = kmsClient();
    const keyId = (await client.send(new DescribeKeyCommand({ KeyId: alias }))).KeyMetadata?.KeyId;
    await client.send(new DisableKeyCommand({ KeyId: keyId }));
    const table = `setup-${randomUUID()}`;
    const credstash = new Credstash({ kmsKey: alias, table, endpoint: requireEndpoint(), region: 'us-east-1', credentials: TEST_CREDENTIALS });

    const error = await credstash.setup({ createKey: true }).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(KeyProviderError);
    expect((error as Error).message).toContain(`alias ${alias} points to KMS key ${keyId}, which is Disabled`);
    const dynamodb = new DynamoDBClient({ endpoint: requireEndpoint(), region: 'us-east-1', credentials: TEST_CREDENTIALS });
    await expect(dynamodb.send(new DescribeTableCommand({ TableName: table }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it('rejects an alias of a key pending deletion', async () => {
    const alias = await createKmsKey();
    const client = kmsClient();
    const keyId = (await client.send(new DescribeKeyCommand({ KeyId: alias }))).KeyMetadata?.KeyId;
    await client.send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 7 }));
    const provider = new KmsKeyProvider({ keyId: alias, endpoint: requireEndpoint(), region: 'us-east-1', credentials: TEST_CREDENTIALS });

    await expect(provider.createKey()).rejects.toThrow('which is PendingDeletion');
  });

  it('rejects a key id that is not an alias', async () => {
    const { KeyMetadata } = await kmsClient().send(new CreateKeyCommand({}));
    const provider = new KmsKeyProvider({ keyId: KeyMetadata?.KeyId ?? '', endpoint: requireEndpoint(), region: 'us-east-1', credentials: TEST_CREDENTIALS });

    const error = await provider.createKey().catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(error).toMatchObject({ argument: 'keyId' });
    expect((error as Error).message).toContain('setup creates keys only for an alias name such as "alias/credstash"');
  });
});
