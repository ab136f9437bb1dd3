import { CredstashError, InvalidDataKeyError, KeyProviderError } from '../errors/index.js';
import { DATA_KEY_LENGTH } from '../format/envelope.js';
import type { DataKey, EncryptionContext, KeyProvider } from './key-provider.js';

// Key-material rules live here so that every provider, including a caller's own, gets the
// same length check and zeroing.

/** Asks the provider for a 64-byte data key and rejects (after zeroing) any other length. */
export async function generateDataKey(provider: KeyProvider, context: EncryptionContext, keyId?: string): Promise<DataKey> {
  const request = keyId === undefined ? { numberOfBytes: DATA_KEY_LENGTH, context } : { numberOfBytes: DATA_KEY_LENGTH, context, keyId };
  const dataKey: unknown = await callProvider(() => provider.generateDataKey(request), 'generate a data key');

  if (!isDataKey(dataKey)) {
    const plaintext = (dataKey as { plaintext?: unknown } | null | undefined)?.plaintext;
    if (plaintext instanceof Uint8Array) {
      plaintext.fill(0);
    }
    throw new KeyProviderError(
      'the key provider returned an invalid data key: expected { plaintext, ciphertextBlob } as Uint8Arrays, with a non-empty ciphertextBlob. ' +
        'Nothing was written. Fix the key provider.',
    );
  }
  if (dataKey.plaintext.byteLength !== DATA_KEY_LENGTH) {
    dataKey.plaintext.fill(0);
    throw new InvalidDataKeyError(dataKey.plaintext.byteLength, 'generate');
  }
  return dataKey;
}

/**
 * Unwraps a data key, runs `use` with it and zeroes it afterwards, whether `use` returns or
 * throws. Node's cipher objects keep their own copy inside OpenSSL, which cannot be zeroed
 * from JavaScript.
 */
export async function withDecryptedDataKey<T>(
  provider: KeyProvider,
  ciphertextBlob: Uint8Array,
  context: EncryptionContext,
  use: (dataKey: Uint8Array) => T,
): Promise<T> {
  const plaintext: unknown = await callProvider(() => provider.decryptDataKey({ ciphertextBlob, context }), 'decrypt a data key');
  if (!(plaintext instanceof Uint8Array)) {
    throw new KeyProviderError(`the key provider's decryptDataKey returned ${describeValue(plaintext)} instead of a Uint8Array. Fix the key provider.`);
  }

  try {
    if (plaintext.byteLength !== DATA_KEY_LENGTH) {
      throw new InvalidDataKeyError(plaintext.byteLength, 'decrypt');
    }
    return use(plaintext);
  } finally {
    plaintext.fill(0);
  }
}

/** Runs a provider call and wraps anything it throws that is not a CredstashError in a KeyProviderError. */
export async function callProvider<T>(call: () => Promise<T>, action: string): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof CredstashError) {
      throw error;
    }
    throw new KeyProviderError(`the key provider failed to ${action}: ${describe(error)}`, { cause: error });
  }
}

function isDataKey(value: unknown): value is DataKey {
  const candidate = value as { plaintext?: unknown; ciphertextBlob?: unknown } | null | undefined;
  return (
    candidate?.plaintext instanceof Uint8Array && candidate.ciphertextBlob instanceof Uint8Array && candidate.ciphertextBlob.byteLength > 0
  );
}

// Names the type only, because the value could be key material.
function describeValue(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'an array' : `a value of type ${typeof value}`;
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
