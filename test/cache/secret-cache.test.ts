import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { SecretCache } from '../../src/cache/secret-cache.js';
import {
  Credstash,
  FileTableProvider,
  InvalidArgumentError,
  LocalKeyProvider,
  MemoryTableProvider,
  SecretNotFoundError,
  TableProviderError,
  type ItemAttributes,
  type SecretCacheOptions,
  type TableProvider,
} from '../../src/index.js';
import { SpyKeyProvider, SpyTableProvider, TEST_MASTER_KEY } from '../support/spy-providers.js';

const MINUTE = 60_000;

/**
 * Creates a cached reader and an uncached writer on the same table. The writer stands for
 * another process that rotates secrets. `table.calls` and `keys.calls` count only the
 * reader's requests.
 */
function setupStore(cache: SecretCacheOptions, inner: TableProvider = new MemoryTableProvider()) {
  const keyProvider = new LocalKeyProvider({ masterKey: TEST_MASTER_KEY });
  const table = new SpyTableProvider(inner);
  const keys = new SpyKeyProvider(keyProvider);
  const reader = new Credstash({ keyProvider: keys, tableProvider: table, cache });
  const writer = new Credstash({ keyProvider, tableProvider: inner });
  return { reader, writer, table, keys };
}

/** A promise with its resolve function, to hold a read in flight. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open = (): void => undefined;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

/** A table provider whose `getLatestItem` reads at once but returns only when `hold` resolves. */
class HeldTableProvider extends MemoryTableProvider {
  hold: Promise<void> = Promise.resolve();

  override async getLatestItem(name: string): Promise<ItemAttributes | undefined> {
    const item = await super.getLatestItem(name);
    await this.hold;
    return item;
  }
}

/** A table provider whose reads fail while `failing` is true. */
class FlakyTableProvider extends MemoryTableProvider {
  failing = true;

  override async getLatestItem(name: string): Promise<ItemAttributes | undefined> {
    if (this.failing) {
      throw new TableProviderError('DynamoDB Query failed: ThrottlingException');
    }
    return super.getLatestItem(name);
  }
}

/** A table provider whose first `getLatestItem` fails once `hold` resolves. Later reads succeed. */
class FailFirstTableProvider extends MemoryTableProvider {
  hold: Promise<void> = Promise.resolve();
  #reads = 0;

  override async getLatestItem(name: string): Promise<ItemAttributes | undefined> {
    this.#reads += 1;
    if (this.#reads === 1) {
      await this.hold;
      throw new TableProviderError('DynamoDB Query failed: ThrottlingException');
    }
    return super.getLatestItem(name);
  }
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['performance'] });
});

afterEach(() => {
  vi.useRealTimers();
});

describe('read cache: maxAge', () => {
  it('reuses a read within maxAge', async () => {
    const { reader, writer, table, keys } = setupStore({ maxAge: MINUTE });
    await writer.putSecret('db', 'one');

    expect(await reader.getSecret('db')).toBe('one');
    vi.advanceTimersByTime(MINUTE - 1);
    expect(await reader.getSecret('db')).toBe('one');

    expect(table.calls).toBe(1);
    expect(keys.calls).toBe(1);
  });

  it('serves the cached value after another writer rotates it', async () => {
    const { reader, writer } = setupStore({ maxAge: MINUTE });
    await writer.putSecret('db', 'one');
    await reader.getSecret('db');

    await writer.putSecret('db', 'two', { autoVersion: true });

    expect(await reader.getSecret('db')).toBe('one');
  });

  it('reads again once maxAge has passed', async () => {
    const { reader, writer, table } = setupStore({ maxAge: MINUTE });
    await writer.putSecret('db', 'one');
    await reader.getSecret('db');
    await writer.putSecret('db', 'two', { autoVersion: true });

    vi.advanceTimersByTime(MINUTE);

    expect(await reader.getSecret('db')).toBe('two');
    expect(table.calls).toBe(2);
  });

  it('keeps entries until cleared with Infinity', async () => {
    const { reader, writer, table } = setupStore({ maxAge: Infinity });
    await writer.putSecret('db', 'one');
    await reader.getSecret('db');

    vi.advanceTimersByTime(365 * 24 * 60 * MINUTE);

    expect(await reader.getSecret('db')).toBe('one');
    expect(table.calls).toBe(1);
  });
});

describe('read cache: refresh and clear', () => {
  it('refresh reads again and keeps the result', async () => {
    const { reader, writer, table } = setupStore({ maxAge: MINUTE });
    await writer.putSecret('db', 'one');
    await reader.getSecret('db');
    await writer.putSecret('db', 'two', { autoVersion: true });

    expect(await reader.getSecret('db', { refresh: true })).toBe('two');
    expect(await reader.getSecret('db')).toBe('two');
    expect(table.calls).toBe(2);
  });

  it('refresh does not join a read in flight', async () => {
    const held = new HeldTableProvider();
    const { reader, writer, table } = setupStore({ maxAge: MINUTE }, held);
    await writer.putSecret('db', 'one');
    const { promise, open } = gate();
    held.hold = promise;

    const first = reader.getSecret('db');
    const refreshed = reader.getSecret('db', { refresh: true });
    open();

    expect(await first).toBe('one');
    expect(await refreshed).toBe('one');
    expect(table.calls).toBe(2);
  });

  it('clearCache drops every entry', async () => {
    const { reader, writer, table } = setupStore({ maxAge: MINUTE });
    await writer.putSecret('a', 'a1');
    await writer.putSecret('b', 'b1');
    await reader.getSecret('a');
    await reader.getSecret('b');
    await writer.putSecret('a', 'a2', { autoVersion: true });
    await writer.putSecret('b', 'b2', { autoVersion: true });

    reader.clearCache();

    expect(await reader.getSecret('a')).toBe('a2');
    expect(await reader.getSecret('b')).toBe('b2');
    expect(table.calls).toBe(4);
  });

  it('clearCache of a name keeps other names', async () => {
    const { reader, writer, table } = setupStore({ maxAge: MINUTE });
    await writer.putSecret('a', 'a1');
    await writer.putSecret('b', 'b1');
    await reader.getSecret('a');
    await reader.getSecret('a', { version: 1 });
    await reader.getSecret('b');
    await writer.putSecret('a', 'a2', { autoVersion: true });
    await writer.putSecret('b', 'b2', { autoVersion: true });

    reader.clearCache('a');

    expect(await reader.getSecret('a')).toBe('a2');
    expect(await reader.getSecret('a', { version: 1 })).toBe('a1');
    expect(await reader.getSecret('b')).toBe('b1');
    expect(table.calls).toBe(5);
  });

  it('does not keep a read in flight during a clear', async () => {
    const held = new HeldTableProvider();
    const { reader, writer, table } = setupStore({ maxAge: MINUTE }, held);
    await writer.putSecret('db', 'one');
    const { promise, open } = gate();
    held.hold = promise;

    const inFlight = reader.getSecret('db');
    reader.clearCache();
    open();
    expect(await inFlight).toBe('one');
    held.hold = Promise.resolve();
    await reader.getSecret('db');

    expect(table.calls).toBe(2);
  });

  it('clearCache without a cache does nothing', () => {
    const credstash = new Credstash({ keyProvider: new LocalKeyProvider({ masterKey: TEST_MASTER_KEY }), tableProvider: new MemoryTableProvider() });

    expect(() => credstash.clearCache()).not.toThrow();
    expect(() => credstash.clearCache('db')).not.toThrow();
  });
});

describe('read cache: key', () => {
  it('keeps names apart', async () => {
    const { reader, writer } = setupStore({ maxAge: MINUTE });
    await writer.putSecret('a', 'value a');
    await writer.putSecret('b', 'value b');

    expect(await reader.getSecret('a')).toBe('value a');
    expect(await reader.getSecret('b')).toBe('value b');
  });

  it('keeps latest and explicit versions apart', async () => {
    const { reader, writer, table } = setupStore({ maxAge: MINUTE });
    await writer.putSecret('db', 'one', { version: 1 });
    await writer.putSecret('db', 'two', { version: 2 });

    expect(await reader.getSecret('db')).toBe('two');
    expect(await reader.getSecret('db', { version: 1 })).toBe('one');
    expect(await reader.getSecret('db', { version: 2 })).toBe('two');
    expect(table.calls).toBe(3);
  });

  it('shares one entry for every spelling of a version', async () => {
    const { reader, writer, table } = setupStore({ maxAge: MINUTE });
    await writer.putSecret('db', 'seven', { version: 7 });

    expect(await reader.getSecret('db', { version: 7 })).toBe('seven');
    expect(await reader.getSecret('db', { version: '7' })).toBe('seven');
    expect(await reader.getSecret('db', { version: '0000000000000000007' })).toBe('seven');
    expect(table.calls).toBe(1);
  });

  it('keeps encryption contexts apart', async () => {
    const { reader, writer, keys } = setupStore({ maxAge: MINUTE });
    await writer.putSecret('db', 'prod value', { context: { env: 'prod' } });

    expect(await reader.getSecret('db', { context: { env: 'prod' } })).toBe('prod value');
    await expect(reader.getSecret('db', { context: { env: 'dev' } })).rejects.toMatchObject({ code: 'ERR_ENCRYPTION_CONTEXT' });
    await expect(reader.getSecret('db')).rejects.toMatchObject({ code: 'ERR_ENCRYPTION_CONTEXT' });
    expect(keys.calls).toBe(3);
  });

  it('shares one entry whatever the context key order', async () => {
    const { reader, writer, table } = setupStore({ maxAge: MINUTE });
    await writer.putSecret('db', 'value', { context: { app: 'web', env: 'prod' } });

    expect(await reader.getSecret('db', { context: { app: 'web', env: 'prod' } })).toBe('value');
    expect(await reader.getSecret('db', { context: { env: 'prod', app: 'web' } })).toBe('value');
    expect(table.calls).toBe(1);
  });

  it('keeps tables apart', async () => {
    const keyProvider = new LocalKeyProvider({ masterKey: TEST_MASTER_KEY });
    const first = new Credstash({ keyProvider, tableProvider: new MemoryTableProvider(), cache: { maxAge: MINUTE } });
    const second = new Credstash({ keyProvider, tableProvider: new MemoryTableProvider(), cache: { maxAge: MINUTE } });
    await first.putSecret('db', 'first table');
    await second.putSecret('db', 'second table');

    expect(await first.getSecret('db')).toBe('first table');
    expect(await second.getSecret('db')).toBe('second table');
  });
});

describe('read cache: explicit versions', () => {
  it('keeps explicit versions past maxAge', async () => {
    const { reader, writer, table } = setupStore({ maxAge: MINUTE });
    await writer.putSecret('db', 'one', { version: 1 });
    await reader.getSecret('db', { version: 1 });

    vi.advanceTimersByTime(1000 * MINUTE);

    expect(await reader.getSecret('db', { version: 1 })).toBe('one');
    expect(table.calls).toBe(1);
  });

  it('expires explicit versions after versionMaxAge', async () => {
    const { reader, writer, table } = setupStore({ maxAge: MINUTE, versionMaxAge: 10 * MINUTE });
    await writer.putSecret('db', 'one', { version: 1 });
    await reader.getSecret('db', { version: 1 });

    vi.advanceTimersByTime(10 * MINUTE - 1);
    await reader.getSecret('db', { version: 1 });
    expect(table.calls).toBe(1);

    vi.advanceTimersByTime(1);
    await reader.getSecret('db', { version: 1 });
    expect(table.calls).toBe(2);
  });

  it('rejects a versionMaxAge with maxAge 0', () => {
    expect(() => setupStore({ maxAge: 0, versionMaxAge: MINUTE })).toThrow(/maxAge 0 turns the cache off for every read/);
    expect(() => setupStore({ maxAge: 0, versionMaxAge: 0 })).not.toThrow();
  });

  it('names a string age as a string', () => {
    expect(() => setupStore({ maxAge: '5' as never })).toThrow(/invalid cache.maxAge "5"/);
  });
});

describe('read cache: failures', () => {
  it('never caches a failed read', async () => {
    const flaky = new FlakyTableProvider();
    const { reader, writer, table } = setupStore({ maxAge: MINUTE }, flaky);
    await writer.putSecret('db', 'one');

    await expect(reader.getSecret('db')).rejects.toBeInstanceOf(TableProviderError);
    flaky.failing = false;

    expect(await reader.getSecret('db')).toBe('one');
    expect(table.calls).toBe(2);
  });

  it('never caches a missing secret', async () => {
    const { reader, writer, table } = setupStore({ maxAge: MINUTE });

    await expect(reader.getSecret('db')).rejects.toBeInstanceOf(SecretNotFoundError);
    await writer.putSecret('db', 'one');

    expect(await reader.getSecret('db')).toBe('one');
    expect(table.calls).toBe(2);
  });

  it('rejects bad input before the cache', async () => {
    const { reader, table } = setupStore({ maxAge: MINUTE });

    await expect(reader.getSecret('')).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(reader.getSecret('db', { version: -1 })).rejects.toMatchObject({ argument: 'version' });
    await expect(reader.getSecret('db', { context: { env: 1 } as never })).rejects.toMatchObject({ argument: 'context' });
    expect(table.calls).toBe(0);
  });
});

describe('read cache: concurrent reads', () => {
  it('shares one request between concurrent reads', async () => {
    const { reader, writer, table, keys } = setupStore({ maxAge: MINUTE });
    await writer.putSecret('db', 'one');

    const values = await Promise.all(Array.from({ length: 10 }, () => reader.getSecret('db')));

    expect(values).toEqual(Array.from({ length: 10 }, () => 'one'));
    expect(table.calls).toBe(1);
    expect(keys.calls).toBe(1);
  });

  it('keeps a refresh when the read it replaced fails', async () => {
    const failFirst = new FailFirstTableProvider();
    const { reader, writer, table } = setupStore({ maxAge: MINUTE }, failFirst);
    await writer.putSecret('db', 'one');
    const { promise, open } = gate();
    failFirst.hold = promise;

    const first = reader.getSecret('db');
    expect(await reader.getSecret('db', { refresh: true })).toBe('one');
    open();
    await expect(first).rejects.toBeInstanceOf(TableProviderError);

    expect(await reader.getSecret('db')).toBe('one');
    expect(table.calls).toBe(2);
  });

  it('shares one failure between concurrent reads', async () => {
    const flaky = new FlakyTableProvider();
    const { reader, writer, table } = setupStore({ maxAge: MINUTE }, flaky);
    await writer.putSecret('db', 'one');

    const results = await Promise.allSettled(Array.from({ length: 5 }, () => reader.getSecret('db')));

    expect(results.map((result) => result.status)).toEqual(Array.from({ length: 5 }, () => 'rejected'));
    expect(table.calls).toBe(1);
    flaky.failing = false;
    expect(await reader.getSecret('db')).toBe('one');
    expect(table.calls).toBe(2);
  });

  it('does not share reads of different keys', async () => {
    const { reader, writer, table } = setupStore({ maxAge: MINUTE });
    await writer.putSecret('a', 'a1');
    await writer.putSecret('b', 'b1');

    await Promise.all([reader.getSecret('a'), reader.getSecret('b'), reader.getSecret('a', { version: 1 })]);

    expect(table.calls).toBe(3);
  });
});

describe('read cache: maxAge 0', () => {
  it('bypasses the cache for sequential reads', async () => {
    const { reader, writer, table } = setupStore({ maxAge: 0 });
    await writer.putSecret('db', 'one', { version: 1 });

    await reader.getSecret('db');
    await reader.getSecret('db');
    await reader.getSecret('db', { version: 1 });
    await reader.getSecret('db', { version: 1 });

    expect(table.calls).toBe(4);
  });

  it('bypasses the cache for concurrent reads', async () => {
    const { reader, writer, table } = setupStore({ maxAge: 0 });
    await writer.putSecret('db', 'one');

    await Promise.all(Array.from({ length: 4 }, () => reader.getSecret('db')));

    expect(table.calls).toBe(4);
  });
});

describe('read cache: writes through the same Credstash', () => {
  it('drops a name on putSecret', async () => {
    const { reader } = setupStore({ maxAge: MINUTE });
    await reader.putSecret('db', 'one');
    await reader.getSecret('db');

    await reader.putSecret('db', 'two', { autoVersion: true });

    expect(await reader.getSecret('db')).toBe('two');
  });

  it('drops a name on deleteSecret and deleteSecrets', async () => {
    const { reader } = setupStore({ maxAge: MINUTE });
    await reader.putSecret('db', 'one', { version: 1 });
    await reader.putSecret('db', 'two', { version: 2 });
    await reader.getSecret('db', { version: 1 });
    await reader.getSecret('db');

    await reader.deleteSecret('db', 2);
    expect(await reader.getSecret('db')).toBe('one');

    await reader.deleteSecrets('db');
    await reader.putSecret('db', 'new one', { version: 1 });
    expect(await reader.getSecret('db', { version: 1 })).toBe('new one');
  });

  it('does not keep a read that a put overtook', async () => {
    const held = new HeldTableProvider();
    const { reader } = setupStore({ maxAge: MINUTE }, held);
    await reader.putSecret('db', 'one');
    const { promise, open } = gate();
    held.hold = promise;

    const inFlight = reader.getSecret('db');
    await reader.putSecret('db', 'two', { version: 2 });
    open();
    expect(await inFlight).toBe('one');
    held.hold = Promise.resolve();

    expect(await reader.getSecret('db')).toBe('two');
  });
});

describe('read cache: maxEntries', () => {
  it('drops the least recently used entry', async () => {
    const { reader, writer, table } = setupStore({ maxAge: MINUTE, maxEntries: 2 });
    for (const name of ['a', 'b', 'c']) {
      await writer.putSecret(name, `${name}1`);
    }

    await reader.getSecret('a');
    await reader.getSecret('b');
    await reader.getSecret('a');
    await reader.getSecret('c');
    expect(table.calls).toBe(3);

    await reader.getSecret('a');
    expect(table.calls).toBe(3);
    await reader.getSecret('b');
    expect(table.calls).toBe(4);
  });
});

describe('read cache: options', () => {
  const keyProvider = new LocalKeyProvider({ masterKey: TEST_MASTER_KEY });
  const invalid: [string, unknown][] = [
    ['cache.maxAge', { maxAge: -1 }],
    ['cache.maxAge', { maxAge: Number.NaN }],
    ['cache.maxAge', { maxAge: '60000' }],
    ['cache.maxAge', {}],
    ['cache.versionMaxAge', { maxAge: 1, versionMaxAge: -5 }],
    ['cache.maxEntries', { maxAge: 1, maxEntries: 0 }],
    ['cache.maxEntries', { maxAge: 1, maxEntries: 1.5 }],
    ['cache', null],
  ];

  for (const [argument, cache] of invalid) {
    it(`rejects ${JSON.stringify(cache)}`, () => {
      const create = (): Credstash => new Credstash({ keyProvider, tableProvider: new MemoryTableProvider(), cache: cache as SecretCacheOptions });

      expect(create).toThrow(InvalidArgumentError);
      expect(create).toThrow(expect.objectContaining({ argument }));
    });
  }

  it('names the value and the fix', () => {
    expect(() => new SecretCache({ maxAge: -1 })).toThrow('invalid cache.maxAge -1: expected milliseconds as a number >= 0');
  });
});

describe('read cache: inspection', () => {
  it('shows no secret in util.inspect', async () => {
    const secret = 'pa55word-that-must-not-leak';
    const { reader, writer } = setupStore({ maxAge: MINUTE });
    await writer.putSecret('db', secret);
    await reader.getSecret('db');

    const cache = new SecretCache({ maxAge: MINUTE });
    const store = { keyProvider: new LocalKeyProvider({ masterKey: TEST_MASTER_KEY }), tableProvider: new MemoryTableProvider(), concurrency: 1, bindName: false };
    await new Credstash(store).putSecret('db', secret);
    await cache.getSecret(store, 'db');
    expect(cache.size).toBe(1);

    for (const shown of [inspect(reader, { showHidden: true, depth: Infinity }), inspect(cache, { showHidden: true, depth: Infinity }), JSON.stringify(reader)]) {
      expect(shown).not.toContain(secret);
    }
    expect(inspect(cache)).toBe('SecretCache { entries: 1, maxAge: 60000, versionMaxAge: Infinity, maxEntries: 1000 }');
  });
});

describe('read cache: file table', () => {
  it('counts one request per fresh entry', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'credstash-ts-cache-')), 'table.jsonl');
    const file = new FileTableProvider({ path });
    await file.createTable({});
    const { reader, writer, table, keys } = setupStore({ maxAge: MINUTE }, file);
    await writer.putSecret('db', 'one');

    const values = await Promise.all([reader.getSecret('db'), reader.getSecret('db'), reader.getSecret('db')]);
    expect(await reader.getSecret('db')).toBe('one');
    await writer.putSecret('db', 'two', { autoVersion: true });
    vi.advanceTimersByTime(MINUTE);

    expect(values).toEqual(['one', 'one', 'one']);
    expect(await reader.getSecret('db')).toBe('two');
    expect(table.calls).toBe(2);
    expect(keys.calls).toBe(2);
  });
});
