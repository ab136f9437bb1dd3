import { InvalidArgumentError } from '../errors/index.js';

/**
 * Rejects constructor options that are missing or not an object, naming what `owner`
 * expects, so that a JavaScript caller gets an InvalidArgumentError instead of a TypeError.
 */
export function requireOptionsObject<T extends object>(options: T | undefined | null, owner: string, expected: string): T {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    const received = options === null ? 'null' : Array.isArray(options) ? 'an array' : options === undefined ? 'nothing' : `a ${typeof options}`;
    throw new InvalidArgumentError('options', `invalid options for ${owner}: expected ${expected}, received ${received}.`);
  }
  return options;
}

/** Rejects a duration option that is not a positive, finite number. */
export function validateDuration(argument: string, value: unknown, unit: 'milliseconds' | 'seconds'): void {
  if (value !== undefined && !(typeof value === 'number' && Number.isFinite(value) && value > 0)) {
    throw new InvalidArgumentError(argument, `invalid ${argument} ${JSON.stringify(value) ?? String(value)}: expected a positive number of ${unit}.`);
  }
}
