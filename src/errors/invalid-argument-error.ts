import { CredstashError } from './credstash-error.js';

/**
 * A caller passed a value that cannot be used: an empty name, an unknown digest, a
 * context value that is not a string, a secret too large for one DynamoDB item.
 * Thrown before any provider is called, so nothing has been read or written.
 *
 * @example
 * ```ts
 * await credstash.putSecret('', 'x'); // InvalidArgumentError: argument "name" ...
 * ```
 */
export class InvalidArgumentError extends CredstashError {
  /** Name of the argument or option that was rejected, for example `"digest"`. */
  readonly argument: string;

  constructor(argument: string, message: string) {
    super('ERR_INVALID_ARGUMENT', message);
    this.argument = argument;
  }
}
