import { Credstash } from '../../store/credstash.js';
import { offlineProviders } from '../../store/offline.js';
import { assumeRole } from './assume-role.js';
import type { GlobalOptions } from './global-options.js';
import { readSavedKmsRegion } from './kms-region-config.js';
import { resolveProfileCredentials } from './profile-credentials.js';
import { resolveRegion } from './region.js';

/**
 * Creates the store the global options describe. For AWS it resolves the regions and
 * credentials as Python credstash 1.17.1 does, and fails when the profile does not exist.
 * Nothing here sends a request except the STS call of `-n/--arn`.
 */
export async function openStore(options: GlobalOptions, env: NodeJS.ProcessEnv): Promise<Credstash> {
  const backend = options.backend;
  if (backend.kind === 'offline') {
    return new Credstash(offlineProviders({ directory: backend.directory, table: options.table }));
  }

  const profileCredentials = await resolveProfileCredentials(backend.profile, env);
  const region = await resolveRegion(backend.region, backend.profile, env);
  const kmsRegion = backend.kmsRegion ?? (await readSavedKmsRegion()) ?? region;
  const connection = {
    region,
    ...(backend.endpoint === undefined ? {} : { endpoint: backend.endpoint }),
    ...(backend.profile === undefined ? {} : { profile: backend.profile }),
    ...(profileCredentials === undefined ? {} : { credentials: profileCredentials }),
  };
  const credentials = backend.roleArn === undefined ? undefined : await assumeRole(backend.roleArn, connection);

  return new Credstash({
    ...connection,
    kmsRegion,
    table: options.table,
    ...(credentials === undefined ? {} : { credentials }),
  });
}
