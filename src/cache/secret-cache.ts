import { InvalidArgumentError } from '../errors/index.js';
import { padVersion } from '../format/version.js';
import { getSecret, type GetSecretOptions } from '../store/get-secret.js';
import { validateContext, validateName } from '../store/lib/validate.js';
import type { StoreContext } from '../store/store-context.js';
import { cacheKey, type CacheKey } from './cache-key.js';

/**
 * Options of the read cache that `new Credstash({ cache })` turns on. Only `getSecret` reads
 * through it. `getAllSecrets`, `listSecrets` and `getHighestVersion` always read the table.
 *
 * Each `Credstash` has its own cache. One `Credstash` reads one table, in one region, with
 * one set of credentials, so entries of different tables, regions or accounts never mix.
 * Within it, an entry is keyed by name, version (or latest) and encryption context.
 * A cache shared between instances would need a key that identifies the table, and a table
 * name plus a region does not: two AWS accounts can each have `credential-store` in `eu-west-1`.
 *
 * > [!WARNING]
 * > Cached secrets stay in process memory as JavaScript strings until they expire or are
 * > cleared, and strings cannot be zeroed. `util.inspect` never shows them.
 *
 * @example
 * ```ts
 * // Latest versions for 5 minutes; explicit versions until cleared; at most 200 entries.
 * const credstash = new Credstash({ region: 'eu-west-1', cache: { maxAge: 5 * 60_000, maxEntries: 200 } });
 * ```
 */
export interface SecretCacheOptions {
  /**
   * How long a read of the latest version is reused, in milliseconds. `0` turns the cache
   * off entirely, so that every read goes to the table and concurrent reads are not shared.
   * `Infinity` keeps entries until they are cleared.
   */
  readonly maxAge: number;
  /**
   * How long a read of an explicit version is reused, in milliseconds. A stored version does
   * not change unless someone deletes it and puts the same version again, so by default it
   * is kept until cleared. It cannot be combined with `maxAge: 0`, which turns the whole
   * cache off. @default `Infinity`, or `0` when `maxAge` is `0`
   */
  readonly versionMaxAge?: number;
  /** Maximum number of entries. Beyond it the least recently used entry is dropped. @default 1000 */
  readonly maxEntries?: number;
}

/** Default of {@link SecretCacheOptions.maxEntries}. */
const DEFAULT_MAX_ENTRIES = 1000;

// Node's util.inspect calls this method instead of listing the object's fields.
const INSPECT = Symbol.for('nodejs.util.inspect.custom');

interface Entry {
  readonly name: string;
  /** `performance.now()` when the read started, so an entry is never younger than its data. */
  readonly startedAt: number;
  /** The read in flight, shared by every caller until it settles. */
  readonly read: Promise<string>;
  settled: boolean;
  value: string | undefined;
}

/**
 * Read-through cache of `getSecret` results for one store.
 *
 * Why a `cache` option rather than a wrapper class: the `Credstash` that reads is the one
 * that writes, so `putSecret` and the deletes drop the entries of the names they change and
 * a process never reads its own stale write. Callers also keep one object and one
 * `getSecret` signature whether or not caching is on, which is how a service or Lambda
 * handler turns it on without touching its call sites.
 *
 * Entry ages come from `performance.now()`, which wall-clock changes do not move.
 */
export class SecretCache {
  readonly #maxAge: number;
  readonly #versionMaxAge: number;
  readonly #maxEntries: number;
  // Insertion order is use order: a hit moves its entry to the end, eviction takes the first.
  readonly #entries = new Map<string, Entry>();

  constructor(options: SecretCacheOptions) {
    if (typeof options !== 'object' || options === null) {
      throw new InvalidArgumentError('cache', 'invalid cache: pass an object such as { maxAge: 60_000 }.');
    }
    this.#maxAge = validateAge('cache.maxAge', options.maxAge);
    if (options.versionMaxAge !== undefined) {
      this.#versionMaxAge = validateAge('cache.versionMaxAge', options.versionMaxAge);
      if (this.#maxAge === 0 && this.#versionMaxAge !== 0) {
        throw new InvalidArgumentError(
          'cache.versionMaxAge',
          `invalid cache.versionMaxAge ${String(this.#versionMaxAge)}: maxAge 0 turns the cache off for every read. Leave versionMaxAge out, or give maxAge a positive age.`,
        );
      }
    } else {
      this.#versionMaxAge = this.#maxAge === 0 ? 0 : Infinity;
    }
    this.#maxEntries = validateMaxEntries(options.maxEntries);
  }

  /** Number of entries, including reads still in flight. */
  get size(): number {
    return this.#entries.size;
  }

  /**
   * Reads a secret through the cache. Input is validated first, so that a bad argument is
   * rejected the same way with or without a cache. With `refresh`, the read always goes to
   * the table, and its result replaces the entry.
   */
  async getSecret(store: StoreContext, name: string, options: GetSecretOptions = {}): Promise<string> {
    validateName(name);
    const context = validateContext(options.context);
    const version = options.version === undefined ? undefined : padVersion(options.version);
    const key = cacheKey(name, version, context);
    const maxAge = version === undefined ? this.#maxAge : this.#versionMaxAge;
    const read = (): Promise<string> => getSecret(store, name, { ...options, context });

    if (maxAge === 0) {
      return read();
    }

    const existing = this.#entries.get(key.id);
    if (existing !== undefined && options.refresh !== true) {
      if (!existing.settled) {
        return existing.read;
      }
      if (performance.now() - existing.startedAt < maxAge) {
        this.#entries.delete(key.id);
        this.#entries.set(key.id, existing);
        return existing.value as string;
      }
    }
    return this.#start(key, read);
  }

  /** Drops every entry of `name`, including reads in flight, whose results are then not kept. */
  invalidate(name: string): void {
    for (const [id, entry] of this.#entries) {
      if (entry.name === name) {
        this.#entries.delete(id);
      }
    }
  }

  /** Drops every entry, including reads in flight, whose results are then not kept. */
  clear(): void {
    this.#entries.clear();
  }

  [INSPECT](): string {
    return `SecretCache { entries: ${this.#entries.size}, maxAge: ${this.#maxAge}, versionMaxAge: ${this.#versionMaxAge}, maxEntries: ${this.#maxEntries} }`;
  }

  #start(key: CacheKey, read: () => Promise<string>): Promise<string> {
    // An entry that a refresh replaced, or that a write, a clear or eviction dropped, is no
    // longer in the map when its read settles, so its result is not kept.
    const entry: Entry = {
      name: key.name,
      startedAt: performance.now(),
      settled: false,
      value: undefined,
      read: read().then(
        (value) => {
          entry.value = value;
          entry.settled = true;
          return value;
        },
        (error: unknown) => {
          // Failures are never cached, so the next read tries again. The check keeps a
          // failing old read from dropping the entry of a refresh that replaced it.
          if (this.#entries.get(key.id) === entry) {
            this.#entries.delete(key.id);
          }
          throw error;
        },
      ),
    };

    this.#entries.delete(key.id);
    this.#entries.set(key.id, entry);
    for (const id of this.#entries.keys()) {
      if (this.#entries.size <= this.#maxEntries) {
        break;
      }
      this.#entries.delete(id);
    }
    return entry.read;
  }
}

function validateAge(argument: string, value: unknown): number {
  if (typeof value !== 'number' || Number.isNaN(value) || value < 0) {
    const shown = typeof value === 'string' ? JSON.stringify(value) : String(value);
    throw new InvalidArgumentError(argument, `invalid ${argument} ${shown}: expected milliseconds as a number >= 0 (0 turns caching off, Infinity keeps entries until cleared).`);
  }
  return value;
}

function validateMaxEntries(value: unknown): number {
  if (value === undefined) {
    return DEFAULT_MAX_ENTRIES;
  }
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new InvalidArgumentError('cache.maxEntries', `invalid cache.maxEntries ${String(value)}: expected a positive integer.`);
  }
  return value;
}
