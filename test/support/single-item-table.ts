import type { CredstashItem, ItemAttributes, ItemPage, TableProvider } from '../../src/index.js';

/**
 * Table provider whose every read returns `item` exactly as set, however malformed, in the
 * way a DynamoDB table returns whatever a writer stored. Writes are rejected, because the
 * tests that use it only read.
 */
export class SingleItemTable implements TableProvider {
  readonly tableName = 'single-item';
  item: ItemAttributes;

  constructor(item: ItemAttributes) {
    this.item = item;
  }

  async createTable(): Promise<'created' | 'exists'> {
    return 'exists';
  }

  async putItem(_item: CredstashItem): Promise<'created' | 'exists'> {
    throw new Error('SingleItemTable is read-only');
  }

  async getItem(): Promise<ItemAttributes | undefined> {
    return this.item;
  }

  async getLatestItem(): Promise<ItemAttributes | undefined> {
    return this.item;
  }

  async *queryVersions(): AsyncIterable<ItemPage> {
    yield { items: [this.item] };
  }

  async *scanItems(): AsyncIterable<ItemPage> {
    yield { items: [this.item] };
  }

  async deleteItem(): Promise<'deleted' | 'missing'> {
    throw new Error('SingleItemTable is read-only');
  }
}
