import { inspect } from 'node:util';

/**
 * A secret value that does not show itself: `String()`, JSON and `util.inspect` print
 * `[redacted]`, so a result logged by mistake leaks nothing. Call {@link Redacted.reveal}
 * where the value must really be used.
 */
export class Redacted {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  /** Returns the secret value itself. */
  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return '[redacted]';
  }

  toJSON(): string {
    return '[redacted]';
  }

  [inspect.custom](): string {
    return 'Redacted [redacted]';
  }
}
