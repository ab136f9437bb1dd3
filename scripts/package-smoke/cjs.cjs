// Loads the installed package through CJS `require` and uses it the way an application does.
const assert = require('node:assert/strict');
const { readFileSync } = require('node:fs');
const { join, sep } = require('node:path');

const { Credstash, CredstashError, KeyProviderError, KmsKeyProvider, LocalKeyProvider, MemoryTableProvider } = require('credstash-ts');

const loadedSdkModules = () => Object.keys(require.cache).filter((path) => path.includes(`${sep}@aws-sdk${sep}`));

async function main() {
  // Loading credstash-ts must not load the AWS SDK: providers import it on first use.
  assert.deepEqual(loadedSdkModules(), []);

  const credstash = new Credstash({ keyProvider: new LocalKeyProvider({ masterKey: new Uint8Array(32).fill(7) }), tableProvider: new MemoryTableProvider() });
  await credstash.putSecret('smoke', 'value with 🔑', { context: { via: 'cjs' } });
  assert.equal(await credstash.getSecret('smoke', { context: { via: 'cjs' } }), 'value with 🔑');
  await assert.rejects(credstash.getSecret('missing'), (error) => error instanceof CredstashError && error.code === 'ERR_SECRET_NOT_FOUND');

  for (const specifier of JSON.parse(readFileSync(join(__dirname, 'subpaths.json'), 'utf8'))) {
    assert.ok(Object.keys(require(specifier)).length > 0, `${specifier} exports nothing`);
  }

  const { closedPort } = await import('./closed-port.mjs');
  const kms = new KmsKeyProvider({
    endpoint: `http://127.0.0.1:${await closedPort()}`,
    region: 'us-east-1',
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    maxAttempts: 1,
    connectionTimeout: 2000,
  });
  await assert.rejects(kms.generateDataKey({ numberOfBytes: 64, context: {} }), KeyProviderError);
  assert.ok(loadedSdkModules().some((path) => path.includes('client-kms')), 'the KMS provider did not load @aws-sdk/client-kms through require');
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
