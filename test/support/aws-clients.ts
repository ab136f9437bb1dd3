import { Credstash, DynamoDbTableProvider, KmsKeyProvider, type AwsClientOptions } from '../../src/index.js';
import { TEST_CREDENTIALS } from './moto.js';

/**
 * Creates a Credstash whose KMS and DynamoDB clients send every request to `endpoint` (moto, or a
 * proxy in front of it), with the given retry and timeout settings.
 */
export function credstashAt(
  endpoint: string,
  names: { readonly table: string; readonly alias: string },
  options: Omit<AwsClientOptions, 'endpoint' | 'credentials'> & { readonly bindName?: boolean } = {},
): Credstash {
  const { bindName, ...client } = options;
  const aws = { region: 'us-east-1', ...client, endpoint, credentials: TEST_CREDENTIALS };
  return new Credstash({
    keyProvider: new KmsKeyProvider({ ...aws, keyId: names.alias }),
    tableProvider: new DynamoDbTableProvider({ ...aws, tableName: names.table }),
    ...(bindName === undefined ? {} : { bindName }),
  });
}
