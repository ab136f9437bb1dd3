import { InvalidArgumentError } from '../errors/index.js';

/**
 * HMAC digest names exactly as credstash stores them in the `digest` attribute.
 * The names are case-sensitive, and `SHA` means SHA-1.
 *
 * @example
 * ```ts
 * await credstash.putSecret('legacy', 'value', { digest: 'SHA512' });
 * DIGESTS.includes(userInput); // validate a digest name from configuration
 * ```
 */
export const DIGESTS = ['SHA', 'SHA224', 'SHA256', 'SHA384', 'SHA512', 'MD5'] as const;

/**
 * One of the credstash digest names.
 *
 * @example
 * ```ts
 * const digest: Digest = 'SHA512';
 * await credstash.putSecret('name', 'value', { digest });
 * ```
 */
export type Digest = (typeof DIGESTS)[number];

/**
 * Digest used when none is given, and assumed for items without a `digest` attribute.
 *
 * @example
 * ```ts
 * const digest = options.digest ?? DEFAULT_DIGEST; // "SHA256"
 * ```
 */
export const DEFAULT_DIGEST: Digest = 'SHA256';

// Node's names for the credstash names. Handing the credstash name straight to a crypto
// library breaks `SHA`, which must mean SHA-1.
const NODE_HASH_NAMES: Readonly<Record<Digest, string>> = {
  SHA: 'sha1',
  SHA224: 'sha224',
  SHA256: 'sha256',
  SHA384: 'sha384',
  SHA512: 'sha512',
  MD5: 'md5',
};

/** Tells whether `value` is one of the six credstash digest names, spelled exactly. */
export function isDigest(value: unknown): value is Digest {
  return typeof value === 'string' && (DIGESTS as readonly string[]).includes(value);
}

/** Returns the `node:crypto` hash name for a credstash digest name. */
export function nodeHashName(digest: Digest): string {
  return NODE_HASH_NAMES[digest];
}

/** Validates a digest option and returns it, naming the exact spelling on a case mismatch. */
export function parseDigestOption(value: unknown): Digest {
  if (isDigest(value)) {
    return value;
  }

  const upper = typeof value === 'string' ? value.toUpperCase().replace('-', '') : undefined;
  const hint =
    upper === 'SHA1'
      ? ' Credstash names SHA-1 "SHA".'
      : upper !== undefined && isDigest(upper)
        ? ` Digest names are case-sensitive: use "${upper}".`
        : '';
  throw new InvalidArgumentError(
    'digest',
    `invalid digest ${JSON.stringify(value)}: expected one of ${DIGESTS.join(', ')}.${hint}`,
  );
}
