import { join } from 'node:path';

import type { AwsCredentials } from '../../lib/aws-client-options.js';
import { CliError } from './cli-error.js';

type CredentialsFunction = Extract<AwsCredentials, () => unknown>;

/**
 * Chooses the credentials of an AWS run as boto3, and so Python credstash, does, and checks
 * that the named profile exists:
 *
 * - With `-p PROFILE` the profile's credentials are used, and `AWS_ACCESS_KEY_ID` and
 *   `AWS_SECRET_ACCESS_KEY` are ignored.
 * - With `AWS_PROFILE` and those two variables set, the variables win.
 * - Otherwise the AWS SDK's default chain applies (undefined is returned).
 *
 * Passing the credentials explicitly also keeps the AWS SDK's default chain from printing
 * its "Multiple credential sources detected" warning, which it prints whenever a profile and
 * the two variables are both set.
 */
export async function resolveProfileCredentials(profile: string | undefined, env: NodeJS.ProcessEnv): Promise<AwsCredentials | undefined> {
  const environmentProfile = nonEmpty(env['AWS_PROFILE']);
  const named = profile ?? environmentProfile;
  if (named !== undefined) {
    await assertProfileExists(named, profile === undefined ? 'AWS_PROFILE' : '-p', env);
  }

  if (profile !== undefined) {
    return iniCredentials(profile, env);
  }
  const accessKeyId = nonEmpty(env['AWS_ACCESS_KEY_ID']);
  const secretAccessKey = nonEmpty(env['AWS_SECRET_ACCESS_KEY']);
  if (environmentProfile !== undefined && accessKeyId !== undefined && secretAccessKey !== undefined) {
    const sessionToken = nonEmpty(env['AWS_SESSION_TOKEN']);
    return { accessKeyId, secretAccessKey, ...(sessionToken === undefined ? {} : { sessionToken }) };
  }
  return undefined;
}

// Python (botocore) fails at once with "The config profile (NAME) could not be found". The
// AWS SDK would fail only at the first request, with "Could not load credentials from any
// providers". Both look for [profile NAME] in the config file and [NAME] in the credentials file.
async function assertProfileExists(profile: string, source: '-p' | 'AWS_PROFILE', env: NodeJS.ProcessEnv): Promise<void> {
  const { getHomeDir, loadSharedConfigFiles } = await import('@smithy/core/config');
  const configFile = resolveHome(nonEmpty(env['AWS_CONFIG_FILE']) ?? join(getHomeDir(), '.aws', 'config'), getHomeDir());
  const credentialsFile = resolveHome(nonEmpty(env['AWS_SHARED_CREDENTIALS_FILE']) ?? join(getHomeDir(), '.aws', 'credentials'), getHomeDir());

  const files = await loadSharedConfigFiles({ configFilepath: configFile, filepath: credentialsFile, ignoreCache: true });
  if (Object.hasOwn(files.configFile, profile) || Object.hasOwn(files.credentialsFile, profile)) {
    return;
  }

  const fix = source === '-p' ? 'pass a profile that exists to -p' : 'unset AWS_PROFILE';
  throw new CliError(
    'ERR_PROFILE_NOT_FOUND',
    `the config profile (${profile})${source === 'AWS_PROFILE' ? ' named by AWS_PROFILE' : ''} could not be found in ${configFile} or ${credentialsFile}. ` +
      `Add it to one of these files, or ${fix}.`,
  );
}

// A profile's credentials, read on the first request: static keys, role_arn, credential_process,
// SSO or web identity, as the AWS SDK's fromIni resolves them.
function iniCredentials(profile: string, env: NodeJS.ProcessEnv): AwsCredentials {
  let provider: CredentialsFunction | undefined;
  const configFilepath = nonEmpty(env['AWS_CONFIG_FILE']);
  const filepath = nonEmpty(env['AWS_SHARED_CREDENTIALS_FILE']);

  // The SDK calls the function with the client's configuration, which fromIni uses for the
  // region of a role_arn profile's STS call, so the arguments are passed on.
  return (async (...args: unknown[]) => {
    if (provider === undefined) {
      const { fromIni } = await import('@aws-sdk/credential-provider-ini');
      provider = fromIni({
        profile,
        ...(configFilepath === undefined ? {} : { configFilepath }),
        ...(filepath === undefined ? {} : { filepath }),
      }) as unknown as CredentialsFunction;
    }
    return (provider as (...callArgs: unknown[]) => ReturnType<CredentialsFunction>)(...args);
  }) as CredentialsFunction;
}

function resolveHome(path: string, home: string): string {
  return path.startsWith('~/') ? join(home, path.slice(2)) : path;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
