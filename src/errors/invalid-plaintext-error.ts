import { CredstashError } from './credstash-error.js';

/**
 * A secret decrypted and passed its HMAC check, but its bytes are not valid UTF-8.
 * Credstash secrets are text, and replacing the bad bytes would silently change the secret.
 *
 * @example
 * ```ts
 * await credstash.getSecret('binary-blob'); // InvalidPlaintextError when the bytes are not UTF-8
 * ```
 */
export class InvalidPlaintextError extends CredstashError {
  readonly secretName: string;
  readonly version: string;

  constructor(secretName: string, version: string) {
    super(
      'ERR_INVALID_PLAINTEXT',
      `version "${version}" of secret "${secretName}" decrypted to bytes that are not valid UTF-8. ` +
        'It was not written as credstash text; read it with the tool that wrote it.',
    );
    this.secretName = secretName;
    this.version = version;
  }
}
