import { CredstashError } from './credstash-error.js';

/**
 * One secret that `getAllSecrets` could not return, with the reason.
 *
 * @example
 * ```ts
 * const { failures } = await credstash.getAllSecrets({ allowPartial: true });
 * for (const { name, version, error } of failures) console.error(name, version, error.code);
 * ```
 */
export interface SecretFailure {
  readonly name: string;
  /** Padded version that was tried, when one was found. */
  readonly version: string | undefined;
  readonly error: CredstashError;
}

/**
 * `getAllSecrets` could not return some secrets. `failures` lists every one of them with
 * its error. The secrets that were readable are not attached, so logging this error never
 * prints a secret. Pass `allowPartial: true` to receive them together with the failures.
 *
 * @example
 * ```ts
 * try {
 *   await credstash.getAllSecrets();
 * } catch (error) {
 *   if (error instanceof GetAllSecretsError) {
 *     for (const { name, error: reason } of error.failures) console.error(name, reason.code);
 *   }
 * }
 * ```
 */
export class GetAllSecretsError extends CredstashError {
  readonly failures: readonly SecretFailure[];

  constructor(failures: readonly SecretFailure[], total: number) {
    const lines = failures.map((failure) => `  ${failure.name}: ${failure.error.message}`);
    super(
      'ERR_GET_ALL_SECRETS',
      `${failures.length} of ${total} secrets could not be read:\n${lines.join('\n')}`,
      { cause: failures[0]?.error },
    );
    this.failures = failures;
  }
}
