import { describe, expect, it } from 'vitest';

import { Credstash, MemoryTableProvider } from '../src/index.js';
import { RecordedKeyProvider, VECTORS, vectorItem } from './support/vectors.js';

/** Puts a vector's item, byte for byte, into a memory table and reads it through the public API. */
async function readVector(vector: (typeof VECTORS)[number], version?: string): Promise<string> {
  const keys = new RecordedKeyProvider();
  const table = new MemoryTableProvider();
  const item = vectorItem(vector);
  keys.record(Buffer.from((item['key'] as { S: string }).S, 'base64'), Buffer.from(vector.dataKey, 'base64'));
  await table.putItem(item as never);

  const credstash = new Credstash({ keyProvider: keys, tableProvider: table });
  return credstash.getSecret(vector.name, version === undefined ? { context: vector.context } : { context: vector.context, version });
}

describe('Python credstash 1.17.1 vectors', () => {
  it('cover every digest and both hmac layouts', () => {
    expect(new Set(VECTORS.map((vector) => vector.digest))).toEqual(new Set(['SHA', 'SHA224', 'SHA256', 'SHA384', 'SHA512', 'MD5']));
    expect(VECTORS.some((vector) => vector.item['hmac']?.S !== undefined)).toBe(true);
    expect(VECTORS.some((vector) => vector.item['digest'] === undefined)).toBe(true);
  });

  for (const [index, vector] of VECTORS.entries()) {
    const title = `${index} ${vector.note} (${vector.name} v${vector.version})`;

    it(`decrypts ${title}`, async () => {
      const secret = await readVector(vector);

      expect(Buffer.from(secret, 'utf8').equals(Buffer.from(vector.secret, 'utf8'))).toBe(true);
      expect(secret).toBe(vector.secret);
    });

    it(`reaches ${title} by unpadded version`, async () => {
      const secret = await readVector(vector, String(Number(vector.version)));

      expect(secret).toBe(vector.secret);
    });
  }
});
