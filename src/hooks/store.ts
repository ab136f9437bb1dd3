import { Credstash } from '../store/credstash.js';
import { offlineProviders } from '../store/offline.js';
import type { AwsClientOptions, AwsCredentials } from '../lib/aws-client-options.js';
import { DynamoDbTableProvider } from '../tables/dynamodb-table-provider.js';
import { KmsKeyProvider } from '../keys/kms-key-provider.js';
import type { readSecretsWithin } from './passphrase.js';
import type { HookConfig, HookCredentialsConfig } from './config.js';

/** Maximum wait for a TCP connection to KMS or DynamoDB, in milliseconds. */
export const HOOK_CONNECTION_TIMEOUT = 3_000;

/**
 * Creates the {@link Credstash} a hook reads from: the offline files, or KMS and DynamoDB
 * with connection and response timeouts no longer than the hook's `timeout`. Retries can
 * add up past it, so callers bound the whole read with {@link readSecretsWithin}.
 *
 * @param options - `abortSignal` ends every pending KMS and DynamoDB request when it
 *   fires, such as when a feeder stops. Reads of the offline files are short and not cut.
 *
 * @example
 * ```ts
 * const credstash = createHookCredstash(await loadHookConfig('/etc/credstash/hooks.json'));
 * ```
 */
export function createHookCredstash(config: HookConfig, options: { readonly abortSignal?: AbortSignal } = {}): Credstash {
  const { store } = config;
  if (store.kind === 'offline') {
    return new Credstash(offlineProviders(store.table === undefined ? { directory: store.directory } : { directory: store.directory, table: store.table }));
  }

  const aws: AwsClientOptions = {
    region: store.region,
    maxAttempts: store.maxAttempts,
    connectionTimeout: Math.min(HOOK_CONNECTION_TIMEOUT, config.timeout),
    requestTimeout: config.timeout,
    ...(options.abortSignal === undefined ? {} : { abortSignal: options.abortSignal }),
    ...(store.credentials === 'default' ? {} : { credentials: iniCredentials(store.credentials) }),
  };
  const kmsEndpoint = store.kmsEndpoint ?? store.endpoint;
  return new Credstash({
    keyProvider: new KmsKeyProvider({
      ...aws,
      ...(store.kmsRegion === undefined ? {} : { region: store.kmsRegion }),
      ...(kmsEndpoint === undefined ? {} : { endpoint: kmsEndpoint }),
    }),
    tableProvider: new DynamoDbTableProvider({
      ...aws,
      ...(store.table === undefined ? {} : { tableName: store.table }),
      ...(store.endpoint === undefined ? {} : { endpoint: store.endpoint }),
    }),
  });
}

// A profile from named files, read on first use. The hook's environment is often empty
// (Apache clears it), so the files are given by path rather than by AWS_CONFIG_FILE.
type CredentialsFunction = Extract<AwsCredentials, () => unknown>;

function iniCredentials(source: Exclude<HookCredentialsConfig, 'default'>): AwsCredentials {
  let provider: CredentialsFunction | undefined;

  return async () => {
    if (provider === undefined) {
      const { fromIni } = await import('@aws-sdk/credential-provider-ini');
      provider = fromIni({
        profile: source.profile,
        ...(source.configFile === undefined ? {} : { configFilepath: source.configFile }),
        ...(source.credentialsFile === undefined ? {} : { filepath: source.credentialsFile }),
      }) as unknown as CredentialsFunction;
    }
    return provider();
  };
}
