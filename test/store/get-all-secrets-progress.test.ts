import { randomBytes } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import { Credstash, LocalKeyProvider, MemoryTableProvider } from '../../src/index.js';

function memoryStore(): Credstash {
  return new Credstash({ keyProvider: new LocalKeyProvider({ masterKey: randomBytes(32) }), tableProvider: new MemoryTableProvider() });
}

describe('getAllSecrets onProgress', () => {
  it('counts every secret up to the total', async () => {
    const credstash = memoryStore();
    for (let index = 0; index < 5; index += 1) {
      await credstash.putSecret(`name-${index}`, `value-${index}`);
    }
    const calls: [number, number][] = [];

    await credstash.getAllSecrets({ concurrency: 2, onProgress: (done, total) => calls.push([done, total]) });

    expect(calls.map(([done]) => done)).toEqual([1, 2, 3, 4, 5]);
    expect(new Set(calls.map(([, total]) => total))).toEqual(new Set([5]));
  });

  it('counts failed secrets too', async () => {
    const credstash = memoryStore();
    await credstash.putSecret('open', 'x');
    await credstash.putSecret('scoped', 'y', { context: { env: 'prod' } });
    const calls: number[] = [];

    const result = await credstash.getAllSecrets({ allowPartial: true, onProgress: (done) => calls.push(done) });

    expect(result.failures.map((failure) => failure.name)).toEqual(['scoped']);
    expect(calls).toEqual([1, 2]);
  });
});
