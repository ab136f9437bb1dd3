import { CredstashError } from './credstash-error.js';

/**
 * An autoversion put could not choose the next version: the highest stored version is not
 * an integer, the next integer does not fit in 19 digits, or other writers won every
 * attempt.
 *
 * @example
 * ```ts
 * await credstash.putSecret('app', 'v', { version: 'beta' });
 * await credstash.putSecret('app', 'w', { autoVersion: true }); // AutoVersionError
 * ```
 */
export class AutoVersionError extends CredstashError {
  readonly secretName: string;

  constructor(secretName: string, message: string) {
    super('ERR_AUTOVERSION', message);
    this.secretName = secretName;
  }
}
