import { InvalidArgumentError } from '../errors/index.js';

/**
 * Width to which credstash left-pads versions with `0`, so that string order is numeric order.
 *
 * @example
 * ```ts
 * String(7).padStart(VERSION_WIDTH, '0'); // "0000000000000000007", as padVersion(7)
 * ```
 */
export const VERSION_WIDTH = 19;

// DynamoDB limits a sort key to 1024 bytes. Python stores versions longer than 19
// characters unpadded, so reads accept anything up to that limit.
const MAX_READ_VERSION_BYTES = 1024;

// Writes accept printable ASCII without spaces. Python accepts any string, but a version
// is typed in shells and compared byte-wise, so anything else is almost always a mistake.
const WRITABLE_VERSION = /^[\x21-\x7e]+$/;

/**
 * Pads a version the way credstash does: the string form left-filled with `0` to 19
 * characters. `7`, `"7"` and `"0000000000000000007"` all give `"0000000000000000007"`, and a
 * free-form `"v1.0"` gives `"000000000000000v1.0"`.
 *
 * @param version - A non-negative integer or a version string.
 * @param purpose - `"write"` applies the stricter checks used before storing a new item.
 * @throws InvalidArgumentError when the version is empty, negative, too long or not a string or integer.
 * @example
 * ```ts
 * padVersion(7); // "0000000000000000007"
 * ```
 */
export function padVersion(version: unknown, purpose: 'read' | 'write' = 'read'): string {
  const text = versionText(version);

  if (text.startsWith('-')) {
    throw new InvalidArgumentError('version', `invalid version ${JSON.stringify(text)}: versions cannot be negative. Use 0 or a positive version.`);
  }
  if (purpose === 'write') {
    if (text.length > VERSION_WIDTH) {
      throw new InvalidArgumentError(
        'version',
        `invalid version ${JSON.stringify(text)}: a version has at most ${VERSION_WIDTH} characters. Use a shorter version.`,
      );
    }
    if (!WRITABLE_VERSION.test(text)) {
      throw new InvalidArgumentError(
        'version',
        `invalid version ${JSON.stringify(text)}: use printable ASCII characters without spaces.`,
      );
    }
  } else if (Buffer.byteLength(text) > MAX_READ_VERSION_BYTES) {
    throw new InvalidArgumentError(
      'version',
      `invalid version: ${Buffer.byteLength(text)} bytes is longer than the DynamoDB sort key limit of ${MAX_READ_VERSION_BYTES} bytes. Use a shorter version.`,
    );
  }

  return text.padStart(VERSION_WIDTH, '0');
}

/**
 * Computes the version that follows `highest` for an autoversion put.
 * Returns undefined when `highest` is not a non-negative integer or the next one would not
 * fit in 19 digits. BigInt keeps 19-digit versions exact beyond Number.MAX_SAFE_INTEGER.
 */
export function nextVersion(highest: string | undefined): string | undefined {
  if (highest === undefined) {
    return padVersion(1);
  }
  if (!/^\d+$/.test(highest)) {
    return undefined;
  }

  const next = (BigInt(highest) + 1n).toString();
  return next.length > VERSION_WIDTH ? undefined : next.padStart(VERSION_WIDTH, '0');
}

function versionText(version: unknown): string {
  if (typeof version === 'number') {
    if (Number.isInteger(version) && version > Number.MAX_SAFE_INTEGER) {
      throw new InvalidArgumentError(
        'version',
        `invalid version ${String(version)}: numbers above Number.MAX_SAFE_INTEGER lose precision. Pass the version as a string.`,
      );
    }
    if (!Number.isSafeInteger(version) || version < 0) {
      throw new InvalidArgumentError(
        'version',
        `invalid version ${String(version)}: a numeric version must be a non-negative integer.`,
      );
    }
    return String(version);
  }
  if (typeof version !== 'string') {
    throw new InvalidArgumentError(
      'version',
      `invalid version of type ${typeof version}: pass a string such as "7" or a non-negative integer.`,
    );
  }
  if (version === '') {
    throw new InvalidArgumentError('version', 'invalid version "": leave the option out to use the default or latest version.');
  }
  return version;
}
