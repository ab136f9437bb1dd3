export { CredstashError, type CredstashErrorCode } from './credstash-error.js';
export { InvalidArgumentError } from './invalid-argument-error.js';
export { SecretNotFoundError } from './secret-not-found-error.js';
export { VersionExistsError } from './version-exists-error.js';
export { AutoVersionError } from './auto-version-error.js';
export { IntegrityError } from './integrity-error.js';
export { InvalidItemError } from './invalid-item-error.js';
export { InvalidPlaintextError } from './invalid-plaintext-error.js';
export {
  KeyProviderError,
  InvalidDataKeyError,
  EncryptionContextError,
  InsecureKeyFileError,
  MasterKeyNotFoundError,
} from './key-provider-error.js';
export { TableProviderError, TableNotFoundError } from './table-provider-error.js';
export { GetAllSecretsError, type SecretFailure } from './get-all-secrets-error.js';
export { EnvironmentNameError, type EnvironmentNameCollision } from './environment-name-error.js';
export { EnvironmentConflictError } from './environment-conflict-error.js';
