import type { EncryptionContext } from '../../keys/key-provider.js';
import { usageError } from './cli-error.js';

/**
 * Parses `KEY=VALUE` arguments into an encryption context (or tags). The first `=` splits
 * the pair, so a value may contain `=`, which Python credstash 1.17.1 rejects. A key given
 * twice keeps its last value, as in Python.
 */
export function parsePairs(pairs: readonly string[], what = 'encryption context'): EncryptionContext {
  const result: Record<string, string> = {};

  for (const pair of pairs) {
    const separator = pair.indexOf('=');
    const key = pair.slice(0, separator);
    const value = pair.slice(separator + 1);
    if (separator < 1 || value === '') {
      throw usageError(`invalid ${what} pair ${JSON.stringify(pair)}: use KEY=VALUE with a non-empty key and value.`);
    }
    // defineProperty, because assigning a key such as "__proto__" would not create a property.
    Object.defineProperty(result, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return result;
}
