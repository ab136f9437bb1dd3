import type { KMSClient } from '@aws-sdk/client-kms';

import { EncryptionContextError, InvalidArgumentError, KeyProviderError } from '../errors/index.js';
import { buildClientConfig, describeAwsError, describeClientTarget, sendOptionsOf, validateClientOptions, type AwsClientOptions, type SendOptions } from '../lib/aws-client-options.js';
import type { CreateKeyOptions, DataKey, DecryptDataKeyRequest, GenerateDataKeyRequest, KeyProvider } from './key-provider.js';
import { createKmsKey } from './lib/create-kms-key.js';
import { requireOptionsObject } from '../lib/constructor-options.js';

/**
 * Options of {@link KmsKeyProvider}.
 *
 * @example
 * ```ts
 * new KmsKeyProvider({ keyId: 'alias/credstash', region: 'us-east-1', requestTimeout: 3000, maxAttempts: 5 });
 * ```
 */
export interface KmsKeyProviderOptions extends AwsClientOptions {
  /** KMS key that wraps new data keys: a key id, an alias (`alias/...`) or an ARN. @default "alias/credstash" */
  readonly keyId?: string;
  /** A ready KMS client. When given, the connection options above are ignored. */
  readonly client?: KMSClient;
}

/**
 * KMS key used when none is configured, as in Python credstash.
 *
 * @example
 * ```ts
 * new KmsKeyProvider({ keyId: DEFAULT_KMS_KEY }); // same as new KmsKeyProvider()
 * ```
 */
export const DEFAULT_KMS_KEY = 'alias/credstash';

type KmsModule = typeof import('./lib/kms-sdk.js');

/**
 * Key provider backed by AWS KMS `GenerateDataKey` and `Decrypt`.
 * The KMS SDK module is loaded, and the client created, on the first call, so importing
 * credstash-ts stays fast. One client serves every call of the provider.
 *
 * @example
 * ```ts
 * const keys = new KmsKeyProvider({ keyId: 'alias/credstash', region: 'eu-west-1' });
 * const credstash = new Credstash({ keyProvider: keys });
 * ```
 */
export class KmsKeyProvider implements KeyProvider {
  /** Key that wraps new data keys unless a put names another. */
  readonly keyId: string;
  readonly #options: KmsKeyProviderOptions;
  readonly #sendOptions: SendOptions;
  #ready: Promise<{ sdk: KmsModule; client: KMSClient }> | undefined;

  constructor(kmsOptions: KmsKeyProviderOptions = {}) {
    const options = requireOptionsObject(kmsOptions, 'KmsKeyProvider', 'an options object or nothing');
    validateClientOptions(options);
    if (options.keyId !== undefined && (typeof options.keyId !== 'string' || options.keyId === '')) {
      throw new InvalidArgumentError('keyId', 'invalid keyId: pass a KMS key id, alias or ARN such as "alias/credstash".');
    }
    this.keyId = options.keyId ?? DEFAULT_KMS_KEY;
    this.#options = options;
    this.#sendOptions = sendOptionsOf(options);
  }

  async generateDataKey(request: GenerateDataKeyRequest): Promise<DataKey> {
    const { sdk, client } = await this.#load();
    const keyId = request.keyId ?? this.keyId;

    try {
      const response = await client.send(
        new sdk.GenerateDataKeyCommand({
          KeyId: keyId,
          NumberOfBytes: request.numberOfBytes,
          EncryptionContext: { ...request.context },
        }),
        this.#sendOptions,
      );
      if (response.Plaintext === undefined || response.CiphertextBlob === undefined) {
        throw new KeyProviderError(`KMS GenerateDataKey for key ${keyId} returned no key material.`);
      }
      return { plaintext: response.Plaintext, ciphertextBlob: response.CiphertextBlob };
    } catch (error) {
      if (error instanceof KeyProviderError) {
        throw error;
      }
      const target = await describeClientTarget(client, 'KMS');
      // KMS answered, so the key, its region or the caller's permissions are the likely cause;
      // without an answer the connection settings are.
      const advice = answeredByKms(error)
        ? 'Check that the key or alias exists in that region and that the caller may use it.'
        : 'Check the endpoint, the network and the timeouts.';
      throw new KeyProviderError(`KMS GenerateDataKey with key ${keyId} failed (${target}): ${describeAwsError(error)}. ${advice}`, { cause: error });
    }
  }

  async decryptDataKey(request: DecryptDataKeyRequest): Promise<Uint8Array> {
    const { sdk, client } = await this.#load();

    try {
      const response = await client.send(
        new sdk.DecryptCommand({ CiphertextBlob: request.ciphertextBlob, EncryptionContext: { ...request.context } }),
        this.#sendOptions,
      );
      if (response.Plaintext === undefined) {
        throw new KeyProviderError('KMS Decrypt returned no plaintext.');
      }
      return response.Plaintext;
    } catch (error) {
      if (error instanceof KeyProviderError) {
        throw error;
      }
      throw await this.#decryptError(error, client, Object.keys(request.context).length > 0);
    }
  }

  /**
   * Creates a symmetric encryption key and an alias pointing to it, unless the alias exists.
   * The alias is `options.keyId` when given, else {@link keyId}. This replaces the step that is otherwise done by hand in the KMS console. An existing
   * alias is reused when its key is enabled and symmetric. Safe to run twice, also at once.
   * Needs kms:DescribeKey, kms:CreateKey, kms:TagResource and kms:CreateAlias, and
   * kms:ScheduleKeyDeletion to retire its own key when another setup wins a race.
   *
   * @throws InvalidArgumentError when the alias is not an alias name (`alias/...`).
   * @example
   * ```ts
   * await new KmsKeyProvider({ region: 'eu-west-1' }).createKey({ tags: { team: 'payments' } }); // "created" or "exists"
   * ```
   */
  async createKey(options: CreateKeyOptions = {}): Promise<'created' | 'exists'> {
    const alias: unknown = options.keyId ?? this.keyId;
    if (typeof alias !== 'string' || !alias.startsWith('alias/') || alias === 'alias/') {
      throw new InvalidArgumentError(
        'keyId',
        `cannot create KMS key ${JSON.stringify(alias)}: setup creates keys only for an alias name such as "alias/credstash". ` +
          'Configure an alias name (with the region option for another region), or create the key yourself.',
      );
    }
    const { sdk, client } = await this.#load();
    return createKmsKey(sdk, client, alias, options.tags ?? {}, this.#sendOptions);
  }

  async #decryptError(error: unknown, client: KMSClient, hasContext: boolean): Promise<KeyProviderError> {
    // KMS returns the same InvalidCiphertextException for a wrong context, a missing context
    // and a damaged wrapped key, so the reason is inferred from whether a context was passed.
    if (error instanceof Error && error.name === 'InvalidCiphertextException') {
      return hasContext
        ? new EncryptionContextError(
            'mismatch',
            'KMS could not decrypt the data key: the encryption context given may not match the one the secret was stored with, or the wrapped key was modified.',
            { cause: error },
          )
        : new EncryptionContextError(
            'missing',
            'KMS could not decrypt the data key: the secret may require an encryption context, or the wrapped key was modified.',
            { cause: error },
          );
    }
    const target = await describeClientTarget(client, 'KMS');
    return new KeyProviderError(`KMS Decrypt failed (${target}): ${describeAwsError(error)}.`, { cause: error });
  }

  #load(): Promise<{ sdk: KmsModule; client: KMSClient }> {
    this.#ready ??= import('./lib/kms-sdk.js').then((sdk) => ({
      sdk,
      client: this.#options.client ?? new sdk.KMSClient(buildClientConfig(this.#options)),
    }));
    return this.#ready;
  }
}

function answeredByKms(error: unknown): boolean {
  const status = (error as { $metadata?: { httpStatusCode?: unknown } } | null)?.$metadata?.httpStatusCode;
  return typeof status === 'number' && status >= 400 && status < 500;
}
