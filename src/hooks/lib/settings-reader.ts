import { isAbsolute, normalize } from 'node:path';

import { HookConfigError } from '../errors.js';

/**
 * Reads typed settings out of one JSON object of a hook config file, with every error
 * naming the file, the setting and the fix. Keys that no reader asked for are rejected by
 * {@link SettingsReader.rejectUnknown}, so a misspelt setting never goes unnoticed.
 */
export class SettingsReader {
  readonly #path: string;
  readonly #prefix: string;
  readonly #object: Record<string, unknown>;
  readonly #known = new Set<string>();

  constructor(path: string, prefix: string, value: unknown) {
    this.#path = path;
    this.#prefix = prefix;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw this.error(undefined, `${prefix === '' ? 'the file' : `"${prefix}"`} must contain a JSON object, such as {"secret": "tls/passphrase"}.`);
    }
    this.#object = value as Record<string, unknown>;
  }

  has(key: string): boolean {
    this.#known.add(key);
    return Object.hasOwn(this.#object, key);
  }

  raw(key: string): unknown {
    this.#known.add(key);
    return Object.hasOwn(this.#object, key) ? this.#object[key] : undefined;
  }

  string(key: string, example: string): string | undefined {
    const value = this.raw(key);
    if (value === undefined) {
      return undefined;
    }
    if (typeof value !== 'string' || value.trim() === '') {
      throw this.error(key, `invalid ${this.quote(key)} ${describe(value)}: expected a non-empty string, such as ${JSON.stringify(example)}.`);
    }
    return value;
  }

  requiredString(key: string, example: string): string {
    const value = this.string(key, example);
    if (value === undefined) {
      throw this.error(key, `missing ${this.quote(key)}: set it, for example to ${JSON.stringify(example)}.`);
    }
    return value;
  }

  absolutePath(key: string, example: string): string | undefined {
    const value = this.string(key, example);
    if (value === undefined) {
      return undefined;
    }
    // Servers start hooks in a working directory of their choice: Apache uses the hook's
    // folder and systemd uses /. A relative path would therefore depend on the caller.
    if (!isAbsolute(value) || normalize(value) !== value) {
      throw this.error(key, `invalid ${this.quote(key)} ${JSON.stringify(value)}: use an absolute, normalized path, such as ${JSON.stringify(example)}.`);
    }
    return value;
  }

  boolean(key: string, fallback: boolean): boolean {
    const value = this.raw(key);
    if (value === undefined) {
      return fallback;
    }
    if (typeof value !== 'boolean') {
      throw this.error(key, `invalid ${this.quote(key)} ${describe(value)}: expected true or false.`);
    }
    return value;
  }

  number(key: string, fallback: number, range: { min: number; max: number; integer: boolean; unit: string }): number {
    const value = this.raw(key);
    if (value === undefined) {
      return fallback;
    }
    const valid = typeof value === 'number' && Number.isFinite(value) && (!range.integer || Number.isInteger(value));
    if (!valid || value < range.min || value > range.max) {
      const kind = range.integer ? 'an integer' : 'a number';
      throw this.error(key, `invalid ${this.quote(key)} ${describe(value)}: expected ${kind} of ${range.unit} from ${range.min} to ${range.max}.`);
    }
    return value;
  }

  /** Reads an object whose values are non-empty strings. */
  stringMap(key: string, example: string): Record<string, string> | undefined {
    const value = this.raw(key);
    if (value === undefined) {
      return undefined;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw this.error(key, `invalid ${this.quote(key)} ${describe(value)}: expected an object such as ${example}.`);
    }
    const result: Record<string, string> = {};
    for (const [entryKey, entryValue] of Object.entries(value)) {
      if (entryKey === '' || typeof entryValue !== 'string' || entryValue === '') {
        throw this.error(key, `invalid entry ${JSON.stringify(entryKey)} in ${this.quote(key)}: keys and values must be non-empty strings, as in ${example}.`);
      }
      Object.defineProperty(result, entryKey, { value: entryValue, enumerable: true, writable: true, configurable: true });
    }
    return result;
  }

  nested(key: string): SettingsReader | undefined {
    const value = this.raw(key);
    return value === undefined ? undefined : new SettingsReader(this.#path, this.qualified(key), value);
  }

  rejectUnknown(): void {
    const unknown = Object.keys(this.#object).filter((key) => !this.#known.has(key));
    if (unknown.length > 0) {
      const allowed = [...this.#known].map((key) => `"${key}"`).join(', ');
      throw this.error(unknown[0], `unknown setting ${this.quote(unknown[0] as string)}. Check its spelling. The settings allowed here are ${allowed}.`);
    }
  }

  error(key: string | undefined, message: string): HookConfigError {
    return new HookConfigError(this.#path, key === undefined ? (this.#prefix || undefined) : this.qualified(key), message);
  }

  qualified(key: string): string {
    return this.#prefix === '' ? key : `${this.#prefix}.${key}`;
  }

  quote(key: string): string {
    return `"${this.qualified(key)}"`;
  }
}

function describe(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
