import type { Credstash } from '../../store/credstash.js';
import { saveKmsRegion } from '../lib/kms-region-config.js';

/** Options of the `setup` command. */
export interface SetupCommandOptions {
  readonly tags: Readonly<Record<string, string>>;
  /** Region to save in `~/.credstash` for later commands, before the table is created. */
  readonly saveKmsRegion: string | undefined;
}

/** Outcome of `setup`. */
export interface SetupResult {
  readonly savedKmsRegion: string | undefined;
  readonly table: 'created' | 'exists';
}

/** Saves the KMS region when asked, then creates the table unless it exists. */
export async function setupCommand(store: Credstash, options: SetupCommandOptions): Promise<SetupResult> {
  if (options.saveKmsRegion !== undefined) {
    await saveKmsRegion(options.saveKmsRegion);
  }

  const table = await store.setup({ tags: options.tags });
  return { savedKmsRegion: options.saveKmsRegion, table };
}
