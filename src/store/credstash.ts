import { SecretCache, type SecretCacheOptions } from '../cache/secret-cache.js';
import type { SecretSummary } from '../format/item.js';
import type { KeyProvider } from '../keys/key-provider.js';
import { KmsKeyProvider } from '../keys/kms-key-provider.js';
import type { AwsClientOptions } from '../lib/aws-client-options.js';
import { DynamoDbTableProvider } from '../tables/dynamodb-table-provider.js';
import type { TableProvider } from '../tables/table-provider.js';
import { deleteSecret, deleteSecrets, type DeleteSecretsOptions } from './delete-secrets.js';
import { getAllSecrets, type GetAllSecretsOptions, type PartialSecrets } from './get-all-secrets.js';
import { getHighestVersion } from './get-highest-version.js';
import { getSecret, type GetSecretOptions } from './get-secret.js';
import { validateFlag, validateOptions, validatePositiveInteger } from './lib/validate.js';
import { listSecrets, paginateSecrets, type PaginateSecretsOptions } from './list-secrets.js';
import { putSecret, type PutSecretOptions, type PutSecretResult } from './put-secret.js';
import { setup, type SetupOptions, type SetupResult } from './setup.js';
import type { StoreContext } from './store-context.js';

/**
 * Options of {@link Credstash}. Without providers it uses AWS like Python credstash: KMS
 * key `alias/credstash` and DynamoDB table `credential-store`, configured by the fields
 * below. A provider that is given replaces the matching default, and the AWS fields do not
 * apply to it.
 *
 * @example
 * ```ts
 * const credstash = new Credstash({ region: 'eu-west-1', kmsRegion: 'us-east-1', table: 'prod-secrets' });
 * ```
 */
export interface CredstashOptions extends AwsClientOptions {
  /** Source of data keys. @default a {@link KmsKeyProvider} */
  readonly keyProvider?: KeyProvider;
  /** Storage of items. @default a {@link DynamoDbTableProvider} */
  readonly tableProvider?: TableProvider;
  /** DynamoDB table name. @default `CREDSTASH_DEFAULT_TABLE`, else `"credential-store"` */
  readonly table?: string;
  /** KMS key id, alias or ARN for new secrets. @default "alias/credstash" */
  readonly kmsKey?: string;
  /** Region of the KMS key, when it differs from the table's. @default `region` */
  readonly kmsRegion?: string;
  /** Maximum number of secrets `getAllSecrets` decrypts at once. @default 32 */
  readonly concurrency?: number;
  /**
   * Turns on the read cache of `getSecret`, for services and Lambda handlers that read the
   * same secrets again and again. @default no cache
   */
  readonly cache?: SecretCacheOptions;
  /**
   * Bind every secret to its name: puts add `credstash_name: <name>` to the encryption
   * context, and reads add it again. A reader then rejects an item whose `key`, `contents`
   * and `hmac` were copied from another secret's item, which the credstash format alone
   * cannot detect. Secrets stored without it cannot be read with it; Python credstash
   * reads bound secrets when given the pair, as in
   * `credstash get db/password credstash_name=db/password`. See SECURITY.md.
   * @default false
   */
  readonly bindName?: boolean;
}

/**
 * Default of {@link CredstashOptions.concurrency}: how many KMS Decrypt requests
 * `getAllSecrets` keeps in flight. In the benchmark with 10 ms added to every request
 * (bench/latency.ts, on a 2-core machine), 500 secrets took 385 ms at 16, 241 ms at 32,
 * 231 ms at 64 and 245 ms at 128. Beyond 32 the client's own work per request, not the
 * round trips, set the pace. KMS throttles requests above a per-account quota shared by
 * its cryptographic operations, so a higher default would add throttling risk for little
 * gain. docs/benchmarks.md has the figures.
 *
 * @example
 * ```ts
 * new Credstash({ concurrency: DEFAULT_CONCURRENCY * 2 }); // for a high-latency link
 * ```
 */
export const DEFAULT_CONCURRENCY = 32;

/**
 * A credstash store: secrets sealed with AES-256-CTR and an HMAC under a fresh 64-byte data
 * key per secret, stored as versioned items. Items are byte-compatible with Python
 * credstash 1.17.1 in both directions. All methods return promises and reject with a
 * {@link CredstashError} subclass; none of them prints, exits or touches files other than
 * those of a file provider.
 *
 * @example
 * ```ts
 * import { Credstash } from 'credstash-ts';
 *
 * const credstash = new Credstash({ region: 'eu-west-1' });
 * await credstash.putSecret('db/password', 'hunter2', { autoVersion: true });
 * const password = await credstash.getSecret('db/password');
 * ```
 */
export class Credstash {
  readonly keyProvider: KeyProvider;
  readonly tableProvider: TableProvider;
  readonly #store: StoreContext;
  readonly #cache: SecretCache | undefined;

  constructor(credstashOptions?: CredstashOptions) {
    const options = validateOptions(credstashOptions, 'Credstash');
    const { keyProvider, tableProvider, table, kmsKey, kmsRegion, concurrency, cache, bindName, ...aws } = options;
    const bindsName = validateFlag('bindName', bindName);

    this.keyProvider =
      keyProvider ??
      new KmsKeyProvider({
        ...aws,
        ...(kmsKey === undefined ? {} : { keyId: kmsKey }),
        ...(kmsRegion === undefined ? {} : { region: kmsRegion }),
      });
    this.tableProvider = tableProvider ?? new DynamoDbTableProvider({ ...aws, ...(table === undefined ? {} : { tableName: table }) });
    this.#store = {
      keyProvider: this.keyProvider,
      tableProvider: this.tableProvider,
      concurrency: validatePositiveInteger('concurrency', concurrency, DEFAULT_CONCURRENCY),
      bindName: bindsName,
    };
    this.#cache = cache === undefined ? undefined : new SecretCache(cache);
  }

  /**
   * Encrypts `secret` and stores it under `name` as a new version. Existing versions are
   * never overwritten.
   *
   * @param name - Secret name; any non-empty text up to 2048 bytes.
   * @param secret - Secret text, stored as UTF-8.
   * @returns The name and the padded version stored.
   * @throws VersionExistsError when the version exists (its `highestVersion` names the highest one).
   * @example
   * ```ts
   * await credstash.putSecret('db/password', 's3cret', { version: 2, comment: 'rotated' });
   * const { version } = await credstash.putSecret('db/password', 'n3w', { autoVersion: true });
   * ```
   */
  async putSecret(name: string, secret: string, options?: PutSecretOptions): Promise<PutSecretResult> {
    try {
      return await putSecret(this.#store, name, secret, options);
    } finally {
      // Also after a failure: a put whose response was lost may still have written.
      this.#cache?.invalidate(name);
    }
  }

  /**
   * Reads and decrypts a secret: the latest version unless `version` is given. The HMAC is
   * checked, in constant time, before anything is decrypted. With a `cache`, a fresh entry
   * is returned without a request, and concurrent reads of the same entry share one request.
   *
   * @throws SecretNotFoundError when the name or version does not exist.
   * @throws IntegrityError when the HMAC does not match, so the item was modified.
   * @throws EncryptionContextError when the context is missing or wrong.
   * @throws InvalidItemError, InvalidPlaintextError, KeyProviderError, TableProviderError for damaged items and provider failures.
   * @example
   * ```ts
   * const latest = await credstash.getSecret('db/password');
   * const second = await credstash.getSecret('db/password', { version: 2, context: { env: 'prod' } });
   * const fresh = await credstash.getSecret('db/password', { refresh: true }); // bypasses a cached entry
   * ```
   */
  getSecret(name: string, options?: GetSecretOptions): Promise<string> {
    return this.#cache === undefined ? getSecret(this.#store, name, options) : this.#cache.getSecret(this.#store, name, options);
  }

  /**
   * Drops cached reads: those of one name (every version and context), or all of them.
   * Reads still in flight complete for their callers, but their results are not kept.
   * Does nothing without a `cache`.
   *
   * @example
   * ```ts
   * credstash.clearCache('db/password'); // after rotating it from another process
   * credstash.clearCache(); // everything
   * ```
   */
  clearCache(name?: string): void {
    if (name === undefined) {
      this.#cache?.clear();
    } else {
      this.#cache?.invalidate(name);
    }
  }

  /**
   * Reads the latest version of every secret (or the given `version` of each) in one
   * consistent scan, and decrypts them with bounded concurrency. By default it rejects with
   * a {@link GetAllSecretsError} listing every secret that failed and why; with
   * `allowPartial: true` it resolves with the readable secrets and the failures.
   *
   * @example
   * ```ts
   * const all = await credstash.getAllSecrets({ context: { env: 'prod' } });
   * const { secrets, failures } = await credstash.getAllSecrets({ allowPartial: true });
   * ```
   */
  getAllSecrets(options: GetAllSecretsOptions & { readonly allowPartial: true }): Promise<PartialSecrets>;
  getAllSecrets(options?: GetAllSecretsOptions & { readonly allowPartial?: false }): Promise<Record<string, string>>;
  getAllSecrets(options?: GetAllSecretsOptions): Promise<Record<string, string> | PartialSecrets>;
  getAllSecrets(options?: GetAllSecretsOptions): Promise<Record<string, string> | PartialSecrets> {
    return getAllSecrets(this.#store, options);
  }

  /**
   * Lists the name, version and comment of every stored item, sorted by name and version.
   *
   * @example
   * ```ts
   * for (const { name, version } of await credstash.listSecrets()) console.log(name, version);
   * ```
   */
  listSecrets(): Promise<SecretSummary[]> {
    return listSecrets(this.#store);
  }

  /**
   * Walks every stored item page by page, in constant memory whatever the table size.
   *
   * @example
   * ```ts
   * for await (const page of credstash.paginateSecrets({ pageSize: 500 })) {
   *   for (const { name } of page) console.log(name);
   * }
   * ```
   */
  paginateSecrets(options?: PaginateSecretsOptions): AsyncGenerator<SecretSummary[], void, undefined> {
    return paginateSecrets(this.#store, options);
  }

  /**
   * Returns the highest stored version of a name, padded, or undefined when it has none.
   *
   * @example
   * ```ts
   * await credstash.getHighestVersion('db/password'); // "0000000000000000003"
   * ```
   */
  getHighestVersion(name: string): Promise<string | undefined> {
    return getHighestVersion(this.#store, name);
  }

  /**
   * Deletes one version of a secret.
   *
   * @throws SecretNotFoundError when that version does not exist.
   * @example
   * ```ts
   * await credstash.deleteSecret('db/password', 1);
   * ```
   */
  async deleteSecret(name: string, version: string | number): Promise<void> {
    try {
      await deleteSecret(this.#store, name, version);
    } finally {
      this.#cache?.invalidate(name);
    }
  }

  /**
   * Deletes every version of a secret and returns the padded versions deleted.
   *
   * @example
   * ```ts
   * const deleted = await credstash.deleteSecrets('db/password'); // ["0000000000000000001", ...]
   * ```
   */
  async deleteSecrets(name: string, options?: DeleteSecretsOptions): Promise<string[]> {
    try {
      return await deleteSecrets(this.#store, name, options);
    } finally {
      this.#cache?.invalidate(name);
    }
  }

  /**
   * Creates the table with the credstash key schema unless it exists, waits until it is
   * ready and, when it created it, tags it `Name=credstash` plus `tags`. With
   * `createKey: true` it first creates the key that wraps data keys unless it exists: for
   * AWS KMS, a symmetric key and its alias (`alias/credstash` by default). Safe to run
   * twice, also at once.
   *
   * @returns `"created"`, or `"exists"` when the table was already there; with `createKey`,
   * a {@link SetupResult} for the table and the key.
   * @example
   * ```ts
   * await credstash.setup({ tags: { team: 'payments' } });
   * const { table, key } = await credstash.setup({ createKey: true }); // also alias/credstash
   * ```
   */
  setup(options: SetupOptions & { readonly createKey: true }): Promise<SetupResult>;
  setup(options?: SetupOptions & { readonly createKey?: false }): Promise<'created' | 'exists'>;
  setup(options?: SetupOptions): Promise<'created' | 'exists' | SetupResult>;
  setup(options?: SetupOptions): Promise<'created' | 'exists' | SetupResult> {
    return setup(this.#store, options);
  }
}
