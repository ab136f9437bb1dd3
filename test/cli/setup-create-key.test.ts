import { randomUUID } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';

import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeKeyCommand, DisableKeyCommand, KMSClient, ListResourceTagsCommand } from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import { createKmsKey, TEST_CREDENTIALS } from '../support/moto.js';
import { uniqueTable } from '../interop/support/interop.js';
import { makeTempDir, motoEnv, offlineEnv, runCli, type ProcessResult } from './support/processes.js';

// `setup --create-key`, which Python credstash 1.17.1 does not have: it creates the KMS key
// and its alias (or offline, the master key file) before the table.

const endpoint = inject('motoEndpoint');

const CREATED_TABLE = 'Creating table...\nWaiting for table to be created...\nAdding tags...\nTable has been created\n';

let home: { path: string; remove: () => Promise<void> };

beforeAll(async () => {
  home = await makeTempDir('setup-create-key');
});

afterAll(async () => {
  await home.remove();
});

describe('setup --create-key offline', () => {
  it('creates the master key and the table', async () => {
    const store = join(home.path, 'offline-store');
    const env = offlineEnv(home.path);

    const first = await runCli(['--offline', store, 'setup', '--create-key'], { env });
    const second = await runCli(['--offline', store, 'setup', '--create-key'], { env });

    expect(first.status, first.stderr).toBe(0);
    expect(first.text).toBe(
      `Table has been created: ${join(store, 'credential-store.jsonl')}\n` +
        `Master key has been created: ${join(store, 'master.key')}\n` +
        'Back it up: without it, no secret stored with it can be read.\n',
    );
    expect((await stat(join(store, 'master.key'))).mode & 0o777).toBe(0o600);
    expect(second.status, second.stderr).toBe(0);
    expect(second.text).toBe('Credential Store table already exists\n');
  });

  it.each([
    ['-k without --create-key', ['setup', '-k', 'alias/credstash'], 'setup uses -k only to name the key that --create-key creates. Add --create-key, or leave -k out.'],
    ['-k offline', ['setup', '--create-key', '-k', 'alias/credstash'], '-k names a KMS key, but the offline store wraps every secret with its local master key.'],
  ])('rejects %s', async (_title, args, message) => {
    const store = join(home.path, `rejected-${randomUUID()}`);

    const result = await runCli(['--offline', store, ...args], { env: offlineEnv(home.path) });

    expect(result.status).toBe(1);
    expect(result.text).toBe('');
    expect(result.stderr).toContain(message);
  });
});

describe.skipIf(endpoint === null)('setup --create-key on KMS', { timeout: 120_000 }, () => {
  const motoUrl = endpoint ?? '';

  function cli(args: readonly string[], extraEnv: Record<string, string> = {}): Promise<ProcessResult> {
    return runCli(args, { env: motoEnv(motoUrl, home.path, extraEnv) });
  }

  function kms(region: string): KMSClient {
    return new KMSClient({ endpoint: motoUrl, region, credentials: TEST_CREDENTIALS });
  }

  async function keyState(alias: string, region: string): Promise<string | undefined> {
    try {
      return (await kms(region).send(new DescribeKeyCommand({ KeyId: alias }))).KeyMetadata?.KeyState;
    } catch (error) {
      if (error instanceof Error && error.name === 'NotFoundException') {
        return undefined;
      }
      throw error;
    }
  }

  it('creates alias/credstash, tags it and the table', async () => {
    // Only this test uses ap-southeast-2, so alias/credstash does not exist there yet.
    const table = uniqueTable('create-key');
    const args = ['-r', 'ap-southeast-2', '-t', table];

    const first = await cli([...args, 'setup', '--create-key', '--tags', 'team=payments']);
    const put = await cli([...args, 'put', 'db', 'secret-value']);
    const get = await cli([...args, 'get', 'db']);
    const second = await cli([...args, 'setup', '--create-key']);

    expect(first.status, first.stderr).toBe(0);
    expect(first.text).toBe(`KMS key alias/credstash has been created\n${CREATED_TABLE}`);
    const keyId = (await kms('ap-southeast-2').send(new DescribeKeyCommand({ KeyId: 'alias/credstash' }))).KeyMetadata?.KeyId;
    const { Tags } = await kms('ap-southeast-2').send(new ListResourceTagsCommand({ KeyId: keyId }));
    expect(Object.fromEntries((Tags ?? []).map((tag) => [tag.TagKey, tag.TagValue]))).toEqual({ Name: 'credstash', team: 'payments' });
    expect(put.status, put.stderr).toBe(0);
    expect(get.text).toBe('secret-value\n');
    expect(second.status, second.stderr).toBe(0);
    expect(second.text).toBe('KMS key alias/credstash already exists\nCredential Store table already exists\n');
  });

  it('creates the alias named by -k', async () => {
    const table = uniqueTable('create-key');
    const alias = `alias/cli-${randomUUID()}`;

    const setup = await cli(['-t', table, 'setup', '--create-key', '-k', alias]);
    const put = await cli(['-t', table, 'put', '-k', alias, 'db', 'value']);
    const get = await cli(['-t', table, 'get', 'db']);

    expect(setup.status, setup.stderr).toBe(0);
    expect(setup.text).toBe(`KMS key ${alias} has been created\n${CREATED_TABLE}`);
    expect(await keyState(alias, 'us-east-1')).toBe('Enabled');
    expect(put.status, put.stderr).toBe(0);
    expect(get.text).toBe('value\n');
  });

  it('creates the key in --kms-region', async () => {
    const table = uniqueTable('create-key');
    const alias = `alias/cli-${randomUUID()}`;

    const setup = await cli(['-r', 'us-east-1', '--kms-region', 'us-west-2', '-t', table, 'setup', '--create-key', '-k', alias]);

    expect(setup.status, setup.stderr).toBe(0);
    expect(await keyState(alias, 'us-west-2')).toBe('Enabled');
    expect(await keyState(alias, 'us-east-1')).toBeUndefined();
  });

  it('creates the key in the saved KMS region', async () => {
    const savedHome = await makeTempDir('setup-create-key-saved');
    const env = motoEnv(motoUrl, savedHome.path);
    const table = uniqueTable('create-key');
    const alias = `alias/cli-${randomUUID()}`;

    const setup = await runCli(['-t', table, 'setup', '--save-kms-region', 'eu-central-1', '--create-key', '-k', alias], { env });
    const put = await runCli(['-t', table, 'put', '-k', alias, 'db', 'value'], { env });
    await savedHome.remove();

    expect(setup.status, setup.stderr).toBe(0);
    expect(setup.text).toBe(`KMS region set to eu-central-1\nKMS key ${alias} has been created\n${CREATED_TABLE}`);
    expect(await keyState(alias, 'eu-central-1')).toBe('Enabled');
    expect(await keyState(alias, 'us-east-1')).toBeUndefined();
    expect(put.status, put.stderr).toBe(0);
  });

  it('fails on an alias of a disabled key', async () => {
    const table = uniqueTable('create-key');
    const alias = await createKmsKey();
    const keyId = (await kms('us-east-1').send(new DescribeKeyCommand({ KeyId: alias }))).KeyMetadata?.KeyId;
    await kms('us-east-1').send(new DisableKeyCommand({ KeyId: keyId }));

    const setup = await cli(['-t', table, 'setup', '--create-key', '-k', alias]);

    expect(setup.status).toBe(1);
    expect(setup.text).toBe('');
    expect(setup.stderr).toContain(`alias ${alias} points to KMS key ${keyId}, which is Disabled`);
    const dynamodb = new DynamoDBClient({ endpoint: motoUrl, region: 'us-east-1', credentials: TEST_CREDENTIALS });
    await expect(dynamodb.send(new DescribeTableCommand({ TableName: table }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it('rejects -k that is not an alias', async () => {
    const setup = await cli(['-t', uniqueTable('create-key'), 'setup', '--create-key', '-k', 'arn:aws:kms:us-east-1:123456789012:key/1234']);

    expect(setup.status).toBe(1);
    expect(setup.stderr).toContain('pass an alias name such as alias/credstash');
  });
});
