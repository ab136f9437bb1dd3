import type { CredstashItem, ItemAttributes } from '../format/item.js';

/**
 * One page of items from a scan or query.
 *
 * @example
 * ```ts
 * for await (const { items } of tableProvider.scanItems({ attributes: 'summary' })) console.log(items.length);
 * ```
 */
export interface ItemPage {
  readonly items: readonly ItemAttributes[];
}

/**
 * Options of {@link TableProvider.scanItems}.
 *
 * @example
 * ```ts
 * tableProvider.scanItems({ attributes: 'all', pageSize: 100 });
 * ```
 */
export interface ScanOptions {
  /** `"summary"` returns only `name`, `version` and `comment`; `"all"` returns whole items. @default "summary" */
  readonly attributes?: 'summary' | 'all';
  /** Maximum number of items per page; the provider may return fewer. */
  readonly pageSize?: number;
}

/**
 * Capacity of a new table: on-demand, or provisioned read and write capacity units.
 *
 * @example
 * ```ts
 * const billing: TableBilling = { mode: 'PROVISIONED', readCapacity: 5, writeCapacity: 1 };
 * ```
 */
export type TableBilling = { readonly mode: 'PAY_PER_REQUEST' } | { readonly mode: 'PROVISIONED'; readonly readCapacity: number; readonly writeCapacity: number };

/**
 * Options of {@link TableProvider.createTable}.
 *
 * @example
 * ```ts
 * await tableProvider.createTable({ tags: { team: 'ops' }, billing: { mode: 'PAY_PER_REQUEST' } });
 * ```
 */
export interface CreateTableOptions {
  /** Tags to add besides `Name=credstash`. */
  readonly tags?: Readonly<Record<string, string>>;
  /** @default `{ mode: 'PAY_PER_REQUEST' }` */
  readonly billing?: TableBilling;
}

/**
 * Storage of credstash items, keyed by `name` (partition key) and padded `version` (sort
 * key), with the semantics of a DynamoDB table. Implement it to keep secrets elsewhere;
 * items pass through unchanged in the DynamoDB attribute-value shape, and the store
 * validates everything a provider returns.
 *
 * @example
 * ```ts
 * class MyTable implements TableProvider {
 *   readonly tableName = 'secrets';
 *   async putItem(item: CredstashItem) {
 *     return (await myDb.insertIfAbsent(item.name.S, item.version.S, item)) ? 'created' : 'exists';
 *   }
 *   // ... the other methods
 * }
 * ```
 */
export interface TableProvider {
  /** Name used in messages. */
  readonly tableName: string;
  /** Creates the table unless it exists and returns which; resolves once it can be used. */
  createTable(options: CreateTableOptions): Promise<'created' | 'exists'>;
  /** Stores the item unless its name and version already exist; never overwrites. */
  putItem(item: CredstashItem): Promise<'created' | 'exists'>;
  /** Reads one version (padded), with a strongly consistent read where the backend has one. */
  getItem(name: string, version: string): Promise<ItemAttributes | undefined>;
  /** Reads the item with the highest version of a name, comparing versions as strings. */
  getLatestItem(name: string): Promise<ItemAttributes | undefined>;
  /** Lists `name` and `version` of every version of one name, page by page. */
  queryVersions(name: string, options?: { readonly pageSize?: number }): AsyncIterable<ItemPage>;
  /** Reads every item of the table, page by page. */
  scanItems(options?: ScanOptions): AsyncIterable<ItemPage>;
  /** Deletes one version and returns whether it existed. */
  deleteItem(name: string, version: string): Promise<'deleted' | 'missing'>;
}
