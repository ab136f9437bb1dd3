import { InvalidItemError } from '../errors/index.js';
import { decodeBase64 } from './base64.js';
import { DEFAULT_DIGEST, isDigest, type Digest } from './digest.js';

/**
 * A credstash item as written to the table, in the attribute-value shape of the DynamoDB
 * low-level API. Attribute names and types are exactly those Python credstash 1.17.1 writes.
 *
 * @example
 * ```ts
 * const item: CredstashItem = { name: { S: 'db' }, version: { S: '0000000000000000001' }, key: { S: wrappedKey }, contents: { S: ciphertext }, hmac: { B: hmacHex }, digest: { S: 'SHA256' } };
 * ```
 */
export interface CredstashItem {
  readonly name: { readonly S: string };
  /** Version left-padded with `0` to 19 characters. */
  readonly version: { readonly S: string };
  /** Base64 of the wrapped data key (the KMS `CiphertextBlob`). */
  readonly key: { readonly S: string };
  /** Base64 of the AES-256-CTR ciphertext; `""` for an empty secret. */
  readonly contents: { readonly S: string };
  /** ASCII lower-case hex text of the HMAC, stored as Binary (Python 2 credstash stored it as String). */
  readonly hmac: { readonly B: Uint8Array } | { readonly S: string };
  /** Digest name; always written, but readers assume SHA256 when it is missing. */
  readonly digest?: { readonly S: string };
  /** Written only when non-empty. */
  readonly comment?: { readonly S: string };
}

/**
 * An item as a table provider returns it: attribute names mapped to DynamoDB attribute
 * values (`{ S: string }`, `{ B: Uint8Array }`, ...). It is validated before use, so a
 * provider may return whatever the table contains.
 *
 * @example
 * ```ts
 * const item: ItemAttributes | undefined = await tableProvider.getItem('db', '0000000000000000001');
 * ```
 */
export type ItemAttributes = Readonly<Record<string, unknown>>;

/**
 * Name, version and comment of one stored item, as listSecrets returns them.
 *
 * @example
 * ```ts
 * for (const { name, version, comment } of await credstash.listSecrets()) console.log(name, version, comment ?? '');
 * ```
 */
export interface SecretSummary {
  readonly name: string;
  /** Padded version, exactly as stored. */
  readonly version: string;
  /** Comment, or undefined when the item has none. */
  readonly comment: string | undefined;
}

/** A validated item, decoded and ready to verify and decrypt. */
export interface ParsedItem {
  readonly name: string;
  readonly version: string;
  readonly wrappedKey: Buffer;
  readonly ciphertext: Buffer;
  /** HMAC hex text as lower-case ASCII bytes. */
  readonly hmacHex: Buffer;
  readonly digest: Digest;
}

/** DynamoDB's maximum item size: attribute names plus values, in bytes. */
export const MAX_ITEM_BYTES = 400 * 1024;

/** Computes an item's size the way DynamoDB counts it: UTF-8 names and strings, raw binary. */
export function itemSize(item: CredstashItem): number {
  let size = 0;
  for (const [attribute, value] of Object.entries(item) as [string, { S?: string; B?: Uint8Array }][]) {
    size += Buffer.byteLength(attribute);
    size += value.B === undefined ? Buffer.byteLength(value.S ?? '') : value.B.byteLength;
  }
  return size;
}

/** Reads `name`, `version` and `comment`, the attributes that a summary scan returns. */
export function parseSummary(attributes: ItemAttributes): SecretSummary {
  assertItemObject(attributes);
  const name = readString(attributes, 'name');
  const version = readString(attributes, 'version', name);
  const comment = readOptionalString(attributes, 'comment', name, version);
  return { name, version, comment };
}

/**
 * Validates a stored item and decodes its fields. Accepts `hmac` as Binary or String hex
 * text in either letter case, and a missing `digest` as SHA256.
 *
 * @throws InvalidItemError naming the attribute that is missing, mistyped or malformed.
 */
export function parseItem(attributes: ItemAttributes): ParsedItem {
  assertItemObject(attributes);
  const name = readString(attributes, 'name');
  const version = readString(attributes, 'version', name);
  const key = readString(attributes, 'key', name, version);
  const contents = readString(attributes, 'contents', name, version);
  const digest = readOptionalString(attributes, 'digest', name, version) ?? DEFAULT_DIGEST;

  if (!isDigest(digest)) {
    throw new InvalidItemError('digest', `names unknown digest ${JSON.stringify(digest)}`, name, version);
  }

  const wrappedKey = decodeBase64(key);
  if (wrappedKey === undefined || wrappedKey.byteLength === 0) {
    throw new InvalidItemError('key', 'is not non-empty standard base64', name, version);
  }
  const ciphertext = decodeBase64(contents);
  if (ciphertext === undefined) {
    throw new InvalidItemError('contents', 'is not standard base64', name, version);
  }

  return { name, version, wrappedKey, ciphertext, hmacHex: readHmac(attributes, name, version), digest };
}

// A custom table provider may hand back null or a primitive where an item belongs.
function assertItemObject(attributes: unknown): void {
  if (typeof attributes !== 'object' || attributes === null || Array.isArray(attributes)) {
    const received = attributes === null ? 'null' : Array.isArray(attributes) ? 'an array' : `a ${typeof attributes}`;
    throw new InvalidItemError('name', `cannot be read, because the table provider returned ${received} instead of an item`);
  }
}

function readHmac(attributes: ItemAttributes, name: string, version: string): Buffer {
  const value = attributes['hmac'];
  let text: Buffer;

  if (isBinaryValue(value)) {
    text = Buffer.from(value.B);
  } else if (isStringValue(value)) {
    text = Buffer.from(value.S, 'utf8');
  } else {
    throw new InvalidItemError('hmac', value === undefined ? 'is missing' : 'is neither Binary nor String', name, version);
  }

  // Hex letters are lower-cased byte by byte; other bytes stay and make the comparison fail.
  for (let index = 0; index < text.length; index += 1) {
    const byte = text[index] as number;
    if (byte >= 0x41 && byte <= 0x46) {
      text[index] = byte + 0x20;
    }
  }
  return text;
}

function readString(attributes: ItemAttributes, attribute: string, name?: string, version?: string): string {
  const value = attributes[attribute];
  if (!isStringValue(value)) {
    throw new InvalidItemError(attribute, value === undefined ? 'is missing' : 'is not of type String', name, version);
  }
  return value.S;
}

function readOptionalString(attributes: ItemAttributes, attribute: string, name: string, version: string): string | undefined {
  return attributes[attribute] === undefined ? undefined : readString(attributes, attribute, name, version);
}

function isStringValue(value: unknown): value is { S: string } {
  return typeof value === 'object' && value !== null && typeof (value as { S?: unknown }).S === 'string';
}

function isBinaryValue(value: unknown): value is { B: Uint8Array } {
  return typeof value === 'object' && value !== null && (value as { B?: unknown }).B instanceof Uint8Array;
}
