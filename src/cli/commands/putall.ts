import { CredstashError } from '../../errors/index.js';
import type { Credstash } from '../../store/credstash.js';
import type { PutSecretResult } from '../../store/put-secret.js';
import { toPutSecretOptions, type StoreOptions } from './put.js';

/** Options of the `putall` command. */
export interface PutAllOptions extends StoreOptions {
  /** Name and value pairs, in input order. */
  readonly secrets: readonly (readonly [string, string])[];
  readonly onProgress?: (done: number, total: number) => void;
}

/** The secrets stored and the ones that failed, each with its error. */
export interface PutAllResult {
  readonly stored: readonly PutSecretResult[];
  readonly failures: readonly { readonly name: string; readonly error: CredstashError }[];
}

/**
 * Stores each secret in turn with the same options. A secret that fails does not stop the
 * others, as in Python credstash 1.17.1; the caller decides how to report the failures.
 */
export async function putAllCommand(store: Credstash, options: PutAllOptions): Promise<PutAllResult> {
  const putOptions = toPutSecretOptions(options);
  const stored: PutSecretResult[] = [];
  const failures: { name: string; error: CredstashError }[] = [];

  for (const [index, [name, secret]] of options.secrets.entries()) {
    try {
      stored.push(await store.putSecret(name, secret, putOptions));
    } catch (error) {
      if (!(error instanceof CredstashError)) {
        throw error;
      }
      failures.push({ name, error });
    }
    options.onProgress?.(index + 1, options.secrets.length);
  }
  return { stored, failures };
}
