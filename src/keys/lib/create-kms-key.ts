import type { KeyMetadata, KMSClient } from '@aws-sdk/client-kms';

import { KeyProviderError } from '../../errors/index.js';
import { describeAwsError, describeClientTarget, type SendOptions } from '../../lib/aws-client-options.js';

type KmsModule = typeof import('./kms-sdk.js');

/** Description of the keys that setup creates, shown in the KMS console. */
const KEY_DESCRIPTION = 'credstash master key, created by credstash-ts setup';
// KMS's shortest waiting period before a scheduled key is deleted.
const PENDING_WINDOW_DAYS = 7;

/**
 * Creates a symmetric encryption key and points `alias` at it, unless the alias exists.
 *
 * An alias that exists is reused when its key can wrap data keys. When two setups race, both
 * may create a key, but only one CreateAlias succeeds: the other schedules deletion of its
 * own unused key and reports `"exists"`. Uses kms:DescribeKey, kms:CreateKey,
 * kms:TagResource and kms:CreateAlias, plus kms:ScheduleKeyDeletion when a race is lost.
 */
export async function createKmsKey(
  sdk: KmsModule,
  client: KMSClient,
  alias: string,
  tags: Readonly<Record<string, string>>,
  sendOptions: SendOptions,
): Promise<'created' | 'exists'> {
  const existing = await describeAlias(sdk, client, alias, sendOptions);
  if (existing !== undefined) {
    assertUsable(alias, existing);
    return 'exists';
  }

  let keyId: string | undefined;
  try {
    const created = await client.send(
      new sdk.CreateKeyCommand({
        Description: KEY_DESCRIPTION,
        KeySpec: 'SYMMETRIC_DEFAULT',
        KeyUsage: 'ENCRYPT_DECRYPT',
        Tags: [{ TagKey: 'Name', TagValue: 'credstash' }, ...Object.entries(tags).map(([TagKey, TagValue]) => ({ TagKey, TagValue }))],
      }),
      sendOptions,
    );
    keyId = created.KeyMetadata?.KeyId;
  } catch (error) {
    throw await kmsError('CreateKey', error, client);
  }
  if (keyId === undefined) {
    throw new KeyProviderError('KMS CreateKey returned no key id.');
  }

  try {
    await client.send(new sdk.CreateAliasCommand({ AliasName: alias, TargetKeyId: keyId }), sendOptions);
    return 'created';
  } catch (error) {
    const lostRace = error instanceof Error && error.name === 'AlreadyExistsException';
    await retireKey(sdk, client, keyId, alias, error, sendOptions);
    if (!lostRace) {
      throw await kmsError(`CreateAlias ${alias}`, error, client);
    }
  }

  const winner = await describeAlias(sdk, client, alias, sendOptions);
  if (winner === undefined) {
    throw new KeyProviderError(`KMS reported that alias ${alias} exists, but DescribeKey did not find it. Run setup again.`);
  }
  assertUsable(alias, winner);
  return 'exists';
}

async function describeAlias(sdk: KmsModule, client: KMSClient, alias: string, sendOptions: SendOptions): Promise<KeyMetadata | undefined> {
  try {
    const response = await client.send(new sdk.DescribeKeyCommand({ KeyId: alias }), sendOptions);
    return response.KeyMetadata;
  } catch (error) {
    if (error instanceof Error && error.name === 'NotFoundException') {
      return undefined;
    }
    throw await kmsError(`DescribeKey ${alias}`, error, client);
  }
}

// GenerateDataKey works only with an enabled symmetric encryption key.
function assertUsable(alias: string, key: KeyMetadata): void {
  if (key.KeyState !== 'Enabled') {
    throw new KeyProviderError(
      `alias ${alias} points to KMS key ${String(key.KeyId)}, which is ${String(key.KeyState)}. ` +
        'Enable the key or cancel its deletion, or point the alias at an enabled key.',
    );
  }
  if (key.KeySpec !== undefined && key.KeySpec !== 'SYMMETRIC_DEFAULT') {
    throw new KeyProviderError(
      `alias ${alias} points to KMS key ${String(key.KeyId)} of spec ${key.KeySpec}, which cannot generate data keys. ` +
        'Point the alias at a symmetric encryption key (SYMMETRIC_DEFAULT).',
    );
  }
}

// A key that no alias points to is never used but is billed monthly, so it is scheduled for deletion.
// When that fails too, the error names the key so that an operator can delete it.
async function retireKey(sdk: KmsModule, client: KMSClient, keyId: string, alias: string, aliasError: unknown, sendOptions: SendOptions): Promise<void> {
  try {
    await client.send(new sdk.ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: PENDING_WINDOW_DAYS }), sendOptions);
  } catch (error) {
    throw new KeyProviderError(
      `setup created KMS key ${keyId}, but CreateAlias ${alias} failed (${describeAwsError(aliasError)}) ` +
        `and scheduling the unused key for deletion failed too (${describeAwsError(error)}). Schedule deletion of key ${keyId} yourself.`,
      { cause: error },
    );
  }
}

async function kmsError(operation: string, error: unknown, client: KMSClient): Promise<KeyProviderError> {
  const target = await describeClientTarget(client, 'KMS');
  return new KeyProviderError(`KMS ${operation} failed (${target}): ${describeAwsError(error)}.`, { cause: error });
}
