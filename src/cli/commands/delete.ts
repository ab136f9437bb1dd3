import type { Credstash } from '../../store/credstash.js';

/** Options of the `delete` command. */
export interface DeleteOptions {
  readonly name: string;
  readonly onDeleted?: (version: string) => void;
}

/**
 * Deletes every version of a secret and returns the versions deleted, in order. A name
 * without versions deletes nothing and is not an error, as in Python credstash 1.17.1.
 */
export async function deleteCommand(store: Credstash, options: DeleteOptions): Promise<string[]> {
  const onDeleted = options.onDeleted;
  return store.deleteSecrets(options.name, onDeleted === undefined ? {} : { onDeleted: (_name, version) => onDeleted(version) });
}
