import type { Credstash } from '../../store/credstash.js';
import { saveKmsRegion } from '../lib/kms-region-config.js';

/** Options of the `setup` command. */
export interface SetupCommandOptions {
  readonly tags: Readonly<Record<string, string>>;
  /** Region to save in `~/.credstash` for later commands, before the table is created. */
  readonly saveKmsRegion: string | undefined;
  /** Also create the key that wraps data keys unless it exists (the offline store's master key file). */
  readonly createKey: boolean;
}

/** Outcome of `setup`. `key` is undefined unless `createKey` was set. */
export interface SetupResult {
  readonly savedKmsRegion: string | undefined;
  readonly table: 'created' | 'exists';
  readonly key: 'created' | 'exists' | undefined;
}

/** Saves the KMS region when asked, then creates the key when asked and the table, unless they exist. */
export async function setupCommand(store: Credstash, options: SetupCommandOptions): Promise<SetupResult> {
  if (options.saveKmsRegion !== undefined) {
    await saveKmsRegion(options.saveKmsRegion);
  }

  if (options.createKey) {
    const { table, key } = await store.setup({ tags: options.tags, createKey: true });
    return { savedKmsRegion: options.saveKmsRegion, table, key };
  }
  const table = await store.setup({ tags: options.tags });
  return { savedKmsRegion: options.saveKmsRegion, table, key: undefined };
}
