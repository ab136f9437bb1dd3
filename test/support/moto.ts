import { randomUUID } from 'node:crypto';

import { CreateAliasCommand, CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { inject } from 'vitest';

import { Credstash, DynamoDbTableProvider, KmsKeyProvider } from '../../src/index.js';

/** Credentials moto accepts; nothing here ever reaches AWS. */
export const TEST_CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' };

/** Endpoint of this run's moto server, or null when moto is not installed. */
export function motoEndpoint(): string | null {
  return inject('motoEndpoint');
}

/** Creates a KMS key in moto with a fresh alias and returns the alias. */
export async function createKmsKey(region = 'us-east-1'): Promise<string> {
  const client = new KMSClient({ endpoint: requireEndpoint(), region, credentials: TEST_CREDENTIALS });
  const key = await client.send(new CreateKeyCommand({}));
  const alias = `alias/test-${randomUUID()}`;
  await client.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: key.KeyMetadata?.KeyId }));
  client.destroy();
  return alias;
}

/** Creates a Credstash on moto with its own KMS key and a new table that is set up. */
export async function createMotoCredstash(options: { region?: string; kmsRegion?: string; table?: string } = {}): Promise<{
  credstash: Credstash;
  table: string;
  alias: string;
}> {
  const region = options.region ?? 'us-east-1';
  const kmsRegion = options.kmsRegion ?? region;
  const alias = await createKmsKey(kmsRegion);
  const table = options.table ?? `credstash-test-${randomUUID()}`;
  const credstash = new Credstash({
    keyProvider: new KmsKeyProvider({ keyId: alias, endpoint: requireEndpoint(), region: kmsRegion, credentials: TEST_CREDENTIALS }),
    tableProvider: new DynamoDbTableProvider({ tableName: table, endpoint: requireEndpoint(), region, credentials: TEST_CREDENTIALS }),
  });
  await credstash.setup();
  return { credstash, table, alias };
}

export function requireEndpoint(): string {
  const endpoint = motoEndpoint();
  if (endpoint === null) {
    throw new Error('moto is not available');
  }
  return endpoint;
}
