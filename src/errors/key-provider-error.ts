import { CredstashError, type CredstashErrorCode } from './credstash-error.js';

/**
 * A key provider failed to generate or decrypt a data key: KMS refused or could not be
 * reached, a local master key is unusable, or a wrapped key is damaged. `cause` contains the
 * provider's own error.
 *
 * @example
 * ```ts
 * try {
 *   await credstash.getSecret('db/password', { context: { env: 'prod' } });
 * } catch (error) {
 *   if (error instanceof EncryptionContextError) console.error(error.reason); // "missing" or "mismatch"
 *   else if (error instanceof KeyProviderError) console.error(error.cause); // the KMS error
 * }
 * ```
 */
export class KeyProviderError extends CredstashError {
  constructor(message: string, options?: { cause?: unknown }, code: CredstashErrorCode = 'ERR_KEY_PROVIDER') {
    super(code, message, options);
  }
}

/**
 * A key provider returned a data key that is not exactly 64 bytes. On a put nothing was
 * written, and on a read the secret cannot be opened with this provider.
 *
 * @example
 * ```ts
 * await credstash.putSecret('db', 'pw'); // InvalidDataKeyError when a custom provider returns 32 bytes
 * ```
 */
export class InvalidDataKeyError extends KeyProviderError {
  readonly length: number;

  constructor(length: number, operation: 'generate' | 'decrypt' = 'generate') {
    super(
      operation === 'generate'
        ? `the key provider returned a ${length}-byte data key, but credstash needs exactly 64 bytes ` +
            '(32 for AES-256, 32 for the HMAC). Nothing was written. Fix the key provider.'
        : `the key provider unwrapped a ${length}-byte data key, but credstash data keys are 64 bytes. ` +
            'The secret cannot be read with this key provider. Check that it is the one the secret was stored with.',
      undefined,
      'ERR_INVALID_DATA_KEY',
    );
    this.length = length;
  }
}

/**
 * Decrypting a data key failed because the encryption context does not match the one it
 * was sealed with. `reason` is `"missing"` when no context was given and the key needs one,
 * `"mismatch"` when the given context is wrong, and `"unknown"` when the provider cannot
 * tell a wrong context from a damaged key (AWS KMS answers both with InvalidCiphertextException).
 *
 * @example
 * ```ts
 * try {
 *   await credstash.getSecret('db');
 * } catch (error) {
 *   if (error instanceof EncryptionContextError && error.reason === 'missing') console.error('pass the context');
 * }
 * ```
 */
export class EncryptionContextError extends KeyProviderError {
  readonly reason: 'missing' | 'mismatch' | 'unknown';

  constructor(reason: 'missing' | 'mismatch' | 'unknown', message: string, options?: { cause?: unknown }) {
    super(message, options, 'ERR_ENCRYPTION_CONTEXT');
    this.reason = reason;
  }
}

/**
 * A local master key file is readable or writable by group or others, so it is not used.
 *
 * @example
 * ```ts
 * new LocalKeyProvider({ keyFile: '/etc/credstash/master.key' }); // rejects on first use if the file is mode 0644
 * ```
 */
export class InsecureKeyFileError extends KeyProviderError {
  readonly path: string;

  constructor(path: string, mode: number) {
    super(
      `the master key file ${path} has mode ${(mode & 0o777).toString(8).padStart(4, '0')}, which lets group or others access it. ` +
        `Run "chmod 600 ${path}" and check who could have read it.`,
      undefined,
      'ERR_INSECURE_KEY_FILE',
    );
    this.path = path;
  }
}

/**
 * A local master key file does not exist where a read or write needs it. A read never
 * creates one, because a new key cannot unwrap the data keys already stored. `tablePath` is
 * set when the offline store rejected a new key because that table file already
 * contains secrets.
 *
 * @example
 * ```ts
 * try {
 *   await credstash.getSecret('db/password');
 * } catch (error) {
 *   if (error instanceof MasterKeyNotFoundError) console.error(`restore ${error.path} from a backup`);
 * }
 * ```
 */
export class MasterKeyNotFoundError extends KeyProviderError {
  /** Path of the missing master key file. */
  readonly path: string;
  /** Table file that already contains secrets, when a new key was rejected because of it. */
  readonly tablePath: string | undefined;

  /**
   * @param operation - `"read"` for a decrypt, `"write"` for a new data key that may not
   *   create the file (`create: false`, or a table that contains secrets).
   */
  constructor(path: string, operation: 'read' | 'write', tablePath?: string) {
    super(describeMissingKey(path, operation, tablePath), undefined, 'ERR_MASTER_KEY_NOT_FOUND');
    this.path = path;
    this.tablePath = tablePath;
  }
}

function describeMissingKey(path: string, operation: 'read' | 'write', tablePath: string | undefined): string {
  if (tablePath !== undefined) {
    return (
      `the master key file ${path} is missing, but the table ${tablePath} already contains secrets stored with a master key, ` +
      `so a new key could not read them. Restore ${path} from a backup. If the key is lost for good, move ${tablePath} ` +
      'aside and run setup again to start an empty store.'
    );
  }
  if (operation === 'read') {
    return `the master key file ${path} is missing, and the secrets stored with it cannot be read without it. Restore it from a backup.`;
  }
  return `the master key file ${path} does not exist. Create it with setup({ createKey: true }) or restore it from a backup.`;
}
