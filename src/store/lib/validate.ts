import { InvalidArgumentError } from '../../errors/index.js';
import { isWellFormedText } from '../../format/text.js';
import type { EncryptionContext } from '../../keys/key-provider.js';

// DynamoDB limits a partition key value to 2048 bytes.
const MAX_NAME_BYTES = 2048;

/** Rejects a name that DynamoDB cannot store as a partition key. */
export function validateName(name: unknown): string {
  if (typeof name !== 'string') {
    throw new InvalidArgumentError('name', `invalid name of type ${typeof name}: pass the secret name as a string.`);
  }
  if (name === '') {
    throw new InvalidArgumentError('name', 'invalid name "": a secret name cannot be empty. Pass a non-empty name.');
  }
  if (!isWellFormedText(name)) {
    throw new InvalidArgumentError('name', 'invalid name: it contains an unpaired UTF-16 surrogate, which has no UTF-8 form. Remove or replace that character.');
  }
  const bytes = Buffer.byteLength(name);
  if (bytes > MAX_NAME_BYTES) {
    throw new InvalidArgumentError(
      'name',
      `invalid name: ${bytes} bytes is longer than DynamoDB's partition key limit of ${MAX_NAME_BYTES} bytes. Use a shorter name.`,
    );
  }
  return name;
}

/**
 * Rejects an encryption context that KMS would refuse or that cannot be given again on
 * the command line: it must map non-empty strings to non-empty strings.
 */
export function validateContext(context: unknown): EncryptionContext {
  if (context === undefined) {
    return {};
  }
  if (typeof context !== 'object' || context === null || Array.isArray(context)) {
    throw new InvalidArgumentError('context', 'invalid context: pass an object that maps strings to strings, such as { env: "prod" }.');
  }

  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(context)) {
    if (key === '' || !isWellFormedText(key)) {
      throw new InvalidArgumentError('context', `invalid context key ${JSON.stringify(key)}: keys must be non-empty text.`);
    }
    if (typeof value !== 'string') {
      throw new InvalidArgumentError('context', `invalid context value for key "${key}": expected a string, received ${typeof value}.`);
    }
    if (value === '' || !isWellFormedText(value)) {
      throw new InvalidArgumentError('context', `invalid context value for key "${key}": values must be non-empty text.`);
    }
    Object.defineProperty(result, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return result;
}

/** Rejects a secret that is not a string or that cannot be encoded as UTF-8 without loss. */
export function validateSecret(secret: unknown): string {
  if (typeof secret !== 'string') {
    throw new InvalidArgumentError('secret', `invalid secret of type ${typeof secret}: credstash secrets are strings. Pass the secret as a string.`);
  }
  if (!isWellFormedText(secret)) {
    throw new InvalidArgumentError('secret', 'invalid secret: it contains an unpaired UTF-16 surrogate, which has no UTF-8 form. Remove or replace that character.');
  }
  return secret;
}

/** Rejects a comment that is not a string; an empty comment means none. */
export function validateComment(comment: unknown): string | undefined {
  if (comment === undefined || comment === '') {
    return undefined;
  }
  if (typeof comment !== 'string' || !isWellFormedText(comment)) {
    throw new InvalidArgumentError('comment', 'invalid comment: pass text, or leave the option out.');
  }
  return comment;
}

/**
 * Rejects an options argument that is not an object, such as `null` from JavaScript
 * callers, and returns `{}` for undefined.
 */
export function validateOptions<T extends object>(options: T | undefined, method: string): T {
  if (options === undefined) {
    return {} as T;
  }
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new InvalidArgumentError('options', `invalid options for ${method}: expected an object or undefined, received ${options === null ? 'null' : typeof options}.`);
  }
  return options;
}

/** Rejects an optional flag that is not a boolean, such as the string "true". */
export function validateFlag(argument: string, value: unknown): boolean {
  if (value === undefined) {
    return false;
  }
  if (typeof value !== 'boolean') {
    throw new InvalidArgumentError(argument, `invalid ${argument} ${JSON.stringify(value)}: expected true or false.`);
  }
  return value;
}

/** Rejects a concurrency or page size that is not a positive integer. */
export function validatePositiveInteger(argument: string, value: unknown, fallback: number): number {
  if (value === undefined) {
    return fallback;
  }
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new InvalidArgumentError(argument, `invalid ${argument} ${String(value)}: expected a positive integer.`);
  }
  return value;
}
