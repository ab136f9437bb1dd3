import { parseSummary, type SecretSummary } from '../format/item.js';
import { compareNameVersion } from '../tables/lib/compare-keys.js';
import { validateOptions, validatePositiveInteger } from './lib/validate.js';
import type { StoreContext } from './store-context.js';

/**
 * Options of `paginateSecrets`.
 *
 * @example
 * ```ts
 * for await (const page of credstash.paginateSecrets({ pageSize: 100 })) console.log(page.length);
 * ```
 */
export interface PaginateSecretsOptions {
  /** Maximum number of items per page. @default the table provider's page size */
  readonly pageSize?: number;
}

/**
 * Walks the name, version and comment of every stored item page by page, so that a table
 * of any size is listed in constant memory. Pages come in the table's scan order.
 */
export async function* paginateSecrets(store: StoreContext, paginateOptions?: PaginateSecretsOptions): AsyncGenerator<SecretSummary[], void, undefined> {
  const options = validateOptions(paginateOptions, 'paginateSecrets');
  const pageSize = options.pageSize === undefined ? undefined : validatePositiveInteger('pageSize', options.pageSize, 1);

  for await (const page of store.tableProvider.scanItems(pageSize === undefined ? { attributes: 'summary' } : { attributes: 'summary', pageSize })) {
    yield page.items.map((item) => parseSummary(item));
  }
}

/** Lists the name, version and comment of every stored item, sorted by name and version. */
export async function listSecrets(store: StoreContext): Promise<SecretSummary[]> {
  const summaries: SecretSummary[] = [];
  for await (const page of paginateSecrets(store)) {
    summaries.push(...page);
  }
  return summaries.sort(compareNameVersion);
}
