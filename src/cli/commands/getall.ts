import type { SecretFailure } from '../../errors/index.js';
import type { EncryptionContext } from '../../keys/key-provider.js';
import type { Credstash } from '../../store/credstash.js';

/** Options of the `getall` command. */
export interface GetAllOptions {
  readonly context: EncryptionContext;
  /** Version to read from every name; the latest when undefined. */
  readonly version: string | undefined;
  /** Return the readable secrets and the failures instead of failing as a whole. */
  readonly partial: boolean;
  readonly onProgress?: (done: number, total: number) => void;
}

/** The secrets read, and the ones that could not be read (only with `partial`). */
export interface GetAllResult {
  readonly secrets: Record<string, string>;
  readonly failures: readonly SecretFailure[];
}

/**
 * Reads the latest version (or the given version) of every secret. Without `partial` any
 * unreadable secret fails the command with every failed name listed; Python credstash
 * 1.17.1 hangs in that case instead.
 */
export async function getAllCommand(store: Credstash, options: GetAllOptions): Promise<GetAllResult> {
  const request = {
    context: options.context,
    ...(options.version === undefined ? {} : { version: options.version }),
    ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
  };

  if (options.partial) {
    return store.getAllSecrets({ ...request, allowPartial: true });
  }
  return { secrets: await store.getAllSecrets(request), failures: [] };
}
