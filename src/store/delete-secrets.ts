import { InvalidArgumentError, SecretNotFoundError } from '../errors/index.js';
import { parseSummary } from '../format/item.js';
import { padVersion } from '../format/version.js';
import { validateName, validateOptions } from './lib/validate.js';
import type { StoreContext } from './store-context.js';

/**
 * Options of `deleteSecrets`.
 *
 * @example
 * ```ts
 * await credstash.deleteSecrets('old', { onDeleted: (name, version) => console.error(`deleted ${name} ${version}`) });
 * ```
 */
export interface DeleteSecretsOptions {
  /** Called after each version is deleted, for progress output. */
  readonly onDeleted?: (name: string, version: string) => void;
}

/**
 * Deletes one version of a secret.
 *
 * @throws SecretNotFoundError when that version does not exist.
 */
export async function deleteSecret(store: StoreContext, name: string, version: string | number): Promise<void> {
  validateName(name);
  const padded = padVersion(version);

  // Existence is read first, because a DeleteItem retried after a lost response cannot tell
  // "removed by an earlier attempt" from "never stored". A version that disappears between
  // the read and the delete was removed by someone else, which is the requested outcome.
  if ((await store.tableProvider.getItem(name, padded)) === undefined) {
    throw new SecretNotFoundError(name, padded);
  }
  await store.tableProvider.deleteItem(name, padded);
}

/**
 * Deletes every version of a secret and returns the padded versions deleted, in order.
 * A name with no versions gives an empty list, as Python credstash's `delete` does.
 */
export async function deleteSecrets(store: StoreContext, name: string, deleteOptions?: DeleteSecretsOptions): Promise<string[]> {
  const options = validateOptions(deleteOptions, 'deleteSecrets');
  validateName(name);
  if (options.onDeleted !== undefined && typeof options.onDeleted !== 'function') {
    throw new InvalidArgumentError('onDeleted', `invalid onDeleted of type ${typeof options.onDeleted}: pass a function or leave it out.`);
  }

  // Versions are collected first, because deleting while paging could skip items.
  const versions: string[] = [];
  for await (const page of store.tableProvider.queryVersions(name)) {
    versions.push(...page.items.map((item) => parseSummary(item).version));
  }

  const deleted: string[] = [];
  for (const version of versions) {
    if ((await store.tableProvider.deleteItem(name, version)) === 'deleted') {
      deleted.push(version);
      options.onDeleted?.(name, version);
    }
  }
  return deleted;
}
