import { describe, expect, it } from 'vitest';

import { Credstash, InvalidPlaintextError, LocalKeyProvider, MemoryTableProvider, SecretNotFoundError } from '../../src/index.js';
import { encodeBase64 } from '../../src/format/base64.js';
import { sealContents } from '../../src/format/envelope.js';
import { TEST_MASTER_KEY } from '../support/spy-providers.js';
import { RecordedKeyProvider } from '../support/vectors.js';

describe('getSecret', () => {
  it('reads the latest version by default', async () => {
    const credstash = new Credstash({ keyProvider: new LocalKeyProvider({ masterKey: TEST_MASTER_KEY }), tableProvider: new MemoryTableProvider() });
    await credstash.putSecret('name', 'one', { version: 1 });
    await credstash.putSecret('name', 'ten', { version: 10 });
    await credstash.putSecret('name', 'two', { version: 2 });

    expect(await credstash.getSecret('name')).toBe('ten');
  });

  it('names the missing secret', async () => {
    const credstash = new Credstash({ keyProvider: new LocalKeyProvider({ masterKey: TEST_MASTER_KEY }), tableProvider: new MemoryTableProvider() });

    const error = await credstash.getSecret('missing').catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(SecretNotFoundError);
    expect((error as SecretNotFoundError).code).toBe('ERR_SECRET_NOT_FOUND');
    expect((error as Error).message).toContain('"missing"');
  });

  it('names the missing version', async () => {
    const credstash = new Credstash({ keyProvider: new LocalKeyProvider({ masterKey: TEST_MASTER_KEY }), tableProvider: new MemoryTableProvider() });
    await credstash.putSecret('name', 'one');

    const error = await credstash.getSecret('name', { version: 4 }).catch((caught: unknown) => caught);

    expect((error as SecretNotFoundError).version).toBe('0000000000000000004');
    expect((error as Error).message).toContain('"0000000000000000004"');
  });

  it('zeroes the unwrapped data key', async () => {
    const local = new LocalKeyProvider({ masterKey: TEST_MASTER_KEY });
    const table = new MemoryTableProvider();
    await new Credstash({ keyProvider: local, tableProvider: table }).putSecret('name', 'value');
    const handedOut: Uint8Array[] = [];
    const watching = {
      generateDataKey: local.generateDataKey.bind(local),
      async decryptDataKey(request: Parameters<LocalKeyProvider['decryptDataKey']>[0]): Promise<Uint8Array> {
        const key = await local.decryptDataKey(request);
        handedOut.push(key);
        return key;
      },
    };

    expect(await new Credstash({ keyProvider: watching, tableProvider: table }).getSecret('name')).toBe('value');
    expect(handedOut).toHaveLength(1);
    expect(handedOut[0]?.every((byte) => byte === 0)).toBe(true);
  });

  it('rejects plaintext that is not UTF-8', async () => {
    const dataKey = Buffer.alloc(64, 3);
    const sealed = sealContents(Buffer.from([0x61, 0xc3, 0x28]), dataKey, 'SHA256');
    const keys = new RecordedKeyProvider();
    keys.record(Buffer.from('wrapped'), dataKey);
    const table = new MemoryTableProvider();
    await table.putItem({
      name: { S: 'binary' },
      version: { S: '0000000000000000001' },
      key: { S: encodeBase64(Buffer.from('wrapped')) },
      contents: { S: encodeBase64(sealed.ciphertext) },
      hmac: { B: sealed.hmacHex },
      digest: { S: 'SHA256' },
    });

    const error = await new Credstash({ keyProvider: keys, tableProvider: table }).getSecret('binary').catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(InvalidPlaintextError);
    expect((error as InvalidPlaintextError).code).toBe('ERR_INVALID_PLAINTEXT');
  });
});
