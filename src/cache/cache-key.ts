import type { EncryptionContext } from '../keys/key-provider.js';

/** Identity of one cached read within one store. */
export interface CacheKey {
  /** Map key: name, padded version or latest, and the context in a canonical order. */
  readonly id: string;
  readonly name: string;
  /** Padded version, or undefined for the latest version. */
  readonly version: string | undefined;
}

/**
 * Builds the key of a read from already validated parts. Context entries are sorted by key,
 * because KMS treats `{ a, b }` and `{ b, a }` as the same context, so both reads share one
 * entry. JSON keeps the parts apart whatever characters names and values contain.
 */
export function cacheKey(name: string, version: string | undefined, context: EncryptionContext): CacheKey {
  const entries = Object.keys(context)
    .sort()
    .map((key) => [key, context[key]]);
  return { id: JSON.stringify([name, version ?? null, entries]), name, version };
}
