import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

import { CreateAliasCommand, CreateKeyCommand, KMSClient, ListResourceTagsCommand } from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import { Credstash, DynamoDbTableProvider, KmsKeyProvider, loadEnvironment } from '../../src/index.js';
import { FaultProxy, type RequestRecord } from '../support/fault-proxy.js';
import { createKmsKey, TEST_CREDENTIALS } from '../support/moto.js';
import { uniqueTable } from '../interop/support/interop.js';
import { isolatedEnv, makeTempDir, runCli, type ProcessResult } from './support/processes.js';

// Proves that `iam-policy` grants each role exactly the actions its operations use. Every
// command and library call of the role runs against moto through the request-counting proxy,
// also on the paths that only a lost response or a lost race takes. The IAM actions those
// requests need must equal the actions the policy grants, and each request's region and
// table must fall under a statement that grants its action. Conditions are not evaluated.

const endpoint = inject('motoEndpoint');

// moto's default account, which owns every table and key it creates.
const ACCOUNT = '123456789012';
const TABLE_REGION = 'us-east-1';
// The key lives in another region, so that a policy with the wrong region for KMS or for
// DynamoDB fails the resource check.
const KMS_REGION = 'us-west-2';

interface Policy {
  readonly Statement: readonly { readonly Action: readonly string[]; readonly Resource: string | readonly string[]; readonly Condition?: Record<string, Record<string, unknown>> }[];
}

/**
 * IAM actions a request needs: its own operation, plus TagResource for a CreateKey or a
 * CreateTable that carries tags (setup always tags both). The AWS KMS Developer Guide
 * ("Controlling access to tags") requires kms:TagResource for tags added when a key is
 * created, and DynamoDB likewise checks dynamodb:TagResource for CreateTable with Tags.
 */
function actionsOf(record: RequestRecord): string[] {
  const [service, operation] = record.operation.split('.') as [string, string];
  const action = `${service === 'KMS' ? 'kms' : 'dynamodb'}:${operation}`;
  if (action === 'kms:CreateKey') {
    return [action, 'kms:TagResource'];
  }
  return action === 'dynamodb:CreateTable' ? [action, 'dynamodb:TagResource'] : [action];
}

function grantedActions(policy: Policy): string[] {
  return [...new Set(policy.Statement.flatMap((statement) => statement.Action))].sort();
}

function usedActions(log: readonly RequestRecord[]): string[] {
  return [...new Set(log.flatMap(actionsOf))].sort();
}

// IAM's "*" matches any run of characters in a resource; the ARNs here contain no "?".
function matchesResource(pattern: string, arn: string): boolean {
  return new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\/]/g, '\\$&')).join('.*')}$`).test(arn);
}

/** Returns the requests whose region or table no statement granting their action covers. */
function uncoveredRequests(policy: Policy, log: readonly RequestRecord[], table: string): RequestRecord[] {
  const tableArn = `arn:aws:dynamodb:${TABLE_REGION}:${ACCOUNT}:table/${table}`;
  return log.filter((record) => {
    const dynamodb = record.operation.startsWith('DynamoDB.');
    const arn = dynamodb ? (record.resourceArn ?? `arn:aws:dynamodb:${record.region}:${ACCOUNT}:table/${record.tableName}`) : `arn:aws:kms:${record.region}:${ACCOUNT}:key/any-key-id`;
    if (dynamodb && arn !== tableArn) {
      return true;
    }
    return !actionsOf(record).every((action) =>
      policy.Statement.some((statement) => statement.Action.includes(action) && [statement.Resource].flat().some((resource) => resource === '*' || matchesResource(resource, arn))),
    );
  });
}

describe.skipIf(endpoint === null)('iam-policy actions on moto', { timeout: 180_000 }, () => {
  const motoUrl = endpoint ?? '';
  const table = uniqueTable('iam-proof');
  let proxy: FaultProxy;
  let home: { path: string; remove: () => Promise<void> };
  let alias: string;

  function cli(args: readonly string[]): Promise<ProcessResult> {
    const env = isolatedEnv(home.path, { AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing' });
    return runCli(['--endpoint-url', proxy.url, '-r', TABLE_REGION, '--kms-region', KMS_REGION, '-t', table, ...args], { env });
  }

  async function cliOk(args: readonly string[]): Promise<ProcessResult> {
    const result = await cli(args);
    expect(result.status, `${args.join(' ')}: ${result.stderr}`).toBe(0);
    return result;
  }

  async function policyFor(role: string, ...flags: string[]): Promise<Policy> {
    const result = await cliOk(['iam-policy', role, '--account', ACCOUNT, '-k', alias, ...flags]);
    return JSON.parse(result.text) as Policy;
  }

  /** Creates a Credstash whose requests go through the proxy, for the calls the CLI does not make. */
  function libraryStore(tableName = table, keyId = alias): Credstash {
    return new Credstash({
      keyProvider: new KmsKeyProvider({ keyId, endpoint: proxy.url, region: KMS_REGION, credentials: TEST_CREDENTIALS }),
      tableProvider: new DynamoDbTableProvider({ tableName, endpoint: proxy.url, region: TABLE_REGION, credentials: TEST_CREDENTIALS }),
    });
  }

  beforeAll(async () => {
    home = await makeTempDir('iam-proof');
    proxy = await FaultProxy.start(motoUrl);
    alias = await createKmsKey(KMS_REGION);

    // The table and secrets every role works on, made before the counts start.
    const direct = new Credstash({
      keyProvider: new KmsKeyProvider({ keyId: alias, endpoint: motoUrl, region: KMS_REGION, credentials: TEST_CREDENTIALS }),
      tableProvider: new DynamoDbTableProvider({ tableName: table, endpoint: motoUrl, region: TABLE_REGION, credentials: TEST_CREDENTIALS }),
    });
    await direct.setup();
    await direct.putSecret('app_db', 'db-1', { version: 1 });
    await direct.putSecret('app_db', 'db-2', { version: 2 });
    await direct.putSecret('app_token', 'token');
  });

  afterAll(async () => {
    await proxy?.close();
    await home?.remove();
  });

  it('grants the reader exactly its actions', async () => {
    const policy = await policyFor('reader');
    proxy.resetCounts();

    await cliOk(['get', 'app_db']);
    await cliOk(['get', '-v', '1', 'app_db']);
    await cliOk(['get', 'app_*']);
    await cliOk(['getall']);
    await cliOk(['keys']);
    await cliOk(['list']);
    await cliOk(['exec', '--', process.execPath, '-e', '']);
    const store = libraryStore();
    await store.getHighestVersion('app_db');
    await store.listSecrets();
    await loadEnvironment(store, { names: ['app_db'] });
    await loadEnvironment(store, { pattern: 'app_*' });
    const log = proxy.requestLog();

    expect(usedActions(log)).toEqual(['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:Scan', 'kms:Decrypt']);
    expect(grantedActions(policy)).toEqual(usedActions(log));
    expect(uncoveredRequests(policy, log, table)).toEqual([]);
  });

  it('grants a reader without Scan its actions', async () => {
    const policy = await policyFor('reader', '--no-scan', '--name', 'app_*');
    proxy.resetCounts();

    await cliOk(['get', 'app_db']);
    await cliOk(['get', '-v', '2', 'app_db']);
    await loadEnvironment(libraryStore(), { names: ['app_db', 'app_token'] });
    const log = proxy.requestLog();

    expect(grantedActions(policy)).toEqual(usedActions(log));
    expect(uncoveredRequests(policy, log, table)).toEqual([]);
    expect(policy.Statement[0]?.Condition).toEqual({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': 'app_*' } });
  });

  it('grants the writer exactly its actions', async () => {
    const policy = await policyFor('writer');
    proxy.resetCounts();

    await cliOk(['put', '-k', alias, 'w_new', 'v']);
    await cliOk(['put', '-k', alias, '-a', 'w_new', 'v2']);
    const conflict = await cli(['put', '-k', alias, '-v', '1', 'w_new', 'v3']);
    await cliOk(['putall', '-k', alias, '{"w_a": "1", "w_b": "2"}']);
    await cliOk(['delete', 'w_a']);
    const store = libraryStore();
    await store.deleteSecret('w_b', 0);
    // The put reaches moto but its response is lost, so the SDK's retry meets its own item
    // and putSecret reads it back with GetItem to tell that apart from another writer's.
    proxy.script('DynamoDB.PutItem', 'resetAfter');
    await store.putSecret('w_lost', 'v', { version: 1 });
    const log = proxy.requestLog();

    expect(conflict.status).toBe(1);
    expect(conflict.stderr).toContain('w_new version 0000000000000000002 is already in the credential store');
    expect(usedActions(log)).toEqual(['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'kms:GenerateDataKey']);
    expect(grantedActions(policy)).toEqual(usedActions(log));
    expect(uncoveredRequests(policy, log, table)).toEqual([]);
    expect(log.filter((record) => record.operation === 'KMS.GenerateDataKey').map((record) => record.keyId)).toEqual(Array.from({ length: 6 }, () => alias));
  });

  it('grants setup exactly its actions', async () => {
    const setupTable = uniqueTable('iam-proof-setup');
    const lostTable = uniqueTable('iam-proof-lost');
    const policy = JSON.parse((await cliOk(['-t', setupTable, 'iam-policy', 'setup', '--account', ACCOUNT])).text) as Policy;
    const lostPolicy = JSON.parse((await cliOk(['-t', lostTable, 'iam-policy', 'setup', '--account', ACCOUNT])).text) as Policy;
    proxy.resetCounts();

    await cliOk(['-t', setupTable, 'setup', '--tags', 'team=payments']);
    await cliOk(['-t', setupTable, 'setup']);
    const setupLog = proxy.requestLog();
    // A CreateTable whose response was lost: the retry finds the table, and setup reads its
    // creation time to tell whether the lost attempt created it.
    proxy.resetCounts();
    proxy.script('DynamoDB.CreateTable', 'resetAfter');
    expect(await libraryStore(lostTable).setup()).toBe('created');
    const lostLog = proxy.requestLog();

    expect(usedActions([...setupLog, ...lostLog])).toEqual(['dynamodb:CreateTable', 'dynamodb:DescribeTable', 'dynamodb:TagResource']);
    expect(grantedActions(policy)).toEqual(usedActions([...setupLog, ...lostLog]));
    expect(uncoveredRequests(policy, setupLog, setupTable)).toEqual([]);
    expect(uncoveredRequests(lostPolicy, lostLog, lostTable)).toEqual([]);
  });

  it('grants setup --create-key exactly its actions', async () => {
    const setupTable = uniqueTable('iam-proof-key');
    const raceTable = uniqueTable('iam-proof-race');
    const newAlias = `alias/iam-proof-${randomUUID()}`;
    const raceAlias = `alias/iam-proof-race-${randomUUID()}`;
    const policy = JSON.parse((await cliOk(['-t', setupTable, 'iam-policy', 'setup', '--create-key', '--account', ACCOUNT, '-k', newAlias])).text) as Policy;
    proxy.resetCounts();

    await cliOk(['-t', setupTable, 'setup', '--create-key', '-k', newAlias]);
    await cliOk(['-t', setupTable, 'setup', '--create-key', '-k', newAlias]);
    const setupLog = proxy.requestLog();
    proxy.resetCounts();
    const raceLog = await loseKeyRace(raceTable, raceAlias);
    const racePolicy = JSON.parse((await cliOk(['-t', raceTable, 'iam-policy', 'setup', '--create-key', '--account', ACCOUNT, '-k', raceAlias])).text) as Policy;

    const log = [...setupLog, ...raceLog];
    expect(usedActions(log)).toEqual([
      'dynamodb:CreateTable',
      'dynamodb:DescribeTable',
      'dynamodb:TagResource',
      'kms:CreateAlias',
      'kms:CreateKey',
      'kms:DescribeKey',
      'kms:ScheduleKeyDeletion',
      'kms:TagResource',
    ]);
    expect(grantedActions(policy)).toEqual(usedActions(log));
    expect(uncoveredRequests(policy, setupLog, setupTable)).toEqual([]);
    expect(uncoveredRequests(racePolicy, raceLog, raceTable)).toEqual([]);
    expect(setupLog.filter((record) => record.operation === 'KMS.CreateAlias').map((record) => record.keyId)).toEqual([newAlias]);
  });

  /**
   * Runs setup --create-key in the library while another setup creates the alias first: the
   * first CreateKey is held at the proxy, and the alias is made directly on moto meanwhile.
   * Returns the losing setup's requests, and checks that the key it retired carries the
   * Name=credstash tag that the policy's ScheduleKeyDeletion condition requires.
   */
  async function loseKeyRace(raceTable: string, raceAlias: string): Promise<readonly RequestRecord[]> {
    proxy.configure({ delayMs: 3_000 });
    proxy.script('KMS.CreateKey', 'delay');
    const losing = libraryStore(raceTable, raceAlias).setup({ createKey: true });
    const deadline = Date.now() + 10_000;
    while ((proxy.counts().requests['KMS.CreateKey'] ?? 0) === 0 && Date.now() < deadline) {
      await sleep(20);
    }

    const kms = new KMSClient({ endpoint: motoUrl, region: KMS_REGION, credentials: TEST_CREDENTIALS });
    const winner = await kms.send(new CreateKeyCommand({}));
    await kms.send(new CreateAliasCommand({ AliasName: raceAlias, TargetKeyId: winner.KeyMetadata?.KeyId }));
    expect(await losing).toEqual({ table: 'created', key: 'exists' });

    const log = proxy.requestLog();
    const retired = log.find((record) => record.operation === 'KMS.ScheduleKeyDeletion')?.keyId;
    const { Tags } = await kms.send(new ListResourceTagsCommand({ KeyId: retired }));
    kms.destroy();
    expect(Tags).toContainEqual({ TagKey: 'Name', TagValue: 'credstash' });
    return log;
  }
});
