// Type-checked as an ES module: resolves the package's "import" types (dist/index.d.ts).
import { Credstash, InvalidArgumentError, LocalKeyProvider, MemoryTableProvider, loadEnvironment, type CredstashOptions, type GetSecretOptions } from 'credstash-ts';

const options: CredstashOptions = { keyProvider: new LocalKeyProvider({ masterKey: new Uint8Array(32) }), tableProvider: new MemoryTableProvider() };
const credstash = new Credstash(options);
const read: GetSecretOptions = { version: 2, context: { env: 'prod' } };

export async function readPassword(): Promise<string> {
  try {
    return await credstash.getSecret('db/password', read);
  } catch (error) {
    if (error instanceof InvalidArgumentError) {
      return error.argument;
    }
    throw error;
  }
}

// @ts-expect-error getSecret resolves to a string; this line fails to compile only while the types are real.
export const notANumber: Promise<number> = credstash.getSecret('db/password');

// loadEnvironment's return type has one property per listed name, computed from the declarations.
export async function databasePassword(): Promise<string> {
  const { DB_PASSWORD } = await loadEnvironment(credstash, { names: ['db_password'] });
  return DB_PASSWORD;
}

export async function unlistedVariable(): Promise<string> {
  const variables = await loadEnvironment(credstash, { names: ['db_password'] });
  // @ts-expect-error only db_password was listed, so API_TOKEN is not a property.
  return variables.API_TOKEN;
}
