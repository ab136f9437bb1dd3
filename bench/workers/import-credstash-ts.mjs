// Imports credstash-ts by its package name, as an application does, and prints the import
// time and how many AWS SDK modules are loaded: after the import, after an offline
// round trip, and after the first call of a KMS and DynamoDB provider (a getSecret that
// the harness points at moto). The SDK is CommonJS, so its modules show in require.cache.
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const start = process.hrtime.bigint();
const { Credstash, offlineProviders } = await import('credstash-ts');
const importMs = Number(process.hrtime.bigint() - start) / 1e6;

const cache = createRequire(import.meta.url).cache;
const sdkModules = () => Object.keys(cache).filter((path) => /node_modules[\\/](@aws-sdk|@smithy)[\\/]/.test(path)).length;
const afterImport = sdkModules();

const directory = mkdtempSync(join(tmpdir(), 'credstash-import-'));
try {
  const offline = new Credstash(offlineProviders({ directory }));
  await offline.setup({ createKey: true });
  await offline.putSecret('name', 'value');
  await offline.getSecret('name');
} finally {
  rmSync(directory, { recursive: true, force: true });
}
const afterOffline = sdkModules();

const aws = new Credstash({ table: process.argv[2] });
await aws.getSecret(process.argv[3]);
const afterAws = sdkModules();

process.stdout.write(`${JSON.stringify({ importMs, afterImport, afterOffline, afterAws })}\n`);
