import { TableNotFoundError } from '../errors/index.js';
import type { CredstashItem, ItemAttributes } from '../format/item.js';
import { compareKeys } from './lib/compare-keys.js';
import { toPages } from './lib/pages.js';
import type { CreateTableOptions, ItemPage, ScanOptions, TableProvider } from './table-provider.js';
import { requireOptionsObject } from '../lib/constructor-options.js';

const DEFAULT_PAGE_SIZE = 1000;

/**
 * Table provider that keeps items in process memory, for tests and for embedding. Items
 * are copied in and out, so callers cannot change what is stored.
 *
 * @example
 * ```ts
 * const credstash = new Credstash({ keyProvider: keys, tableProvider: new MemoryTableProvider() });
 * await credstash.setup();
 * ```
 */
export class MemoryTableProvider implements TableProvider {
  readonly tableName: string;
  #items: Map<string, Map<string, ItemAttributes>> | undefined;

  /** @param memoryOptions.exists - When false, the table is missing until `setup` creates it. @default true */
  constructor(memoryOptions: { readonly tableName?: string; readonly exists?: boolean } = {}) {
    const options = requireOptionsObject(memoryOptions, 'MemoryTableProvider', '{ tableName?, exists? } or nothing');
    this.tableName = options.tableName ?? 'memory';
    this.#items = options.exists === false ? undefined : new Map();
  }

  async createTable(_options: CreateTableOptions): Promise<'created' | 'exists'> {
    if (this.#items !== undefined) {
      return 'exists';
    }
    this.#items = new Map();
    return 'created';
  }

  async putItem(item: CredstashItem): Promise<'created' | 'exists'> {
    const versions = this.#table().get(item.name.S) ?? new Map<string, ItemAttributes>();
    if (versions.has(item.version.S)) {
      return 'exists';
    }
    versions.set(item.version.S, structuredClone(item) as unknown as ItemAttributes);
    this.#table().set(item.name.S, versions);
    return 'created';
  }

  async getItem(name: string, version: string): Promise<ItemAttributes | undefined> {
    const item = this.#table().get(name)?.get(version);
    return item === undefined ? undefined : structuredClone(item);
  }

  async getLatestItem(name: string): Promise<ItemAttributes | undefined> {
    const versions = [...(this.#table().get(name)?.keys() ?? [])].sort(compareKeys);
    const latest = versions.at(-1);
    return latest === undefined ? undefined : this.getItem(name, latest);
  }

  queryVersions(name: string, options: { readonly pageSize?: number } = {}): AsyncIterable<ItemPage> {
    const versions = [...(this.#table().get(name)?.keys() ?? [])].sort(compareKeys);
    return toPages(
      versions.map((version) => ({ name: { S: name }, version: { S: version } })),
      options.pageSize ?? DEFAULT_PAGE_SIZE,
    );
  }

  scanItems(options: ScanOptions = {}): AsyncIterable<ItemPage> {
    const summary = (options.attributes ?? 'summary') === 'summary';
    const table = this.#table();
    return toPages(walkItems(table, summary), options.pageSize ?? DEFAULT_PAGE_SIZE);
  }

  async deleteItem(name: string, version: string): Promise<'deleted' | 'missing'> {
    const versions = this.#table().get(name);
    const deleted = versions?.delete(version) ?? false;
    if (versions?.size === 0) {
      this.#table().delete(name);
    }
    return deleted ? 'deleted' : 'missing';
  }

  #table(): Map<string, Map<string, ItemAttributes>> {
    if (this.#items === undefined) {
      throw new TableNotFoundError(this.tableName, 'in memory');
    }
    return this.#items;
  }
}

function pick(item: ItemAttributes, attributes: readonly string[]): ItemAttributes {
  const result: Record<string, unknown> = {};
  for (const attribute of attributes) {
    if (item[attribute] !== undefined) {
      result[attribute] = structuredClone(item[attribute]);
    }
  }
  return result;
}

// Walks the maps lazily, in key order, so that a large table is not copied as a whole.
function* walkItems(table: Map<string, Map<string, ItemAttributes>>, summary: boolean): Iterable<ItemAttributes> {
  for (const name of [...table.keys()].sort(compareKeys)) {
    const versions = table.get(name) ?? new Map<string, ItemAttributes>();
    for (const version of [...versions.keys()].sort(compareKeys)) {
      const item = versions.get(version) as ItemAttributes;
      yield summary ? pick(item, ['name', 'version', 'comment']) : structuredClone(item);
    }
  }
}
