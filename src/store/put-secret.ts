import { setTimeout as sleep } from 'node:timers/promises';

import { AutoVersionError, InvalidArgumentError, VersionExistsError } from '../errors/index.js';
import { encodeBase64 } from '../format/base64.js';
import { DEFAULT_DIGEST, parseDigestOption, type Digest } from '../format/digest.js';
import { sealContents } from '../format/envelope.js';
import { itemSize, MAX_ITEM_BYTES, type CredstashItem, type ItemAttributes } from '../format/item.js';
import { nextVersion, padVersion } from '../format/version.js';
import { generateDataKey } from '../keys/data-key.js';
import type { EncryptionContext } from '../keys/key-provider.js';
import { getHighestVersion } from './get-highest-version.js';
import { assertNameKeyFree, contextForName } from './lib/name-binding.js';
import { validateComment, validateContext, validateFlag, validateName, validateOptions, validateSecret } from './lib/validate.js';
import type { StoreContext } from './store-context.js';

/**
 * Options of `putSecret`.
 *
 * @example
 * ```ts
 * await credstash.putSecret('db', 'pw', { autoVersion: true, context: { env: 'prod' }, comment: 'rotated' });
 * ```
 */
export interface PutSecretOptions {
  /** Version to store: a non-negative integer or a string of at most 19 characters. @default 1 */
  readonly version?: string | number;
  /** Store the highest existing version plus one (1 for a new name). Cannot be combined with `version`. @default false */
  readonly autoVersion?: boolean;
  /** Encryption context that must be given again to read the secret. @default {} */
  readonly context?: EncryptionContext;
  /** HMAC digest. @default "SHA256" */
  readonly digest?: Digest;
  /** Comment stored next to the secret, shown by `listSecrets`. */
  readonly comment?: string;
  /** KMS key for this secret instead of the key provider's default (AWS KMS only). */
  readonly keyId?: string;
}

/**
 * Name and padded version of a stored secret.
 *
 * @example
 * ```ts
 * const { version } = await credstash.putSecret('db', 'pw', { autoVersion: true });
 * ```
 */
export interface PutSecretResult {
  readonly name: string;
  readonly version: string;
}

// The largest wrapped key KMS returns (a CiphertextBlob is at most 6144 bytes), in base64.
// Reserving it lets an oversized secret be rejected before any KMS call.
const MAX_WRAPPED_KEY_BASE64 = 8192;
// Autoversion gives up after this many lost races; each loss means another writer stored
// a version, so the table keeps moving forward.
const MAX_AUTOVERSION_ATTEMPTS = 100;

/** Encrypts a secret under a fresh data key and stores it as a new version. */
export async function putSecret(store: StoreContext, name: string, secret: string, putOptions?: PutSecretOptions): Promise<PutSecretResult> {
  const options = validateOptions(putOptions, 'putSecret');
  validateName(name);
  validateSecret(secret);
  const context = validateContext(options.context);
  const digest = options.digest === undefined ? DEFAULT_DIGEST : parseDigestOption(options.digest);
  const comment = validateComment(options.comment);
  const autoVersion = validateFlag('autoVersion', options.autoVersion);
  if (autoVersion && options.version !== undefined) {
    throw new InvalidArgumentError('version', 'pass either version or autoVersion, not both.');
  }
  const explicitVersion = autoVersion ? undefined : padVersion(options.version ?? 1, 'write');
  assertNameKeyFree(store.bindName, context);
  const plaintext = Buffer.from(secret, 'utf8');
  assertFits(name, plaintext.byteLength, comment);

  const dataKey = await generateDataKey(store.keyProvider, contextForName(store.bindName, name, context), options.keyId);
  let sealed;
  try {
    sealed = sealContents(plaintext, dataKey.plaintext, digest);
  } finally {
    dataKey.plaintext.fill(0);
    plaintext.fill(0);
  }
  const buildItem = (version: string): CredstashItem => ({
    name: { S: name },
    version: { S: version },
    key: { S: encodeBase64(dataKey.ciphertextBlob) },
    contents: { S: encodeBase64(sealed.ciphertext) },
    hmac: { B: sealed.hmacHex },
    digest: { S: digest },
    ...(comment === undefined ? {} : { comment: { S: comment } }),
  });

  if (explicitVersion !== undefined) {
    const item = buildItem(explicitVersion);
    assertItemSize(item);
    if (!(await putOnce(store, item))) {
      throw new VersionExistsError(name, explicitVersion, await getHighestVersion(store, name));
    }
    return { name, version: explicitVersion };
  }

  return putNextVersion(store, name, buildItem);
}

// Puts at the highest version plus one. When another writer takes that version first, the
// conditional put fails, so the loop reads the new highest version and tries again.
async function putNextVersion(store: StoreContext, name: string, buildItem: (version: string) => CredstashItem): Promise<PutSecretResult> {
  for (let attempt = 1; attempt <= MAX_AUTOVERSION_ATTEMPTS; attempt += 1) {
    const highest = await getHighestVersion(store, name);
    const version = nextVersion(highest);
    if (version === undefined) {
      throw new AutoVersionError(
        name,
        `cannot autoversion secret "${name}": its highest version "${highest ?? ''}" is not an integer below 10^19. Put an explicit version.`,
      );
    }

    const item = buildItem(version);
    assertItemSize(item);
    if (await putOnce(store, item)) {
      return { name, version };
    }
    // Random backoff spreads out writers that lost the same race.
    await sleep(Math.random() * Math.min(5 * attempt, 100));
  }
  throw new AutoVersionError(name, `cannot autoversion secret "${name}": other writers took every version in ${MAX_AUTOVERSION_ATTEMPTS} attempts. Try again.`);
}

// Returns whether the item is now stored. When a put reached the table but its response was
// lost, the SDK's retry meets its own item and DynamoDB reports a conflict. The stored item
// is then compared with ours, because a fresh data key makes an identical foreign item impossible.
async function putOnce(store: StoreContext, item: CredstashItem): Promise<boolean> {
  if ((await store.tableProvider.putItem(item)) === 'created') {
    return true;
  }
  const stored = await store.tableProvider.getItem(item.name.S, item.version.S);
  return stored !== undefined && isSameSealedItem(stored, item);
}

function isSameSealedItem(stored: ItemAttributes, item: CredstashItem): boolean {
  const hmac = stored['hmac'] as { B?: unknown } | undefined;
  return (
    (stored['key'] as { S?: unknown } | undefined)?.S === item.key.S &&
    (stored['contents'] as { S?: unknown } | undefined)?.S === item.contents.S &&
    hmac?.B instanceof Uint8Array &&
    'B' in item.hmac &&
    Buffer.from(hmac.B).equals(item.hmac.B)
  );
}

function assertFits(name: string, secretBytes: number, comment: string | undefined): void {
  const base64Contents = Math.ceil(secretBytes / 3) * 4;
  const fixed =
    'namekeycontentshmacdigestversion'.length +
    Buffer.byteLength(name) +
    19 +
    MAX_WRAPPED_KEY_BASE64 +
    128 + // hex of a SHA-512 HMAC, the longest digest
    6 + // characters of the longest digest name (SHA224 and the like)
    (comment === undefined ? 0 : 'comment'.length + Buffer.byteLength(comment));

  if (fixed + base64Contents > MAX_ITEM_BYTES) {
    // Base64 turns each whole group of 3 bytes into 4 characters, so this is the largest
    // secret whose base64 still fits.
    const limit = Math.floor((MAX_ITEM_BYTES - fixed) / 4) * 3;
    throw new InvalidArgumentError(
      'secret',
      `invalid secret: ${secretBytes} bytes do not fit in one DynamoDB item (400 KB). ` +
        `With this name and comment the limit is ${Math.max(limit, 0)} bytes of UTF-8; store large data elsewhere and keep its key here.`,
    );
  }
}

function assertItemSize(item: CredstashItem): void {
  const size = itemSize(item);
  if (size > MAX_ITEM_BYTES) {
    throw new InvalidArgumentError('secret', `invalid secret: the sealed item is ${size} bytes, above DynamoDB's limit of ${MAX_ITEM_BYTES} bytes.`);
  }
}
