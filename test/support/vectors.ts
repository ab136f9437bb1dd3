import { readFileSync } from 'node:fs';

import type { DataKey, DecryptDataKeyRequest, GenerateDataKeyRequest, ItemAttributes, KeyProvider } from '../../src/index.js';

export interface VectorCase {
  readonly name: string;
  readonly version: string;
  readonly secret: string;
  readonly context: Record<string, string>;
  readonly digest: string;
  readonly comment: string;
  readonly note: string;
  readonly layout?: string;
  /** DynamoDB JSON; Binary values are base64. */
  readonly item: Record<string, { S?: string; B?: string }>;
  /** Base64 of the 64-byte plaintext data key KMS returned. */
  readonly dataKey: string;
}

const file = JSON.parse(readFileSync(new URL('../vectors/credstash-1.17.1.json', import.meta.url), 'utf8')) as { cases: VectorCase[] };

/** The cases of the Python credstash 1.17.1 vectors. */
export const VECTORS: readonly VectorCase[] = file.cases;

/** Converts a vector's DynamoDB JSON item into the attribute-value shape providers return. */
export function vectorItem(vector: VectorCase): ItemAttributes {
  const item: Record<string, unknown> = {};
  for (const [attribute, value] of Object.entries(vector.item)) {
    item[attribute] = value.B === undefined ? { S: value.S } : { B: new Uint8Array(Buffer.from(value.B, 'base64')) };
  }
  return item;
}

/**
 * Key provider that returns recorded plaintext data keys: decrypt looks the wrapped key up,
 * generate hands out the next queued key with a made-up wrapped form.
 */
export class RecordedKeyProvider implements KeyProvider {
  readonly #keys = new Map<string, Buffer>();
  readonly #queue: { plaintext: Buffer; ciphertextBlob: Buffer }[] = [];
  generateCalls = 0;
  decryptCalls = 0;

  record(ciphertextBlob: Uint8Array, plaintext: Uint8Array): void {
    this.#keys.set(Buffer.from(ciphertextBlob).toString('base64'), Buffer.from(plaintext));
  }

  enqueue(plaintext: Uint8Array, ciphertextBlob: Uint8Array): void {
    this.#queue.push({ plaintext: Buffer.from(plaintext), ciphertextBlob: Buffer.from(ciphertextBlob) });
    this.record(ciphertextBlob, plaintext);
  }

  async generateDataKey(_request: GenerateDataKeyRequest): Promise<DataKey> {
    this.generateCalls += 1;
    const next = this.#queue.shift();
    if (next === undefined) {
      throw new Error('no recorded data key queued');
    }
    return { plaintext: Buffer.from(next.plaintext), ciphertextBlob: next.ciphertextBlob };
  }

  async decryptDataKey(request: DecryptDataKeyRequest): Promise<Uint8Array> {
    this.decryptCalls += 1;
    const key = this.#keys.get(Buffer.from(request.ciphertextBlob).toString('base64'));
    if (key === undefined) {
      throw new Error('unknown wrapped key');
    }
    // A copy, because the store zeroes what it receives.
    return Buffer.from(key);
  }
}
