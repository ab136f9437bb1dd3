import type { EncryptionContext } from '../../keys/key-provider.js';
import { NAME_CONTEXT_KEY } from '../../store/lib/name-binding.js';
import { usageError } from '../lib/cli-error.js';
import { keyResource, tableArn, type KeyResource } from './arns.js';

/** The three sets of permissions: reading secrets, writing and deleting them, and setup. */
export type IamRole = 'reader' | 'writer' | 'setup';

/** Every role, in the order the help lists them. */
export const IAM_ROLES: readonly IamRole[] = ['reader', 'writer', 'setup'];

/** Options of {@link buildIamPolicy}: the role, the table and key, and optional narrowing. */
export interface IamPolicyOptions {
  readonly role: IamRole;
  /** Table name or table ARN. */
  readonly table: string;
  readonly region: string;
  readonly kmsRegion: string;
  readonly account: string;
  /** KMS key id, key ARN, alias name or alias ARN. */
  readonly key: string;
  /** Encryption context pairs that every secret of the role is stored with. */
  readonly context: EncryptionContext;
  /** Name patterns (only `*` is special) that limit the items and, with `bindName`, the keys' use. */
  readonly names: readonly string[];
  /** The secrets are stored with `bindName`, so KMS can check their names. */
  readonly bindName: boolean;
  /** Grant `dynamodb:Scan`, which `getall`, `list`, `keys`, `exec` and pattern reads use. */
  readonly scan: boolean;
  /** Grant what `setup --create-key` needs on KMS. */
  readonly createKey: boolean;
}

type ConditionValues = Readonly<Record<string, string | readonly string[]>>;

/** One statement of an IAM policy, with its keys in the order AWS documents them. */
export interface PolicyStatement {
  readonly Sid: string;
  readonly Effect: 'Allow';
  readonly Action: readonly string[];
  readonly Resource: string | readonly string[];
  readonly Condition?: Readonly<Record<string, ConditionValues>>;
}

/** An IAM policy document. */
export interface PolicyDocument {
  readonly Version: '2012-10-17';
  readonly Statement: readonly PolicyStatement[];
}

// The DynamoDB and KMS requests of each role, found by reading src/store and src/tables and
// checked against moto by test/cli/iam-policy-actions.test.ts.
const READ_ITEM_ACTIONS = ['dynamodb:GetItem', 'dynamodb:Query'];
const WRITE_ITEM_ACTIONS = ['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query'];
const SETUP_TABLE_ACTIONS = ['dynamodb:CreateTable', 'dynamodb:DescribeTable', 'dynamodb:TagResource'];
// Setup creates keys tagged Name=credstash, and only such keys may be scheduled for deletion.
const KEY_TAG = 'credstash';

/**
 * Builds the least-privilege IAM policy of a role: exactly the DynamoDB and KMS actions its
 * commands send, on the table and key given. docs/iam.md explains each statement.
 */
export function buildIamPolicy(options: IamPolicyOptions): PolicyDocument {
  checkCombination(options);
  const table = tableArn(options.table, options.region, options.account);
  const key = keyResource(options.key, options.kmsRegion, options.account);

  switch (options.role) {
    case 'reader':
      return policy([
        statement('ReadSecretItems', READ_ITEM_ACTIONS, table, itemConditions(options)),
        ...(options.scan ? [statement('ScanSecretItems', ['dynamodb:Scan'], table)] : []),
        statement('DecryptSecrets', ['kms:Decrypt'], keyArnOf(key), keyConditions(key, options)),
      ]);
    case 'writer':
      return policy([
        statement('WriteSecretItems', WRITE_ITEM_ACTIONS, table, itemConditions(options)),
        statement('GenerateDataKeys', ['kms:GenerateDataKey'], keyArnOf(key), keyConditions(key, options)),
      ]);
    case 'setup':
      return policy([statement('CreateTable', SETUP_TABLE_ACTIONS, table), ...(options.createKey ? createKeyStatements(key) : [])]);
  }
}

// The KMS requests of setup --create-key. CreateKey sends Tags, which need kms:TagResource on
// "*" because the key does not exist yet. DescribeKey looks the alias up, CreateAlias needs
// the alias and the new key, and ScheduleKeyDeletion retires its own key after a lost race.
function createKeyStatements(key: KeyResource): PolicyStatement[] {
  if (key.kind !== 'alias') {
    throw usageError('setup --create-key creates a key and points an alias at it, so -k must be an alias name such as alias/credstash.');
  }
  return [
    statement('CreateKey', ['kms:CreateKey', 'kms:TagResource'], '*'),
    statement('DescribeKey', ['kms:DescribeKey'], key.keysArn),
    statement('CreateAlias', ['kms:CreateAlias'], [key.aliasArn, key.keysArn]),
    statement('ScheduleUnusedKeyDeletion', ['kms:ScheduleKeyDeletion'], key.keysArn, { StringEquals: { 'aws:ResourceTag/Name': KEY_TAG } }),
  ];
}

function checkCombination(options: IamPolicyOptions): void {
  if (options.role === 'setup') {
    const narrowing = [
      [Object.keys(options.context).length > 0, 'KEY=VALUE'],
      [options.names.length > 0, '--name'],
      [options.bindName, '--bind-name'],
      [!options.scan, '--no-scan'],
    ] as const;
    const given = narrowing.filter(([present]) => present).map(([, flag]) => flag);
    if (given.length > 0) {
      throw usageError(`${given.join(', ')} narrow the reader and writer policies; the setup policy has no secret names or contexts. Leave them out.`);
    }
    return;
  }
  if (options.createKey) {
    throw usageError('--create-key adds the KMS permissions of setup --create-key, so it applies to the setup policy only.');
  }
  if (options.bindName && options.names.length === 0) {
    throw usageError('--bind-name limits KMS use to the names given with --name. Add --name PATTERN.');
  }
  if (options.role === 'writer' && !options.scan) {
    throw usageError('--no-scan applies to the reader policy; the writer policy grants no Scan.');
  }
}

function itemConditions(options: IamPolicyOptions): PolicyStatement['Condition'] {
  if (options.names.length === 0) {
    return undefined;
  }
  return { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': oneOrMany(options.names.map(toIamPattern)) } };
}

function keyConditions(key: KeyResource, options: IamPolicyOptions): PolicyStatement['Condition'] {
  const conditions: Record<string, ConditionValues> = {};
  if (key.kind === 'alias') {
    conditions['ForAnyValue:StringEquals'] = { 'kms:ResourceAliases': key.alias };
  }

  const contextKeys = Object.keys(options.context).sort();
  if (contextKeys.length > 0) {
    conditions['StringEquals'] = Object.fromEntries(contextKeys.map((name) => [`kms:EncryptionContext:${name}`, options.context[name] as string]));
  }
  if (options.bindName) {
    conditions['StringLike'] = { [`kms:EncryptionContext:${NAME_CONTEXT_KEY}`]: oneOrMany(options.names.map(toIamPattern)) };
  }
  return Object.keys(conditions).length === 0 ? undefined : conditions;
}

function keyArnOf(key: KeyResource): string {
  return key.kind === 'key' ? key.arn : key.keysArn;
}

// Credstash patterns treat only `*` as special. IAM's StringLike also treats `?` as a
// wildcard and `${...}` as a policy variable, so those characters are written as the policy
// variables `${?}` and `${$}`, which stand for themselves.
function toIamPattern(pattern: string): string {
  return pattern.replace(/[?$]/g, (character) => `\${${character}}`);
}

function oneOrMany(values: readonly string[]): string | readonly string[] {
  const unique = [...new Set(values)];
  return unique.length === 1 ? (unique[0] as string) : unique;
}

function statement(sid: string, actions: readonly string[], resource: string | readonly string[], condition?: PolicyStatement['Condition']): PolicyStatement {
  return { Sid: sid, Effect: 'Allow', Action: [...actions].sort(), Resource: resource, ...(condition === undefined ? {} : { Condition: condition }) };
}

function policy(statements: readonly PolicyStatement[]): PolicyDocument {
  return { Version: '2012-10-17', Statement: statements };
}
