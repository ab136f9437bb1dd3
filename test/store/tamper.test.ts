import { describe, expect, it } from 'vitest';

import { CredstashError, Credstash, DIGESTS, LocalKeyProvider, MemoryTableProvider, type ItemAttributes } from '../../src/index.js';
import { TEST_MASTER_KEY } from '../support/spy-providers.js';

const SECRET = 'tamper-canary-7f3a';

async function storedItem(digest: (typeof DIGESTS)[number]): Promise<{ item: Record<string, unknown>; keys: LocalKeyProvider }> {
  const keys = new LocalKeyProvider({ masterKey: TEST_MASTER_KEY });
  const table = new MemoryTableProvider();
  await new Credstash({ keyProvider: keys, tableProvider: table }).putSecret('target', SECRET, { digest });
  return { item: { ...(await table.getItem('target', '0000000000000000001'))! }, keys };
}

/** Reads a modified item and returns what came back: a string means plaintext leaked. */
async function readModified(keys: LocalKeyProvider, item: ItemAttributes): Promise<string | CredstashError> {
  const table = new MemoryTableProvider();
  await table.putItem(item as never);
  try {
    return await new Credstash({ keyProvider: keys, tableProvider: table }).getSecret('target');
  } catch (error) {
    if (error instanceof CredstashError) {
      return error;
    }
    throw error;
  }
}

// Flipping the 0x20 bit of a hex letter only changes its case, and hex case is ignored by
// design (Python 2 and 3 credstash differ in it), so hmac changes use other bit flips.
const FLIPS = [0x01, 0x80];

describe('tampering', () => {
  for (const digest of DIGESTS) {
    it(`detects every changed hmac byte (${digest})`, async () => {
      const { item, keys } = await storedItem(digest);
      const hmac = Buffer.from((item['hmac'] as { B: Uint8Array }).B);
      let tried = 0;

      for (let index = 0; index < hmac.length; index += 1) {
        for (const flip of FLIPS) {
          const changed = Buffer.from(hmac);
          changed[index] = (changed[index] as number) ^ flip;
          const result = await readModified(keys, { ...item, hmac: { B: changed } });
          tried += 1;
          expect(result).toBeInstanceOf(CredstashError);
          expect((result as CredstashError).code).toBe('ERR_INTEGRITY');
        }
      }
      expect(tried).toBe(hmac.length * FLIPS.length);
    });

    it(`detects every changed ciphertext byte (${digest})`, async () => {
      const { item, keys } = await storedItem(digest);
      const ciphertext = Buffer.from((item['contents'] as { S: string }).S, 'base64');

      for (let index = 0; index < ciphertext.length; index += 1) {
        const changed = Buffer.from(ciphertext);
        changed[index] = (changed[index] as number) ^ 0x01;
        const result = await readModified(keys, { ...item, contents: { S: changed.toString('base64') } });
        expect(result).toBeInstanceOf(CredstashError);
        expect((result as CredstashError).code).toBe('ERR_INTEGRITY');
      }
    });
  }

  it('detects every changed wrapped-key byte', async () => {
    const { item, keys } = await storedItem('SHA256');
    const wrapped = Buffer.from((item['key'] as { S: string }).S, 'base64');

    for (let index = 0; index < wrapped.length; index += 1) {
      const changed = Buffer.from(wrapped);
      changed[index] = (changed[index] as number) ^ 0x01;
      const result = await readModified(keys, { ...item, key: { S: changed.toString('base64') } });
      expect(result).toBeInstanceOf(CredstashError);
      expect(['ERR_KEY_PROVIDER', 'ERR_ENCRYPTION_CONTEXT']).toContain((result as CredstashError).code);
    }
  });

  it('detects a changed base64 character of contents', async () => {
    const { item, keys } = await storedItem('SHA256');
    const text = (item['contents'] as { S: string }).S;

    for (let index = 0; index < text.length; index += 1) {
      const replacement = text[index] === 'A' ? 'B' : 'A';
      const changed = `${text.slice(0, index)}${replacement}${text.slice(index + 1)}`;
      const result = await readModified(keys, { ...item, contents: { S: changed } });
      expect(result).toBeInstanceOf(CredstashError);
      expect(['ERR_INTEGRITY', 'ERR_INVALID_ITEM']).toContain((result as CredstashError).code);
    }
  });

  it('reads the untouched item', async () => {
    const { item, keys } = await storedItem('SHA256');

    expect(await readModified(keys, item)).toBe(SECRET);
  });

  it('gives one integrity message whatever changed', async () => {
    const { item, keys } = await storedItem('SHA256');
    const hmac = Buffer.from((item['hmac'] as { B: Uint8Array }).B);
    hmac[0] = (hmac[0] as number) ^ 0x01;
    const ciphertext = Buffer.from((item['contents'] as { S: string }).S, 'base64');
    ciphertext[0] = (ciphertext[0] as number) ^ 0x01;

    const first = (await readModified(keys, { ...item, hmac: { B: hmac } })) as CredstashError;
    const second = (await readModified(keys, { ...item, contents: { S: ciphertext.toString('base64') } })) as CredstashError;

    expect(first.message).toBe(second.message);
    expect(first.message).not.toContain(SECRET);
  });
});
