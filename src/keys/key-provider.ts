/**
 * KMS encryption context: extra authenticated data that must be given again, unchanged,
 * to decrypt. Credstash passes `{}` when the caller gives none.
 *
 * @example
 * ```ts
 * const context: EncryptionContext = { app: 'web', env: 'prod' };
 * await credstash.getSecret('db', { context });
 * ```
 */
export type EncryptionContext = Readonly<Record<string, string>>;

/**
 * A fresh data key in plaintext and in the wrapped form that is stored with the secret.
 *
 * @example
 * ```ts
 * const { plaintext, ciphertextBlob } = await provider.generateDataKey({ numberOfBytes: 64, context: {} });
 * ```
 */
export interface DataKey {
  /** Plaintext key material. The store zeroes it as soon as the secret is sealed. */
  readonly plaintext: Uint8Array;
  /** Wrapped key, stored base64-encoded in the item's `key` attribute. */
  readonly ciphertextBlob: Uint8Array;
}

/**
 * Arguments of {@link KeyProvider.generateDataKey}.
 *
 * @example
 * ```ts
 * const dataKey = await provider.generateDataKey({ numberOfBytes: 64, context: { env: 'prod' } });
 * ```
 */
export interface GenerateDataKeyRequest {
  /** Length of the plaintext key in bytes. Credstash always requests 64. */
  readonly numberOfBytes: number;
  readonly context: EncryptionContext;
  /** Key to wrap with instead of the provider's configured one (the CLI's `put -k`). */
  readonly keyId?: string;
}

/**
 * Arguments of {@link KeyProvider.decryptDataKey}.
 *
 * @example
 * ```ts
 * const plaintext = await provider.decryptDataKey({ ciphertextBlob, context: { env: 'prod' } });
 * ```
 */
export interface DecryptDataKeyRequest {
  readonly ciphertextBlob: Uint8Array;
  readonly context: EncryptionContext;
}

/**
 * Options of {@link KeyProvider.createKey}.
 *
 * @example
 * ```ts
 * await keyProvider.createKey?.({ tags: { team: 'payments' } });
 * ```
 */
export interface CreateKeyOptions {
  /** Tags for a new key besides `Name=credstash`, where the key service has tags. */
  readonly tags?: Readonly<Record<string, string>>;
  /** Key to create instead of the provider's configured one (the CLI's `setup --create-key -k`). */
  readonly keyId?: string;
}

/**
 * Source of data keys: makes a fresh key per secret and unwraps stored keys.
 * The store checks key lengths and zeroes plaintext keys, so a provider only talks to its
 * key service. Throw a {@link KeyProviderError} (or a subclass) to report a failure;
 * anything else a provider throws is wrapped in one.
 *
 * @example
 * ```ts
 * const provider: KeyProvider = {
 *   async generateDataKey({ numberOfBytes, context }) {
 *     return myKeyService.generate(numberOfBytes, context);
 *   },
 *   async decryptDataKey({ ciphertextBlob, context }) {
 *     return myKeyService.decrypt(ciphertextBlob, context);
 *   },
 * };
 * ```
 */
export interface KeyProvider {
  generateDataKey(request: GenerateDataKeyRequest): Promise<DataKey>;
  /** Returns the plaintext data key; the store zeroes it after use. */
  decryptDataKey(request: DecryptDataKeyRequest): Promise<Uint8Array>;
  /**
   * Creates the key that wraps data keys unless it exists, and returns which. Optional:
   * `setup({ createKey: true })` calls it and rejects when a provider lacks it. It must be
   * safe to call twice, also at once.
   */
  createKey?(options: CreateKeyOptions): Promise<'created' | 'exists'>;
}
