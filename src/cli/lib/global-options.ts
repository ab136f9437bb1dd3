import { DEFAULT_TABLE_NAME } from '../../tables/dynamodb-table-provider.js';
import { usageError } from './cli-error.js';

/** Environment variable that selects the offline store, like `--offline`. */
export const OFFLINE_ENV = 'CREDSTASH_OFFLINE_DIR';

/** Storage of secrets: AWS (KMS and DynamoDB), or the offline master key and file table. */
export type Backend =
  | {
      readonly kind: 'aws';
      readonly region?: string;
      readonly kmsRegion?: string;
      readonly profile?: string;
      readonly roleArn?: string;
      readonly endpoint?: string;
    }
  | { readonly kind: 'offline'; readonly directory: string };

/** The options that come before the command name, checked and typed. */
export interface GlobalOptions {
  readonly table: string;
  readonly backend: Backend;
  readonly debug: boolean;
}

/** The global options as commander parses them. */
export interface RawGlobalOptions {
  readonly region?: string;
  readonly kmsRegion?: string;
  readonly table?: string;
  readonly profile?: string;
  readonly arn?: string;
  readonly endpointUrl?: string;
  readonly offline?: string;
  readonly debug?: boolean;
}

/** Checks the global options and fills in defaults from the environment. */
export function parseGlobalOptions(raw: RawGlobalOptions, env: NodeJS.ProcessEnv): GlobalOptions {
  const table = raw.table ?? (env['CREDSTASH_DEFAULT_TABLE'] || DEFAULT_TABLE_NAME);
  if (table === '') {
    throw usageError('invalid table "": pass a table name to -t/--table.');
  }
  if (raw.profile !== undefined && raw.arn !== undefined) {
    throw usageError('-p/--profile and -n/--arn cannot be combined: pass one way to get credentials.');
  }

  const offline = raw.offline ?? (env[OFFLINE_ENV] || undefined);
  if (offline === undefined) {
    return {
      table,
      debug: raw.debug === true,
      backend: {
        kind: 'aws',
        ...(raw.region === undefined ? {} : { region: raw.region }),
        ...(raw.kmsRegion === undefined ? {} : { kmsRegion: raw.kmsRegion }),
        ...(raw.profile === undefined ? {} : { profile: raw.profile }),
        ...(raw.arn === undefined ? {} : { roleArn: raw.arn }),
        ...(raw.endpointUrl === undefined ? {} : { endpoint: raw.endpointUrl }),
      },
    };
  }

  const source = raw.offline === undefined ? `${OFFLINE_ENV} is set, so` : '--offline is given, so';
  const awsOptions: [unknown, string][] = [
    [raw.region, '-r/--region'],
    [raw.kmsRegion, '--kms-region'],
    [raw.profile, '-p/--profile'],
    [raw.arn, '-n/--arn'],
    [raw.endpointUrl, '--endpoint-url'],
  ];
  const conflicting = awsOptions.filter(([value]) => value !== undefined).map(([, flag]) => flag);
  if (conflicting.length > 0) {
    throw usageError(`${source} secrets are kept offline and ${conflicting.join(', ')} cannot apply. Leave them out, or unset the offline store to use AWS.`);
  }
  if (offline === '') {
    throw usageError('invalid --offline "": pass the folder of the master key and table files.');
  }
  return { table, debug: raw.debug === true, backend: { kind: 'offline', directory: offline } };
}
