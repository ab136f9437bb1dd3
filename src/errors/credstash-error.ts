/**
 * Stable codes of every error this library throws. Compare `error.code`, not messages:
 * codes never change between minor versions, messages may.
 *
 * @example
 * ```ts
 * if (error instanceof CredstashError && error.code === 'ERR_SECRET_NOT_FOUND') return undefined;
 * ```
 */
export type CredstashErrorCode =
  | 'ERR_INVALID_ARGUMENT'
  | 'ERR_SECRET_NOT_FOUND'
  | 'ERR_VERSION_EXISTS'
  | 'ERR_AUTOVERSION'
  | 'ERR_INTEGRITY'
  | 'ERR_INVALID_ITEM'
  | 'ERR_INVALID_PLAINTEXT'
  | 'ERR_KEY_PROVIDER'
  | 'ERR_INVALID_DATA_KEY'
  | 'ERR_ENCRYPTION_CONTEXT'
  | 'ERR_INSECURE_KEY_FILE'
  | 'ERR_MASTER_KEY_NOT_FOUND'
  | 'ERR_TABLE_PROVIDER'
  | 'ERR_TABLE_NOT_FOUND'
  | 'ERR_GET_ALL_SECRETS'
  | 'ERR_HOOK_CONFIG'
  | 'ERR_HOOK_TIMEOUT'
  | 'ERR_INVALID_PASSPHRASE'
  | 'ERR_ENVIRONMENT_NAME'
  | 'ERR_ENVIRONMENT_CONFLICT';

/**
 * Base class of every error credstash-ts throws.
 *
 * Messages name the secret, version, option or endpoint involved and never contain a
 * secret or key material. A provider's original error is kept as `cause`.
 *
 * @example
 * ```ts
 * try {
 *   await credstash.getSecret('db/password');
 * } catch (error) {
 *   if (error instanceof CredstashError && error.code === 'ERR_SECRET_NOT_FOUND') {
 *     // fall back to a default
 *   }
 * }
 * ```
 */
export class CredstashError extends Error {
  /** Stable, machine-readable identifier of the failure. */
  readonly code: CredstashErrorCode;

  constructor(code: CredstashErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}
