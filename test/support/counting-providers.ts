import type {
  CreateTableOptions,
  CredstashItem,
  DataKey,
  DecryptDataKeyRequest,
  GenerateDataKeyRequest,
  ItemAttributes,
  ItemPage,
  KeyProvider,
  ScanOptions,
  TableProvider,
} from '../../src/index.js';

/** Key provider wrapper that counts calls and keeps every plaintext data key it handed out. */
export class CountingKeyProvider implements KeyProvider {
  readonly #inner: KeyProvider;
  calls = 0;
  /** The plaintext arrays returned to the store, which must be zero after each operation. */
  readonly handedOut: Uint8Array[] = [];
  /** Copies of the same keys taken before the store could zero them, to search output for. */
  readonly copies: Buffer[] = [];

  constructor(inner: KeyProvider) {
    this.#inner = inner;
  }

  async generateDataKey(request: GenerateDataKeyRequest): Promise<DataKey> {
    this.calls += 1;
    const key = await this.#inner.generateDataKey(request);
    this.handedOut.push(key.plaintext);
    this.copies.push(Buffer.from(key.plaintext));
    return key;
  }

  async decryptDataKey(request: DecryptDataKeyRequest): Promise<Uint8Array> {
    this.calls += 1;
    const plaintext = await this.#inner.decryptDataKey(request);
    this.handedOut.push(plaintext);
    this.copies.push(Buffer.from(plaintext));
    return plaintext;
  }
}

/** Table provider wrapper that counts reads and writes. */
export class CountingTable implements TableProvider {
  readonly #inner: TableProvider;
  reads = 0;
  writes = 0;

  constructor(inner: TableProvider) {
    this.#inner = inner;
  }

  get tableName(): string {
    return this.#inner.tableName;
  }

  createTable(options: CreateTableOptions): Promise<'created' | 'exists'> {
    this.writes += 1;
    return this.#inner.createTable(options);
  }

  putItem(item: CredstashItem): Promise<'created' | 'exists'> {
    this.writes += 1;
    return this.#inner.putItem(item);
  }

  getItem(name: string, version: string): Promise<ItemAttributes | undefined> {
    this.reads += 1;
    return this.#inner.getItem(name, version);
  }

  getLatestItem(name: string): Promise<ItemAttributes | undefined> {
    this.reads += 1;
    return this.#inner.getLatestItem(name);
  }

  queryVersions(name: string, options?: { readonly pageSize?: number }): AsyncIterable<ItemPage> {
    this.reads += 1;
    return this.#inner.queryVersions(name, options);
  }

  scanItems(options?: ScanOptions): AsyncIterable<ItemPage> {
    this.reads += 1;
    return this.#inner.scanItems(options);
  }

  deleteItem(name: string, version: string): Promise<'deleted' | 'missing'> {
    this.writes += 1;
    return this.#inner.deleteItem(name, version);
  }
}
