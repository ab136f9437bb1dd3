import type { CredstashItem, DataKey, DecryptDataKeyRequest, GenerateDataKeyRequest, ItemAttributes, ItemPage, KeyProvider, ScanOptions, TableProvider, CreateTableOptions } from '../../src/index.js';

/** Wraps a key provider and counts its calls. */
export class SpyKeyProvider implements KeyProvider {
  calls = 0;
  constructor(readonly inner: KeyProvider) {}

  generateDataKey(request: GenerateDataKeyRequest): Promise<DataKey> {
    this.calls += 1;
    return this.inner.generateDataKey(request);
  }

  decryptDataKey(request: DecryptDataKeyRequest): Promise<Uint8Array> {
    this.calls += 1;
    return this.inner.decryptDataKey(request);
  }
}

/** Wraps a table provider, counts its calls and records written items. */
export class SpyTableProvider implements TableProvider {
  calls = 0;
  readonly written: CredstashItem[] = [];
  constructor(readonly inner: TableProvider) {}

  get tableName(): string {
    return this.inner.tableName;
  }

  createTable(options: CreateTableOptions): Promise<'created' | 'exists'> {
    this.calls += 1;
    return this.inner.createTable(options);
  }

  putItem(item: CredstashItem): Promise<'created' | 'exists'> {
    this.calls += 1;
    this.written.push(item);
    return this.inner.putItem(item);
  }

  getItem(name: string, version: string): Promise<ItemAttributes | undefined> {
    this.calls += 1;
    return this.inner.getItem(name, version);
  }

  getLatestItem(name: string): Promise<ItemAttributes | undefined> {
    this.calls += 1;
    return this.inner.getLatestItem(name);
  }

  queryVersions(name: string, options?: { readonly pageSize?: number }): AsyncIterable<ItemPage> {
    this.calls += 1;
    return this.inner.queryVersions(name, options);
  }

  scanItems(options?: ScanOptions): AsyncIterable<ItemPage> {
    this.calls += 1;
    return this.inner.scanItems(options);
  }

  deleteItem(name: string, version: string): Promise<'deleted' | 'missing'> {
    this.calls += 1;
    return this.inner.deleteItem(name, version);
  }
}

/** A 32-byte master key for LocalKeyProvider in tests. */
export const TEST_MASTER_KEY = Buffer.alloc(32, 7);
