import { InvalidItemError, SecretNotFoundError } from '../errors/index.js';
import { parseSummary, type ItemAttributes } from '../format/item.js';
import { padVersion } from '../format/version.js';
import type { EncryptionContext } from '../keys/key-provider.js';
import { assertNameKeyFree, contextForName } from './lib/name-binding.js';
import { openItem } from './lib/open-item.js';
import { validateContext, validateName, validateOptions } from './lib/validate.js';
import type { StoreContext } from './store-context.js';

/**
 * Options of `getSecret`.
 *
 * @example
 * ```ts
 * await credstash.getSecret('db', { version: 3, context: { env: 'prod' } });
 * ```
 */
export interface GetSecretOptions {
  /** Version to read (`7`, `"7"` and `"0000000000000000007"` are the same). @default the latest version */
  readonly version?: string | number;
  /** Encryption context the secret was stored with. @default {} */
  readonly context?: EncryptionContext;
  /**
   * Read from the table even when the cache has a fresh entry, and keep the result in the
   * cache. Ignored when the `Credstash` has no cache. @default false
   */
  readonly refresh?: boolean;
}

/** Reads and decrypts one version of a secret, by default the latest. */
export async function getSecret(store: StoreContext, name: string, getOptions?: GetSecretOptions): Promise<string> {
  const options = validateOptions(getOptions, 'getSecret');
  validateName(name);
  const context = validateContext(options.context);
  const version = options.version === undefined ? undefined : padVersion(options.version);
  assertNameKeyFree(store.bindName, context);

  const item = version === undefined ? await store.tableProvider.getLatestItem(name) : await store.tableProvider.getItem(name, version);
  if (item === undefined) {
    throw new SecretNotFoundError(name, version);
  }
  assertRequestedItem(item, name, version);

  return openItem(store.keyProvider, item, contextForName(store.bindName, name, context));
}

// A table provider that returns another name's item (a bug, or a provider an attacker
// controls) would otherwise hand out that item's secret under the requested name.
function assertRequestedItem(item: ItemAttributes, name: string, version: string | undefined): void {
  const summary = parseSummary(item);
  if (summary.name !== name) {
    throw new InvalidItemError('name', `is ${JSON.stringify(summary.name)}, not the requested name; the table provider returned the wrong item`, name, version);
  }
  if (version !== undefined && summary.version !== version) {
    throw new InvalidItemError('version', `is ${JSON.stringify(summary.version)}, not the requested version; the table provider returned the wrong item`, name, version);
  }
}
