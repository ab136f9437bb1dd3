// Loads the installed package through ESM `import` and uses it the way an application does.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

import { Credstash, CredstashError, KeyProviderError, KmsKeyProvider, LocalKeyProvider, MemoryTableProvider } from 'credstash-ts';

import { closedPort } from './closed-port.mjs';

const credstash = new Credstash({ keyProvider: new LocalKeyProvider({ masterKey: new Uint8Array(32).fill(7) }), tableProvider: new MemoryTableProvider() });
await credstash.putSecret('smoke', 'value with 🔑', { context: { via: 'esm' } });
assert.equal(await credstash.getSecret('smoke', { context: { via: 'esm' } }), 'value with 🔑');
await assert.rejects(credstash.getSecret('missing'), (error) => error instanceof CredstashError && error.code === 'ERR_SECRET_NOT_FOUND');

for (const specifier of JSON.parse(readFileSync(new URL('./subpaths.json', import.meta.url), 'utf8'))) {
  const loaded = await import(specifier);
  assert.ok(Object.keys(loaded).length > 0, `${specifier} exports nothing`);
}

// The KMS provider imports the AWS SDK on first use, so this proves the SDK resolves from the
// installed dependencies. Nothing listens on the port, so the call fails with our typed error.
const kms = new KmsKeyProvider({
  endpoint: `http://127.0.0.1:${await closedPort()}`,
  region: 'us-east-1',
  credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  maxAttempts: 1,
  connectionTimeout: 2000,
});
await assert.rejects(kms.generateDataKey({ numberOfBytes: 64, context: {} }), KeyProviderError);
