import { buildClientConfig, describeAwsError, type AwsClientOptions, type AwsCredentials } from '../../lib/aws-client-options.js';
import { CliError } from './cli-error.js';

// The session name Python credstash 1.17.1 uses, so CloudTrail shows both alike.
const SESSION_NAME = 'AssumeRoleCredstashSession1';

/**
 * Assumes an IAM role through STS (`-n/--arn`) and returns its temporary credentials.
 * The call is made once, before the command runs, as Python credstash does; the
 * credentials last an hour by default, longer than any single command.
 */
export async function assumeRole(roleArn: string, options: AwsClientOptions): Promise<AwsCredentials> {
  const sts = await import('@aws-sdk/client-sts');
  const client = new sts.STSClient(buildClientConfig(options));

  try {
    const response = await client.send(new sts.AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: SESSION_NAME }));
    const credentials = response.Credentials;
    if (credentials?.AccessKeyId === undefined || credentials.SecretAccessKey === undefined) {
      throw new CliError('ERR_ASSUME_ROLE', `STS AssumeRole for ${roleArn} returned no credentials.`);
    }
    return {
      accessKeyId: credentials.AccessKeyId,
      secretAccessKey: credentials.SecretAccessKey,
      ...(credentials.SessionToken === undefined ? {} : { sessionToken: credentials.SessionToken }),
      ...(credentials.Expiration === undefined ? {} : { expiration: credentials.Expiration }),
    };
  } catch (error) {
    if (error instanceof CliError) {
      throw error;
    }
    throw new CliError('ERR_ASSUME_ROLE', `cannot assume role ${roleArn}: ${describeAwsError(error)}. Check the ARN and that the caller may assume it.`, {
      cause: error,
    });
  } finally {
    client.destroy();
  }
}
