import { CredstashError } from './credstash-error.js';

/**
 * No item exists for the requested name, or for the requested name and version.
 *
 * @example
 * ```ts
 * await credstash.getSecret('missing'); // SecretNotFoundError, code ERR_SECRET_NOT_FOUND
 * ```
 */
export class SecretNotFoundError extends CredstashError {
  readonly secretName: string;
  /** Padded version that was requested, or undefined when the latest was requested. */
  readonly version: string | undefined;

  constructor(secretName: string, version?: string) {
    const what =
      version === undefined
        ? `secret "${secretName}"`
        : `version "${version}" of secret "${secretName}"`;
    super('ERR_SECRET_NOT_FOUND', `${what} not found. Check the name, version and table.`);
    this.secretName = secretName;
    this.version = version;
  }
}
