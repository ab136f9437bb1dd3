import { InvalidArgumentError } from '../../errors/index.js';
import type { EncryptionContext } from '../../keys/key-provider.js';

/**
 * Encryption context key under which `bindName` stores a secret's name. Python credstash
 * reads such a secret when given the pair on its command line, for example
 * `credstash get db/password credstash_name=db/password`.
 *
 * @example
 * ```ts
 * // Python credstash reads a secret that new Credstash({ bindName: true }) stored:
 * const pythonArgs = ['get', name, `${NAME_CONTEXT_KEY}=${name}`];
 * ```
 */
export const NAME_CONTEXT_KEY = 'credstash_name';

/** Rejects a caller's context that sets the key `bindName` reserves for the secret name. */
export function assertNameKeyFree(bindName: boolean, context: EncryptionContext): void {
  if (bindName && Object.hasOwn(context, NAME_CONTEXT_KEY)) {
    throw new InvalidArgumentError(
      'context',
      `invalid context key "${NAME_CONTEXT_KEY}": with bindName the store sets it to the secret name itself. Leave it out of the context.`,
    );
  }
}

/**
 * Returns the context a secret is sealed and opened with: the caller's context, plus the
 * secret's name when `bindName` is on. The caller checks the context with
 * {@link assertNameKeyFree} first.
 */
export function contextForName(bindName: boolean, name: string, context: EncryptionContext): EncryptionContext {
  if (!bindName) {
    return context;
  }
  return { ...context, [NAME_CONTEXT_KEY]: name };
}
