import type { Credstash } from '../../store/credstash.js';

/** Options of the `setup` command. */
export interface SetupCommandOptions {
  readonly tags: Readonly<Record<string, string>>;
  /** True to also create the key that wraps data keys: a KMS key and its alias, or the offline master key. */
  readonly createKey: boolean;
  /** KMS alias to create instead of `alias/credstash`; only with `createKey`. */
  readonly keyId: string | undefined;
}

/** Outcome of `setup`; `key` is undefined unless the key was requested. */
export interface SetupResult {
  readonly table: 'created' | 'exists';
  readonly key: 'created' | 'exists' | undefined;
}

/** Creates the key when requested, then the table, each unless it exists. */
export async function setupCommand(store: Credstash, options: SetupCommandOptions): Promise<SetupResult> {
  if (!options.createKey) {
    return { table: await store.setup({ tags: options.tags }), key: undefined };
  }

  const keyOptions = options.keyId === undefined ? {} : { keyId: options.keyId };
  return store.setup({ tags: options.tags, createKey: true, ...keyOptions });
}
