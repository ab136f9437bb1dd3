import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { CreatePolicyCommand, IAMClient } from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import { TEST_CREDENTIALS } from '../support/moto.js';
import { isolatedEnv, makeTempDir, runCli, type ProcessResult } from './support/processes.js';

// The iam-policy command's output and flags. It sends no request, so these runs have no
// endpoint; the moto suite at the end only checks the policies' syntax with moto's IAM.

const ACCOUNT = '111122223333';
const KEY_ID = '1234abcd-12ab-34cd-56ef-1234567890ab';
const TABLE_ARN = `arn:aws:dynamodb:eu-west-1:${ACCOUNT}:table/credential-store`;

let home: { path: string; remove: () => Promise<void> };

beforeAll(async () => {
  home = await makeTempDir('iam-policy');
});

afterAll(async () => {
  await home.remove();
});

function cli(args: readonly string[], extraEnv: Record<string, string> = {}): Promise<ProcessResult> {
  return runCli(args, { env: isolatedEnv(home.path, extraEnv) });
}

async function policy(args: readonly string[], extraEnv: Record<string, string> = {}): Promise<Record<string, unknown>> {
  const result = await cli(['-r', 'eu-west-1', 'iam-policy', ...args], extraEnv);
  expect(result.status, result.stderr).toBe(0);
  return JSON.parse(result.text) as Record<string, unknown>;
}

describe('iam-policy output', () => {
  it('prints the reader policy', async () => {
    const result = await cli(['-r', 'eu-west-1', 'iam-policy', 'reader', '--account', ACCOUNT, '-k', KEY_ID]);

    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.text).toBe(
      `${JSON.stringify(
        {
          Version: '2012-10-17',
          Statement: [
            { Sid: 'ReadSecretItems', Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:Query'], Resource: TABLE_ARN },
            { Sid: 'ScanSecretItems', Effect: 'Allow', Action: ['dynamodb:Scan'], Resource: TABLE_ARN },
            { Sid: 'DecryptSecrets', Effect: 'Allow', Action: ['kms:Decrypt'], Resource: `arn:aws:kms:eu-west-1:${ACCOUNT}:key/${KEY_ID}` },
          ],
        },
        null,
        2,
      )}\n`,
    );
  });

  it('prints the writer policy', async () => {
    expect(await policy(['writer', '--account', ACCOUNT, '-k', KEY_ID])).toEqual({
      Version: '2012-10-17',
      Statement: [
        { Sid: 'WriteSecretItems', Effect: 'Allow', Action: ['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query'], Resource: TABLE_ARN },
        { Sid: 'GenerateDataKeys', Effect: 'Allow', Action: ['kms:GenerateDataKey'], Resource: `arn:aws:kms:eu-west-1:${ACCOUNT}:key/${KEY_ID}` },
      ],
    });
  });

  it('prints the setup policy', async () => {
    const tableOnly = await policy(['setup', '--account', ACCOUNT]);
    const withKey = await policy(['setup', '--account', ACCOUNT, '--create-key']);

    expect(tableOnly).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'CreateTable',
          Effect: 'Allow',
          Action: ['dynamodb:CreateTable', 'dynamodb:DescribeTable', 'dynamodb:TagResource'],
          Resource: TABLE_ARN,
        },
      ],
    });
    expect((withKey['Statement'] as unknown[]).slice(1)).toEqual([
      { Sid: 'CreateKey', Effect: 'Allow', Action: ['kms:CreateKey', 'kms:TagResource'], Resource: '*' },
      { Sid: 'DescribeKey', Effect: 'Allow', Action: ['kms:DescribeKey'], Resource: `arn:aws:kms:eu-west-1:${ACCOUNT}:key/*` },
      { Sid: 'CreateAlias', Effect: 'Allow', Action: ['kms:CreateAlias'], Resource: [`arn:aws:kms:eu-west-1:${ACCOUNT}:alias/credstash`, `arn:aws:kms:eu-west-1:${ACCOUNT}:key/*`] },
      {
        Sid: 'ScheduleUnusedKeyDeletion',
        Effect: 'Allow',
        Action: ['kms:ScheduleKeyDeletion'],
        Resource: `arn:aws:kms:eu-west-1:${ACCOUNT}:key/*`,
        Condition: { StringEquals: { 'aws:ResourceTag/Name': 'credstash' } },
      },
    ]);
  });

  it('keeps the key order of every statement', async () => {
    const first = await cli(['-r', 'eu-west-1', 'iam-policy', 'reader', '--account', ACCOUNT, '--name', 'a*', '--bind-name', 'z=1', 'a=2']);
    const second = await cli(['-r', 'eu-west-1', 'iam-policy', 'reader', '--account', ACCOUNT, '--name', 'a*', '--bind-name', 'a=2', 'z=1']);
    const parsed = JSON.parse(first.text) as { Statement: Record<string, unknown>[] };

    expect(first.text).toBe(second.text);
    expect(Object.keys(parsed)).toEqual(['Version', 'Statement']);
    for (const statement of parsed.Statement) {
      expect(Object.keys(statement)).toEqual(['Sid', 'Effect', 'Action', 'Resource', ...('Condition' in statement ? ['Condition'] : [])]);
    }
    expect(Object.keys((parsed.Statement[2]?.['Condition'] as Record<string, Record<string, unknown>>)['StringEquals'] ?? {})).toEqual([
      'kms:EncryptionContext:a',
      'kms:EncryptionContext:z',
    ]);
  });
});

describe('iam-policy keys and regions', () => {
  it.each([
    [KEY_ID, `arn:aws:kms:eu-west-1:${ACCOUNT}:key/${KEY_ID}`, undefined],
    ['mrk-1234abcd12ab34cd56ef1234567890ab', `arn:aws:kms:eu-west-1:${ACCOUNT}:key/mrk-1234abcd12ab34cd56ef1234567890ab`, undefined],
    [`arn:aws:kms:us-east-2:444455556666:key/${KEY_ID}`, `arn:aws:kms:us-east-2:444455556666:key/${KEY_ID}`, undefined],
    ['alias/payments', `arn:aws:kms:eu-west-1:${ACCOUNT}:key/*`, 'alias/payments'],
    ['arn:aws:kms:us-east-2:444455556666:alias/payments', 'arn:aws:kms:us-east-2:444455556666:key/*', 'alias/payments'],
  ])('names key %s', async (key, resource, alias) => {
    const decrypt = ((await policy(['reader', '--account', ACCOUNT, '-k', key]))['Statement'] as Record<string, unknown>[])[2];

    expect(decrypt?.['Resource']).toBe(resource);
    expect(decrypt?.['Condition']).toEqual(alias === undefined ? undefined : { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': alias } });
  });

  it('puts KMS in --kms-region', async () => {
    const result = await cli(['-r', 'eu-west-1', '--kms-region', 'us-east-1', 'iam-policy', 'writer', '--account', ACCOUNT, '-k', KEY_ID]);
    const statements = (JSON.parse(result.text) as { Statement: { Resource: string }[] }).Statement;

    expect(statements[0]?.Resource).toBe(TABLE_ARN);
    expect(statements[1]?.Resource).toBe(`arn:aws:kms:us-east-1:${ACCOUNT}:key/${KEY_ID}`);
  });

  it('reads the saved KMS region and AWS_REGION', async () => {
    const savedHome = await makeTempDir('iam-policy-saved');
    await writeFile(join(savedHome.path, '.credstash'), JSON.stringify({ 'kms-region': 'ap-northeast-1' }));

    const result = await runCli(['iam-policy', 'writer', '--account', ACCOUNT, '-k', KEY_ID], { env: isolatedEnv(savedHome.path, { AWS_REGION: 'sa-east-1' }) });
    await savedHome.remove();
    const statements = (JSON.parse(result.text) as { Statement: { Resource: string }[] }).Statement;

    expect(statements[0]?.Resource).toBe(`arn:aws:dynamodb:sa-east-1:${ACCOUNT}:table/credential-store`);
    expect(statements[1]?.Resource).toBe(`arn:aws:kms:ap-northeast-1:${ACCOUNT}:key/${KEY_ID}`);
  });

  it.each([
    ['cn-north-1', 'aws-cn'],
    ['us-gov-west-1', 'aws-us-gov'],
    ['us-isob-east-1', 'aws-iso-b'],
    ['eu-central-1', 'aws'],
  ])('uses the partition of %s', async (region, partition) => {
    const result = await cli(['-r', region, 'iam-policy', 'writer', '--account', ACCOUNT, '-k', KEY_ID]);
    const statements = (JSON.parse(result.text) as { Statement: { Resource: string }[] }).Statement;

    expect(statements[0]?.Resource).toBe(`arn:${partition}:dynamodb:${region}:${ACCOUNT}:table/credential-store`);
    expect(statements[1]?.Resource).toBe(`arn:${partition}:kms:${region}:${ACCOUNT}:key/${KEY_ID}`);
  });

  it('takes -t as a name or an ARN', async () => {
    const arn = 'arn:aws:dynamodb:us-west-1:444455556666:table/secrets';
    const byName = await cli(['-r', 'eu-west-1', '-t', 'app-secrets', 'iam-policy', 'setup', '--account', ACCOUNT]);
    const byArn = await cli(['-r', 'eu-west-1', '-t', arn, 'iam-policy', 'setup', '--account', ACCOUNT]);
    const fromEnv = await cli(['-r', 'eu-west-1', 'iam-policy', 'setup', '--account', ACCOUNT], { CREDSTASH_DEFAULT_TABLE: 'env-table' });

    expect((JSON.parse(byName.text) as { Statement: { Resource: string }[] }).Statement[0]?.Resource).toBe(`arn:aws:dynamodb:eu-west-1:${ACCOUNT}:table/app-secrets`);
    expect((JSON.parse(byArn.text) as { Statement: { Resource: string }[] }).Statement[0]?.Resource).toBe(arn);
    expect((JSON.parse(fromEnv.text) as { Statement: { Resource: string }[] }).Statement[0]?.Resource).toBe(`arn:aws:dynamodb:eu-west-1:${ACCOUNT}:table/env-table`);
  });
});

describe('iam-policy conditions', () => {
  it('adds context pairs to the KMS statement', async () => {
    const statements = (await policy(['reader', '--account', ACCOUNT, '-k', KEY_ID, 'env=prod', 'app=web']))['Statement'] as Record<string, unknown>[];

    expect(statements[0]?.['Condition']).toBeUndefined();
    expect(statements[2]?.['Condition']).toEqual({ StringEquals: { 'kms:EncryptionContext:app': 'web', 'kms:EncryptionContext:env': 'prod' } });
  });

  it('limits names with --name and --bind-name', async () => {
    const statements = (await policy(['writer', '--account', ACCOUNT, '--name', 'app/*', '--name', 'what?$x', '--bind-name']))['Statement'] as Record<string, unknown>[];

    expect(statements[0]?.['Condition']).toEqual({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['app/*', 'what${?}${$}x'] } });
    expect(statements[1]?.['Condition']).toEqual({
      'ForAnyValue:StringEquals': { 'kms:ResourceAliases': 'alias/credstash' },
      StringLike: { 'kms:EncryptionContext:credstash_name': ['app/*', 'what${?}${$}x'] },
    });
  });

  it('notes that Scan reads every name', async () => {
    const noted = await cli(['-r', 'eu-west-1', 'iam-policy', 'reader', '--account', ACCOUNT, '--name', 'app/*']);
    const bound = await cli(['-r', 'eu-west-1', 'iam-policy', 'reader', '--account', ACCOUNT, '--name', 'app/*', '--bind-name']);
    const noScan = await cli(['-r', 'eu-west-1', 'iam-policy', 'reader', '--account', ACCOUNT, '--name', 'app/*', '--no-scan']);

    expect(noted.status).toBe(0);
    expect(noted.stderr).toContain('credstash-ts: note: --name limits GetItem and Query, but Scan still returns the items of every name');
    expect(JSON.parse(noted.text)).toHaveProperty('Statement');
    expect(bound.stderr).toBe('');
    expect(noScan.stderr).toBe('');
    expect((JSON.parse(noScan.text) as { Statement: { Sid: string }[] }).Statement.map((statement) => statement.Sid)).toEqual(['ReadSecretItems', 'DecryptSecrets']);
  });
});

describe('iam-policy usage errors', () => {
  it.each([
    ['a missing --account', ['reader'], 'iam-policy needs --account ID'],
    ['a short account', ['reader', '--account', '1234'], 'invalid --account "1234": expected a 12-digit AWS account id'],
    ['an unknown role', ['admin', '--account', ACCOUNT], "value 'admin' is invalid for argument 'role'"],
    ['an invalid key', ['reader', '--account', ACCOUNT, '-k', 'credstash'], 'invalid -k "credstash": pass a KMS key id, key ARN, alias name'],
    ['narrowing setup', ['setup', '--account', ACCOUNT, '--name', 'a*', 'env=prod'], 'KEY=VALUE, --name narrow the reader and writer policies'],
    ['--create-key for a reader', ['reader', '--account', ACCOUNT, '--create-key'], '--create-key adds the KMS permissions of setup --create-key'],
    ['--bind-name alone', ['reader', '--account', ACCOUNT, '--bind-name'], '--bind-name limits KMS use to the names given with --name'],
    ['--no-scan for a writer', ['writer', '--account', ACCOUNT, '--no-scan'], '--no-scan applies to the reader policy'],
    ['a key id for --create-key', ['setup', '--account', ACCOUNT, '--create-key', '-k', KEY_ID], '-k must be an alias name such as alias/credstash'],
    ['an empty --name', ['reader', '--account', ACCOUNT, '--name', ''], 'invalid --name ""'],
    ['a bad context pair', ['reader', '--account', ACCOUNT, 'env'], 'invalid encryption context pair "env"'],
  ])('rejects %s', async (_title, args, message) => {
    const result = await cli(['-r', 'eu-west-1', 'iam-policy', ...args]);

    expect(result.status).toBe(1);
    expect(result.text).toBe('');
    expect(result.stderr).toContain(message);
  });

  it.each([
    ['an invalid region', ['-r', 'Europe'], 'invalid -r/--region "Europe": expected an AWS region such as eu-west-1'],
    ['an invalid table', ['-r', 'eu-west-1', '-t', 'a b'], 'invalid -t "a b"'],
    ['the offline store', ['--offline', '/tmp/x'], 'the offline store uses no AWS permissions'],
  ])('rejects %s', async (_title, globals, message) => {
    const result = await cli([...globals, 'iam-policy', 'reader', '--account', ACCOUNT]);

    expect(result.status).toBe(1);
    expect(result.stderr).toContain(message);
  });
});

const endpoint = inject('motoEndpoint');

describe.skipIf(endpoint === null)('iam-policy syntax', () => {
  // moto's IAM checks a policy document's syntax when it is created: the version, Sid
  // uniqueness, actions, ARN formats and condition operators.
  it.each([
    ['reader', ['reader', '--account', ACCOUNT]],
    ['reader with conditions', ['reader', '--account', ACCOUNT, '-k', KEY_ID, '--name', 'app/*', '--name', 'x?', '--bind-name', 'env=prod']],
    ['writer', ['writer', '--account', ACCOUNT, '--name', 'app/*']],
    ['setup', ['setup', '--account', ACCOUNT, '--create-key', '-k', 'alias/payments']],
  ])('%s is accepted by IAM', async (title, args) => {
    const document = JSON.stringify(await policy(args));
    const iam = new IAMClient({ endpoint: endpoint ?? '', region: 'us-east-1', credentials: TEST_CREDENTIALS });

    const created = await iam.send(new CreatePolicyCommand({ PolicyName: `credstash-${title.replace(/ /g, '-')}-${Date.now()}`, PolicyDocument: document }));
    iam.destroy();

    expect(created.Policy?.Arn).toMatch(/^arn:aws:iam::\d{12}:policy\/credstash-/);
  });
});
