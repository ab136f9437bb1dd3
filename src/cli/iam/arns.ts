import { usageError } from '../lib/cli-error.js';

/** A KMS key as an IAM statement can name it: the key ARN, or every key with a condition on its alias. */
export type KeyResource =
  | { readonly kind: 'key'; readonly arn: string }
  | { readonly kind: 'alias'; readonly keysArn: string; readonly aliasArn: string; readonly alias: string };

// Region prefixes of the AWS partitions other than "aws", from the partitions table of
// @aws-sdk/core (util-endpoints).
const PARTITIONS: readonly (readonly [string, string])[] = [
  ['eusc-', 'aws-eusc'],
  ['us-isob-', 'aws-iso-b'],
  ['us-isof-', 'aws-iso-f'],
  ['eu-isoe-', 'aws-iso-e'],
  ['us-iso-', 'aws-iso'],
  ['us-gov-', 'aws-us-gov'],
  ['cn-', 'aws-cn'],
];

const REGION = /^[a-z]+(-[a-z]+)+-\d+$/;
const ACCOUNT = /^\d{12}$/;
const TABLE_NAME = /^[A-Za-z0-9_.-]{3,255}$/;
const TABLE_ARN = /^arn:[a-z-]+:dynamodb:[a-z0-9-]+:\d{12}:table\/[A-Za-z0-9_.-]{3,255}$/;
const KEY_ID = /^(mrk-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;
const ALIAS_NAME = /^alias\/[A-Za-z0-9/_-]+$/;
const KEY_ARN = /^arn:([a-z-]+):kms:([a-z0-9-]+):(\d{12}):key\/(mrk-[0-9a-f]{32}|[0-9a-f-]{36})$/;
const ALIAS_ARN = /^arn:([a-z-]+):kms:([a-z0-9-]+):(\d{12}):(alias\/[A-Za-z0-9/_-]+)$/;

/** Returns the partition of a region: `aws-cn` for `cn-north-1`, `aws` for `eu-west-1`. */
export function partitionOf(region: string): string {
  return PARTITIONS.find(([prefix]) => region.startsWith(prefix))?.[1] ?? 'aws';
}

/** Rejects a region that cannot appear in an ARN, such as a typo or an empty value. */
export function checkRegion(region: string, flag: string): string {
  if (!REGION.test(region)) {
    throw usageError(`invalid ${flag} ${JSON.stringify(region)}: expected an AWS region such as eu-west-1.`);
  }
  return region;
}

/** Rejects an account that is not a 12-digit AWS account id. */
export function checkAccount(account: string): string {
  if (!ACCOUNT.test(account)) {
    throw usageError(`invalid --account ${JSON.stringify(account)}: expected a 12-digit AWS account id, as "aws sts get-caller-identity" prints.`);
  }
  return account;
}

/** Returns the ARN of the credstash table; a table given as an ARN is used as it is. */
export function tableArn(table: string, region: string, account: string): string {
  if (TABLE_ARN.test(table)) {
    return table;
  }
  if (!TABLE_NAME.test(table)) {
    throw usageError(`invalid -t ${JSON.stringify(table)}: DynamoDB table names have 3 to 255 characters from A-Z, a-z, 0-9, "_", "-" and ".", or are a table ARN.`);
  }
  return `arn:${partitionOf(region)}:dynamodb:${region}:${account}:table/${table}`;
}

/**
 * Returns the IAM resource of a KMS key given as a key id, key ARN, alias name or alias ARN.
 * IAM statements cannot name a key by its alias, so an alias becomes every key of the
 * account and region, narrowed by a condition on the alias.
 */
export function keyResource(key: string, region: string, account: string): KeyResource {
  const partition = partitionOf(region);
  if (KEY_ID.test(key)) {
    return { kind: 'key', arn: `arn:${partition}:kms:${region}:${account}:key/${key}` };
  }
  if (KEY_ARN.test(key)) {
    return { kind: 'key', arn: key };
  }
  if (ALIAS_NAME.test(key)) {
    return { kind: 'alias', keysArn: `arn:${partition}:kms:${region}:${account}:key/*`, aliasArn: `arn:${partition}:kms:${region}:${account}:${key}`, alias: key };
  }

  const aliasArn = ALIAS_ARN.exec(key);
  if (aliasArn !== null) {
    const [, arnPartition, arnRegion, arnAccount, alias] = aliasArn as unknown as [string, string, string, string, string];
    return { kind: 'alias', keysArn: `arn:${arnPartition}:kms:${arnRegion}:${arnAccount}:key/*`, aliasArn: key, alias };
  }
  throw usageError(`invalid -k ${JSON.stringify(key)}: pass a KMS key id, key ARN, alias name (alias/credstash) or alias ARN.`);
}
