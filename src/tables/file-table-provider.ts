import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { link, mkdir, open, readdir, rename, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

import { CredstashError, InvalidArgumentError, TableNotFoundError, TableProviderError } from '../errors/index.js';
import type { CredstashItem, ItemAttributes } from '../format/item.js';
import { compareKeys } from './lib/compare-keys.js';
import { isProcessAlive, withFileLock } from './lib/file-lock.js';
import { itemFromJson, itemToJson } from './lib/item-json.js';
import { toPages } from './lib/pages.js';
import type { CreateTableOptions, ItemPage, ScanOptions, TableProvider } from './table-provider.js';
import { isCode } from '../lib/errno.js';
import { requireOptionsObject, validateDuration } from '../lib/constructor-options.js';

/**
 * Options of {@link FileTableProvider}.
 *
 * @example
 * ```ts
 * new FileTableProvider({ path: '/var/lib/credstash/table.jsonl', lockTimeout: 30_000 });
 * ```
 */
export interface FileTableProviderOptions {
  /** Path of the table file. */
  readonly path: string;
  /** How long a write waits for another process's write to finish, in milliseconds. @default 10000 */
  readonly lockTimeout?: number;
}

const HEADER = JSON.stringify({ format: 'credstash-ts/file-table', version: 1 });
const DEFAULT_PAGE_SIZE = 1000;
const WRITE_BUFFER_BYTES = 64 * 1024;

/**
 * Table provider that keeps the table in one local file: a header line, then one item per
 * line in DynamoDB JSON, in the same layout as a credstash DynamoDB item. With
 * {@link LocalKeyProvider} it is the embedded offline default.
 *
 * Every write rewrites the file into a temporary file (mode 0600) and renames it into place
 * while holding a lock file, so concurrent writers in several processes lose nothing. A
 * reader, like a writer that is killed, finds either the old file or the new one, never a
 * torn one. Reads stream the file, so memory use does not grow with the table. Each operation is
 * linear in the table size, which suits the hundreds to thousands of secrets of one host.
 *
 * @example
 * ```ts
 * const table = new FileTableProvider({ path: '/var/lib/credstash/table.jsonl' });
 * ```
 */
export class FileTableProvider implements TableProvider {
  readonly tableName: string;
  readonly #path: string;
  readonly #lockTimeout: number;

  constructor(fileOptions: FileTableProviderOptions) {
    const options = requireOptionsObject(fileOptions, 'FileTableProvider', '{ path }');
    validateDuration('lockTimeout', options.lockTimeout, 'milliseconds');
    if (typeof options.path !== 'string' || options.path === '') {
      throw new InvalidArgumentError('path', 'invalid path: pass the path of the table file.');
    }
    this.#path = resolve(options.path);
    this.#lockTimeout = options.lockTimeout ?? 10_000;
    this.tableName = this.#path;
  }

  async createTable(_options: CreateTableOptions): Promise<'created' | 'exists'> {
    await mkdir(dirname(this.#path), { recursive: true, mode: 0o700 }).catch((error: unknown) => {
      throw this.#ioError('create the folder of', error);
    });

    const temporary = this.#temporaryPath();
    const handle = await open(temporary, 'wx', 0o600).catch((error: unknown) => {
      throw this.#ioError('create', error);
    });
    try {
      await handle.writeFile(`${HEADER}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }

    try {
      // link() never replaces an existing table, even when two setups run at once.
      await link(temporary, this.#path);
      await this.#syncFolder();
      return 'created';
    } catch (error) {
      if (isCode(error, 'EEXIST')) {
        await this.#checkHeader();
        return 'exists';
      }
      throw this.#ioError('create', error);
    } finally {
      await unlink(temporary).catch(() => undefined);
    }
  }

  async putItem(item: CredstashItem): Promise<'created' | 'exists'> {
    return withFileLock(this.#lockPath(), this.#lockTimeout, async () => {
      let exists = false;
      const written = await this.#rewrite(
        (current) => {
          exists ||= matches(current, item.name.S, item.version.S);
          return true;
        },
        () => (exists ? undefined : itemToJson(item as unknown as ItemAttributes)),
      );
      return written ? 'created' : 'exists';
    });
  }

  async getItem(name: string, version: string): Promise<ItemAttributes | undefined> {
    for await (const item of this.#items()) {
      if (matches(item, name, version)) {
        return item;
      }
    }
    return undefined;
  }

  async getLatestItem(name: string): Promise<ItemAttributes | undefined> {
    let latest: ItemAttributes | undefined;
    for await (const item of this.#items()) {
      if (stringOf(item['name']) === name && (latest === undefined || compareKeys(stringOf(item['version']), stringOf(latest['version'])) > 0)) {
        latest = item;
      }
    }
    return latest;
  }

  queryVersions(name: string, options: { readonly pageSize?: number } = {}): AsyncIterable<ItemPage> {
    return toPages(this.#versionsOf(name), options.pageSize ?? DEFAULT_PAGE_SIZE);
  }

  scanItems(options: ScanOptions = {}): AsyncIterable<ItemPage> {
    const summary = (options.attributes ?? 'summary') === 'summary';
    return toPages(summary ? this.#summaries() : this.#items(), options.pageSize ?? DEFAULT_PAGE_SIZE);
  }

  async deleteItem(name: string, version: string): Promise<'deleted' | 'missing'> {
    return withFileLock(this.#lockPath(), this.#lockTimeout, async () => {
      const changed = await this.#rewrite(
        (item) => !matches(item, name, version),
        () => undefined,
      );
      return changed ? 'deleted' : 'missing';
    });
  }

  // Copies the table to a temporary file, keeping the lines `keep` accepts and appending
  // what `append` returns, then renames it over the table. Returns false, and leaves the
  // table untouched, when `append` returns undefined and no line was dropped.
  async #rewrite(keep: (item: ItemAttributes) => boolean, append: () => string | undefined): Promise<boolean> {
    await this.#removeAbandonedTemporaryFiles();
    const temporary = this.#temporaryPath();
    const handle = await open(temporary, 'wx', 0o600).catch((error: unknown) => {
      throw this.#ioError('write', error);
    });
    let changed = false;

    try {
      const output = new BufferedWriter(handle);
      await output.write(`${HEADER}\n`);
      for await (const { item, line } of this.#lines()) {
        if (keep(item)) {
          await output.write(`${line}\n`);
        } else {
          changed = true;
        }
      }
      const extra = append();
      if (extra !== undefined) {
        await output.write(`${extra}\n`);
        changed = true;
      }
      await output.flush();
      await handle.sync();
    } catch (error) {
      await handle.close();
      await unlink(temporary).catch(() => undefined);
      throw error instanceof CredstashError ? error : this.#ioError('write', error);
    }
    await handle.close();

    if (!changed) {
      await unlink(temporary).catch(() => undefined);
      return false;
    }
    await rename(temporary, this.#path).catch((error: unknown) => {
      throw this.#ioError('replace', error);
    });
    await this.#syncFolder();
    return true;
  }

  // A writer killed mid-write leaves its temporary file; the next writer, holding the lock,
  // removes those whose process is gone.
  async #removeAbandonedTemporaryFiles(): Promise<void> {
    const prefix = `${basename(this.#path)}.`;
    const files = await readdir(dirname(this.#path)).catch(() => [] as string[]);

    for (const file of files) {
      const match = /^(\d+)\.[0-9a-f]+\.tmp$/.exec(file.startsWith(prefix) ? file.slice(prefix.length) : '');
      if (match !== null && !isProcessAlive(Number(match[1]))) {
        await unlink(join(dirname(this.#path), file)).catch(() => undefined);
      }
    }
  }

  async *#versionsOf(name: string): AsyncIterable<ItemAttributes> {
    for await (const item of this.#items()) {
      if (stringOf(item['name']) === name) {
        yield { name: item['name'], version: item['version'] };
      }
    }
  }

  async *#summaries(): AsyncIterable<ItemAttributes> {
    for await (const item of this.#items()) {
      yield summarize(item);
    }
  }

  async *#items(): AsyncIterable<ItemAttributes> {
    for await (const { item } of this.#lines()) {
      yield item;
    }
  }

  async *#lines(): AsyncIterable<{ item: ItemAttributes; line: string }> {
    const stream = createReadStream(this.#path, { encoding: 'utf8' });
    const opened = new Promise<void>((resolveOpen, rejectOpen) => {
      stream.once('open', () => resolveOpen());
      stream.once('error', rejectOpen);
    });
    try {
      await opened;
    } catch (error) {
      stream.destroy();
      if (isCode(error, 'ENOENT')) {
        throw new TableNotFoundError(this.tableName, '(no such file)', { cause: error, fix: 'Run setup to create it, or check the table name and folder.' });
      }
      throw this.#ioError('read', error);
    }

    const lines = createInterface({ input: stream, crlfDelay: Infinity });
    let lineNumber = 0;
    try {
      for await (const line of lines) {
        lineNumber += 1;
        if (lineNumber === 1) {
          this.#assertHeader(line);
          continue;
        }
        if (line === '') {
          continue;
        }
        let item: ItemAttributes;
        try {
          item = itemFromJson(line);
        } catch (error) {
          throw new TableProviderError(`line ${lineNumber} of the file table ${this.#path} is not valid JSON; restore the file from a backup.`, {
            cause: error,
          });
        }
        yield { item, line };
      }
      if (lineNumber === 0) {
        this.#assertHeader('');
      }
    } finally {
      lines.close();
      stream.destroy();
    }
  }

  async #checkHeader(): Promise<void> {
    for await (const _ of this.#lines()) {
      return;
    }
  }

  #assertHeader(line: string): void {
    if (line !== HEADER) {
      throw new TableProviderError(`${this.#path} is not a credstash-ts file table: its first line is not the file table header.`);
    }
  }

  async #syncFolder(): Promise<void> {
    // Makes the rename durable; some filesystems do not support syncing a folder.
    const folder = await open(dirname(this.#path), 'r').catch(() => undefined);
    await folder?.sync().catch(() => undefined);
    await folder?.close();
  }

  #lockPath(): string {
    return `${this.#path}.lock`;
  }

  #temporaryPath(): string {
    return `${this.#path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  }

  #ioError(action: string, error: unknown): TableProviderError {
    return new TableProviderError(`cannot ${action} the file table ${this.#path}: ${String(error)}`, { cause: error });
  }
}

class BufferedWriter {
  readonly #handle: FileHandle;
  #chunks: string[] = [];
  #size = 0;

  constructor(handle: FileHandle) {
    this.#handle = handle;
  }

  async write(text: string): Promise<void> {
    this.#chunks.push(text);
    this.#size += text.length;
    if (this.#size >= WRITE_BUFFER_BYTES) {
      await this.flush();
    }
  }

  async flush(): Promise<void> {
    if (this.#chunks.length > 0) {
      await this.#handle.write(this.#chunks.join(''));
      this.#chunks = [];
      this.#size = 0;
    }
  }
}

function matches(item: ItemAttributes, name: string, version: string): boolean {
  return stringOf(item['name']) === name && stringOf(item['version']) === version;
}

function stringOf(value: unknown): string {
  return typeof value === 'object' && value !== null && typeof (value as { S?: unknown }).S === 'string' ? (value as { S: string }).S : '';
}

function summarize(item: ItemAttributes): ItemAttributes {
  const summary: Record<string, unknown> = { name: item['name'], version: item['version'] };
  if (item['comment'] !== undefined) {
    summary['comment'] = item['comment'];
  }
  return summary;
}
