import { CredstashError } from './credstash-error.js';

/**
 * The HMAC stored with a secret does not match its ciphertext, so the item was changed or
 * damaged. The message is the same whatever part was changed, and nothing is decrypted.
 *
 * @example
 * ```ts
 * try {
 *   await credstash.getSecret('db/password');
 * } catch (error) {
 *   if (error instanceof IntegrityError) alertSecurityTeam(error.secretName, error.version);
 * }
 * ```
 */
export class IntegrityError extends CredstashError {
  readonly secretName: string;
  readonly version: string;

  constructor(secretName: string, version: string) {
    super(
      'ERR_INTEGRITY',
      `integrity check failed for version "${version}" of secret "${secretName}": ` +
        'the stored HMAC does not match the ciphertext. The item was modified or damaged; restore it from a backup or put it again.',
    );
    this.secretName = secretName;
    this.version = version;
  }
}
