import {
  CredstashError,
  GetAllSecretsError,
  InsecureKeyFileError,
  InvalidItemError,
  MasterKeyNotFoundError,
  SecretNotFoundError,
  type SecretFailure,
} from '../errors/index.js';
import { parseSummary, type ItemAttributes } from '../format/item.js';
import { padVersion } from '../format/version.js';
import type { EncryptionContext } from '../keys/key-provider.js';
import { compareKeys } from '../tables/lib/compare-keys.js';
import { mapConcurrent } from './lib/map-concurrent.js';
import { assertNameKeyFree, contextForName } from './lib/name-binding.js';
import { openItem } from './lib/open-item.js';
import { compileNamePattern } from './lib/name-pattern.js';
import { validateContext, validateFlag, validateOptions, validatePositiveInteger } from './lib/validate.js';
import type { StoreContext } from './store-context.js';

/**
 * Options of `getAllSecrets`.
 *
 * @example
 * ```ts
 * await credstash.getAllSecrets({ pattern: 'app/*', context: { env: 'prod' }, concurrency: 8 });
 * ```
 */
export interface GetAllSecretsOptions {
  /** Encryption context passed for every secret. @default {} */
  readonly context?: EncryptionContext;
  /** Read this version of every name instead of the latest; names without it are failures. */
  readonly version?: string | number;
  /** Only names matching this pattern, where `*` matches any run of characters and everything else is literal. */
  readonly pattern?: string;
  /** Maximum number of secrets decrypted at once. @default the store's concurrency */
  readonly concurrency?: number;
  /** Items per scan page. @default the table provider's page size */
  readonly pageSize?: number;
  /**
   * When true, resolve with the readable secrets and the list of failures instead of
   * rejecting with {@link GetAllSecretsError}. A failure that no secret can get past still
   * rejects at once: a local master key file that is missing ({@link MasterKeyNotFoundError})
   * or that others may read ({@link InsecureKeyFileError}). @default false
   */
  readonly allowPartial?: boolean;
  /** Called after each secret is decrypted or fails, with the count so far and the total, for progress output. */
  readonly onProgress?: (done: number, total: number) => void;
}

/**
 * Result of `getAllSecrets` with `allowPartial: true`.
 *
 * @example
 * ```ts
 * const { secrets, failures } = await credstash.getAllSecrets({ allowPartial: true });
 * if (failures.length > 0) console.warn(failures.map((failure) => failure.name));
 * ```
 */
export interface PartialSecrets {
  /** Name to secret for every secret that was read. */
  readonly secrets: Record<string, string>;
  /** Every name that could not be read, with its error. Empty when all were read. */
  readonly failures: readonly SecretFailure[];
}

type Candidate = { readonly name: string; readonly version: string; readonly item: ItemAttributes };

/**
 * Reads the latest version (or the given version) of every secret in one consistent scan
 * and decrypts them with bounded concurrency. Never drops a secret silently.
 */
export async function getAllSecrets(store: StoreContext, getAllOptions?: GetAllSecretsOptions): Promise<Record<string, string> | PartialSecrets> {
  const options = validateOptions(getAllOptions, 'getAllSecrets');
  const allowPartial = validateFlag('allowPartial', options.allowPartial);
  const context = validateContext(options.context);
  const version = options.version === undefined ? undefined : padVersion(options.version);
  const matchesPattern = options.pattern === undefined ? () => true : compileNamePattern(options.pattern);
  const concurrency = validatePositiveInteger('concurrency', options.concurrency, store.concurrency);
  const pageSize = options.pageSize === undefined ? undefined : validatePositiveInteger('pageSize', options.pageSize, 1);
  assertNameKeyFree(store.bindName, context);

  const { candidates, failures } = await collectCandidates(store, version, matchesPattern, pageSize);
  const total = candidates.length + failures.length;
  let done = failures.length;
  const opened = await mapConcurrent(candidates, concurrency, async (candidate) => {
    try {
      const secret = await openItem(store.keyProvider, candidate.item, contextForName(store.bindName, candidate.name, context));
      return { candidate, secret };
    } catch (error) {
      if (!(error instanceof CredstashError) || failsEveryRead(error)) {
        throw error;
      }
      return { candidate, error };
    } finally {
      done += 1;
      options.onProgress?.(done, total);
    }
  });

  const secrets: Record<string, string> = {};
  for (const result of opened) {
    if ('secret' in result) {
      // defineProperty, because assigning to a name such as "__proto__" would not create a property.
      Object.defineProperty(secrets, result.candidate.name, { value: result.secret, enumerable: true, writable: true, configurable: true });
    } else {
      failures.push({ name: result.candidate.name, version: result.candidate.version, error: result.error });
    }
  }
  failures.sort((left, right) => compareKeys(left.name, right.name));

  if (allowPartial) {
    return { secrets, failures };
  }
  if (failures.length > 0) {
    throw new GetAllSecretsError(failures, total);
  }
  return secrets;
}

// Keeps, per name, only the item to decrypt (the highest or the requested version), so
// memory grows with the number of names, not of versions.
async function collectCandidates(
  store: StoreContext,
  version: string | undefined,
  matchesPattern: (name: string) => boolean,
  pageSize: number | undefined,
): Promise<{ candidates: Candidate[]; failures: SecretFailure[] }> {
  const chosen = new Map<string, Candidate>();
  const seen = new Set<string>();
  const failures: SecretFailure[] = [];
  const scanOptions = pageSize === undefined ? { attributes: 'all' as const } : { attributes: 'all' as const, pageSize };

  for await (const page of store.tableProvider.scanItems(scanOptions)) {
    for (const item of page.items) {
      let summary;
      try {
        summary = parseSummary(item);
      } catch (error) {
        failures.push({ name: describeUnnamed(item), version: undefined, error: error as InvalidItemError });
        continue;
      }
      if (!matchesPattern(summary.name)) {
        continue;
      }
      seen.add(summary.name);

      const current = chosen.get(summary.name);
      const wanted = version === undefined ? current === undefined || compareKeys(summary.version, current.version) > 0 : summary.version === version;
      if (wanted) {
        chosen.set(summary.name, { name: summary.name, version: summary.version, item });
      }
    }
  }

  for (const name of seen) {
    if (!chosen.has(name) && version !== undefined) {
      failures.push({ name, version, error: new SecretNotFoundError(name, version) });
    }
  }
  const candidates = [...chosen.values()].sort((left, right) => compareKeys(left.name, right.name));
  return { candidates, failures };
}

// A missing or exposed master key file would fail every secret the same way, so a partial
// result would only hide it.
function failsEveryRead(error: CredstashError): boolean {
  return error instanceof MasterKeyNotFoundError || error instanceof InsecureKeyFileError;
}

function describeUnnamed(item: ItemAttributes): string {
  const name = (item as ItemAttributes | null)?.['name'];
  return typeof name === 'object' && name !== null && typeof (name as { S?: unknown }).S === 'string' ? (name as { S: string }).S : '(item without a valid name)';
}
