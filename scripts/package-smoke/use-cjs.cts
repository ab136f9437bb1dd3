// Type-checked as a CommonJS module: resolves the package's "require" types (dist/index.d.cts).
import { Credstash, MemoryTableProvider, loadEnvironment, offlineProviders, type PutSecretResult } from 'credstash-ts';

const offline = new Credstash(offlineProviders({ directory: '.credstash' }));
const memory = new Credstash({ keyProvider: offline.keyProvider, tableProvider: new MemoryTableProvider() });

export async function rotate(): Promise<PutSecretResult> {
  return memory.putSecret('api/token', 'tok', { autoVersion: true, comment: 'rotated' });
}

// @ts-expect-error putSecret takes no numeric secret; this line fails to compile only while the types are real.
export const rejected = memory.putSecret('api/token', 42);

export async function appDatabaseUrl(): Promise<string> {
  const { APP_DB_URL } = await loadEnvironment(memory, { names: ['app/db-url'], invalidNames: 'replace' });
  return APP_DB_URL;
}
