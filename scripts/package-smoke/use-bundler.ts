// Type-checked with moduleResolution "bundler", as Vite, esbuild and webpack projects do.
import { Credstash, DEFAULT_TABLE_NAME, DynamoDbTableProvider, KmsKeyProvider, type SecretSummary } from 'credstash-ts';

const credstash = new Credstash({
  keyProvider: new KmsKeyProvider({ keyId: 'alias/credstash', region: 'eu-west-1' }),
  tableProvider: new DynamoDbTableProvider({ tableName: DEFAULT_TABLE_NAME, region: 'eu-west-1' }),
});

export async function names(): Promise<string[]> {
  const summaries: SecretSummary[] = await credstash.listSecrets();
  return summaries.map((summary) => summary.name);
}

// @ts-expect-error listSecrets takes no arguments; this line fails to compile only while the types are real.
export const extra = credstash.listSecrets('unexpected');
