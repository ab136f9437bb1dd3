import { CredstashError, type CredstashErrorCode } from './credstash-error.js';

/**
 * A table provider failed to read or write: DynamoDB refused or could not be reached, or a
 * file table could not be read, locked or replaced. `cause` contains the provider's own error.
 *
 * @example
 * ```ts
 * try {
 *   await credstash.listSecrets();
 * } catch (error) {
 *   if (error instanceof TableNotFoundError) await credstash.setup();
 *   else if (error instanceof TableProviderError) throw error; // DynamoDB or file failure, see error.cause
 * }
 * ```
 */
export class TableProviderError extends CredstashError {
  constructor(message: string, options?: { cause?: unknown }, code: CredstashErrorCode = 'ERR_TABLE_PROVIDER') {
    super(code, message, options);
  }
}

/**
 * The credstash table does not exist yet; `setup` creates it.
 *
 * @example
 * ```ts
 * try {
 *   await credstash.listSecrets();
 * } catch (error) {
 *   if (error instanceof TableNotFoundError) await credstash.setup();
 * }
 * ```
 */
export class TableNotFoundError extends TableProviderError {
  readonly tableName: string;

  /**
   * @param where - Where the table was looked for, such as `(DynamoDB in region us-east-1)`.
   * @param options - `fix` replaces the advice at the end of the message, which by default
   *   names setup, the table name and the region.
   */
  constructor(tableName: string, where: string, options?: { cause?: unknown; fix?: string }) {
    const fix = options?.fix ?? 'Run setup to create it, or check the table name and region.';
    super(`table "${tableName}" not found ${where}. ${fix}`, options?.cause === undefined ? undefined : { cause: options.cause }, 'ERR_TABLE_NOT_FOUND');
    this.tableName = tableName;
  }
}
