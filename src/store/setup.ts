import { InvalidArgumentError } from '../errors/index.js';
import { callProvider } from '../keys/data-key.js';
import type { TableBilling } from '../tables/table-provider.js';
import { validateOptions } from './lib/validate.js';
import type { StoreContext } from './store-context.js';

/**
 * Options of `setup`.
 *
 * @example
 * ```ts
 * await credstash.setup({ tags: { team: 'ops' }, billing: { mode: 'PROVISIONED', readCapacity: 1, writeCapacity: 1 } });
 * ```
 */
export interface SetupOptions {
  /** Tags added besides `Name=credstash` to the table, and to the KMS key when setup creates it. */
  readonly tags?: Readonly<Record<string, string>>;
  /** @default on-demand (`{ mode: 'PAY_PER_REQUEST' }`) */
  readonly billing?: TableBilling;
  /**
   * Also create the key that wraps data keys unless it exists, through the key provider's
   * `createKey`. For AWS KMS that is a symmetric encryption key and its alias
   * (`alias/credstash` by default); an existing alias is reused. For a local key it is the
   * master key file. @default false
   */
  readonly createKey?: boolean;
  /**
   * With `createKey`, the KMS alias to create instead of the key provider's own key (the
   * `kmsKey` option), as `putSecret` takes `keyId` for one secret. @default the provider's key
   */
  readonly keyId?: string;
}

/**
 * Outcome of `setup({ createKey: true })` for the table and the key: `"created"`, or
 * `"exists"` when the resource was already there.
 *
 * @example
 * ```ts
 * const { table, key } = await credstash.setup({ createKey: true });
 * if (key === 'created') console.log('created alias/credstash');
 * ```
 */
export interface SetupResult {
  readonly table: 'created' | 'exists';
  readonly key: 'created' | 'exists';
}

/**
 * Creates the credstash table unless it exists, and waits until it can be used. With
 * `createKey`, creates the key first, so that a key that cannot be created leaves no new table behind.
 */
export async function setup(store: StoreContext, setupOptions?: SetupOptions): Promise<'created' | 'exists' | SetupResult> {
  const options = validateOptions(setupOptions, 'setup');
  const tags = options.tags ?? {};
  if (typeof tags !== 'object' || tags === null || Array.isArray(tags)) {
    throw new InvalidArgumentError('tags', 'invalid tags: pass an object that maps tag keys to strings, such as { team: "payments" }.');
  }
  for (const [key, value] of Object.entries(tags)) {
    if (key === '' || typeof value !== 'string') {
      throw new InvalidArgumentError('tags', `invalid tag ${JSON.stringify(key)}: tags map non-empty keys to strings.`);
    }
  }
  const billing = options.billing;
  if (billing?.mode === 'PROVISIONED' && !(isCapacity(billing.readCapacity) && isCapacity(billing.writeCapacity))) {
    throw new InvalidArgumentError('billing', 'invalid billing: provisioned readCapacity and writeCapacity must be positive integers.');
  }

  if (options.createKey !== undefined && typeof options.createKey !== 'boolean') {
    throw new InvalidArgumentError('createKey', `invalid createKey ${String(options.createKey)}: pass true or false.`);
  }

  if (options.keyId !== undefined && options.createKey !== true) {
    throw new InvalidArgumentError('keyId', 'invalid keyId: setup uses keyId only to create that key. Add createKey: true, or leave keyId out.');
  }

  let key: 'created' | 'exists' | undefined;
  if (options.createKey === true) {
    const keyProvider = store.keyProvider;
    const createKey = keyProvider.createKey;
    if (typeof createKey !== 'function') {
      throw new InvalidArgumentError(
        'createKey',
        'invalid createKey: the key provider has no createKey method, so setup cannot create its key. Create the key yourself and leave createKey out.',
      );
    }
    const keyOptions = options.keyId === undefined ? { tags } : { tags, keyId: options.keyId };
    key = await callProvider(() => createKey.call(keyProvider, keyOptions), 'create its key');
  }

  const table = await store.tableProvider.createTable(billing === undefined ? { tags } : { tags, billing });
  return key === undefined ? table : { table, key };
}

function isCapacity(value: unknown): boolean {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
}
