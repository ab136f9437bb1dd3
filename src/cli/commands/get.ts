import type { EncryptionContext } from '../../keys/key-provider.js';
import type { Credstash } from '../../store/credstash.js';

/** Options of the `get` command. */
export interface GetOptions {
  /** Secret name; a name containing `*` is a pattern. */
  readonly name: string;
  readonly context: EncryptionContext;
  /** Version to read from every matched name; the latest when undefined. */
  readonly version: string | undefined;
  readonly onProgress?: (done: number, total: number) => void;
}

/** One secret, or the secrets whose names match a pattern. */
export type GetResult = { readonly kind: 'secret'; readonly secret: string } | { readonly kind: 'secrets'; readonly secrets: Record<string, string> };

/**
 * Reads one secret, or every secret whose name matches when the name contains `*`. In a
 * pattern `*` matches any run of characters and every other character matches itself;
 * Python credstash 1.17.1 treats the rest of the pattern as a regular expression.
 */
export async function getCommand(store: Credstash, options: GetOptions): Promise<GetResult> {
  const version = options.version === undefined ? {} : { version: options.version };

  if (options.name.includes('*')) {
    const secrets = await store.getAllSecrets({
      pattern: options.name,
      context: options.context,
      ...version,
      ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
    });
    return { kind: 'secrets', secrets };
  }

  return { kind: 'secret', secret: await store.getSecret(options.name, { context: options.context, ...version }) };
}
