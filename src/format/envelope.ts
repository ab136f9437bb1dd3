import { createCipheriv, createDecipheriv, createHmac, timingSafeEqual } from 'node:crypto';

import { nodeHashName, type Digest } from './digest.js';

/** Length credstash requires of a plaintext data key: 32 bytes of AES-256 key, then 32 of HMAC key. */
export const DATA_KEY_LENGTH = 64;

// Credstash's initial counter block for AES-CTR: fifteen zero bytes, then 0x01. A fixed
// counter is safe only because every secret gets a fresh data key.
const INITIAL_COUNTER = Buffer.from('00000000000000000000000000000001', 'hex');

/** Ciphertext and HMAC of one secret, as they are stored (before base64 and hex text). */
export interface SealedContents {
  readonly ciphertext: Buffer;
  /** Lower-case hex text of the HMAC, as ASCII bytes: exactly what credstash stores. */
  readonly hmacHex: Buffer;
}

/**
 * Encrypts UTF-8 bytes with AES-256-CTR under the first half of the data key and
 * computes the HMAC of the ciphertext under the second half.
 * The caller checks the key length and zeroes the key afterwards.
 */
export function sealContents(plaintext: Uint8Array, dataKey: Uint8Array, digest: Digest): SealedContents {
  const cipher = createCipheriv('aes-256-ctr', dataKey.subarray(0, 32), INITIAL_COUNTER);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);

  return { ciphertext, hmacHex: hmacHex(ciphertext, dataKey, digest) };
}

/**
 * Tells whether `storedHmacHex` is the HMAC of `ciphertext`, in constant time for
 * equal-length input. `storedHmacHex` must already be lower-cased.
 */
export function verifyContents(ciphertext: Uint8Array, storedHmacHex: Uint8Array, dataKey: Uint8Array, digest: Digest): boolean {
  const expected = hmacHex(ciphertext, dataKey, digest);
  return storedHmacHex.byteLength === expected.byteLength && timingSafeEqual(storedHmacHex, expected);
}

/**
 * Decrypts AES-256-CTR ciphertext. Only call it after verifyContents returned true. The
 * caller zeroes the result, and the intermediate buffers are zeroed here.
 */
export function decryptContents(ciphertext: Uint8Array, dataKey: Uint8Array): Buffer {
  const decipher = createDecipheriv('aes-256-ctr', dataKey.subarray(0, 32), INITIAL_COUNTER);
  return concatAndZero([decipher.update(ciphertext), decipher.final()]);
}

/** Concatenates buffers that hold secret bytes into a new one and zeroes the parts. */
export function concatAndZero(parts: readonly Buffer[]): Buffer {
  const joined = Buffer.concat(parts);
  for (const part of parts) {
    part.fill(0);
  }
  return joined;
}

function hmacHex(ciphertext: Uint8Array, dataKey: Uint8Array, digest: Digest): Buffer {
  const hex = createHmac(nodeHashName(digest), dataKey.subarray(32, 64)).update(ciphertext).digest('hex');
  return Buffer.from(hex, 'latin1');
}
