import { describe, expect, it } from 'vitest';

import { Credstash } from '../../src/index.js';
import { motoEndpoint } from '../support/moto.js';
import { KEY_PROVIDERS, TABLE_PROVIDERS } from '../support/provider-matrix.js';

const SECRETS: readonly [string, string][] = [
  ['ascii', 'hunter2'],
  ['emoji', 'pässwörd 🎉🔑 𝄞'],
  ['crlf and tabs', 'line one\r\nline two\n\tindented\r\n'],
  ['empty', ''],
  ['150 kB', 'abcdefghij🎉'.repeat(10_000).slice(0, 150_000)],
  ['byte-order mark', '\uFEFFbom'],
  ['nul character', 'a\u0000b'],
];

const withMoto = motoEndpoint() !== null;
if (!withMoto) {
  console.warn('*** moto is not available: round trips through KMS and DynamoDB are skipped ***');
}

for (const keys of KEY_PROVIDERS) {
  for (const table of TABLE_PROVIDERS) {
    describe.skipIf((keys.needsMoto || table.needsMoto) && !withMoto)(`${keys.title} with ${table.title}`, () => {
      it('returns every secret byte-exact', async () => {
        const credstash = new Credstash({ keyProvider: await keys.create(), tableProvider: await table.create() });

        for (const [name, secret] of SECRETS) {
          await credstash.putSecret(`名前/${name}`, secret, { comment: name });
        }
        for (const [name, secret] of SECRETS) {
          const read = await credstash.getSecret(`名前/${name}`);
          expect(Buffer.from(read, 'utf8').equals(Buffer.from(secret, 'utf8'))).toBe(true);
        }
        expect(await credstash.getAllSecrets()).toEqual(Object.fromEntries(SECRETS.map(([name, secret]) => [`名前/${name}`, secret])));
      });

      it('binds secrets to their context', async () => {
        const credstash = new Credstash({ keyProvider: await keys.create(), tableProvider: await table.create() });
        await credstash.putSecret('ctx', 'value', { context: { app: 'web', env: 'prod' } });

        expect(await credstash.getSecret('ctx', { context: { env: 'prod', app: 'web' } })).toBe('value');
        await expect(credstash.getSecret('ctx', { context: { env: 'dev', app: 'web' } })).rejects.toMatchObject({ code: 'ERR_ENCRYPTION_CONTEXT', reason: 'mismatch' });
        await expect(credstash.getSecret('ctx')).rejects.toMatchObject({ code: 'ERR_ENCRYPTION_CONTEXT', reason: 'missing' });
      });
    });
  }
}
