export { Credstash, DEFAULT_CONCURRENCY, type CredstashOptions } from './store/credstash.js';
export { offlineProviders, type OfflineProvidersOptions } from './store/offline.js';
export type { PutSecretOptions, PutSecretResult } from './store/put-secret.js';
export type { GetSecretOptions } from './store/get-secret.js';
export type { GetAllSecretsOptions, PartialSecrets } from './store/get-all-secrets.js';
export type { PaginateSecretsOptions } from './store/list-secrets.js';
export type { DeleteSecretsOptions } from './store/delete-secrets.js';
export type { SetupOptions, SetupResult } from './store/setup.js';
export type { SecretCacheOptions } from './cache/secret-cache.js';
export { NAME_CONTEXT_KEY } from './store/lib/name-binding.js';

export type { CreateKeyOptions, DataKey, DecryptDataKeyRequest, EncryptionContext, GenerateDataKeyRequest, KeyProvider } from './keys/key-provider.js';
export { KmsKeyProvider, DEFAULT_KMS_KEY, type KmsKeyProviderOptions } from './keys/kms-key-provider.js';
export { LocalKeyProvider, type LocalKeyCreateRequest, type LocalKeyProviderOptions } from './keys/local-key-provider.js';

export type { CreateTableOptions, ItemPage, ScanOptions, TableBilling, TableProvider } from './tables/table-provider.js';
export { DynamoDbTableProvider, DEFAULT_TABLE_NAME, type DynamoDbTableProviderOptions } from './tables/dynamodb-table-provider.js';
export { MemoryTableProvider } from './tables/memory-table-provider.js';
export { FileTableProvider, type FileTableProviderOptions } from './tables/file-table-provider.js';

export type { AwsClientOptions, AwsCredentials } from './lib/aws-client-options.js';
export { DIGESTS, DEFAULT_DIGEST, type Digest } from './format/digest.js';
export { padVersion, VERSION_WIDTH } from './format/version.js';
export type { CredstashItem, ItemAttributes, SecretSummary } from './format/item.js';

export {
  isEnvironmentName,
  toEnvironmentName,
  toEnvironmentVariables,
  type EnvironmentNameOptions,
  type InvalidNameHandling,
} from './env/environment-name.js';
export type { EnvironmentVariableName, EnvironmentVariables } from './env/environment-variable-name.js';
export { loadEnvironment, type ExistingVariableHandling, type LoadEnvironmentOptions, type PartialEnvironment } from './env/load-environment.js';

export * from './errors/index.js';
