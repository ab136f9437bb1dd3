/** Region Python credstash 1.17.1 falls back to when nothing else names one. */
export const FALLBACK_REGION = 'us-east-1';

/**
 * Resolves the AWS region as Python credstash does: `-r`, then the environment, then the
 * profile's `region` in the shared config file, and finally us-east-1. Python (boto3)
 * reads only AWS_DEFAULT_REGION; AWS_REGION, which the JavaScript SDK reads, is accepted too.
 */
export async function resolveRegion(explicit: string | undefined, profile: string | undefined, env: NodeJS.ProcessEnv): Promise<string> {
  const named = explicit ?? nonEmpty(env['AWS_REGION']) ?? nonEmpty(env['AWS_DEFAULT_REGION']);
  if (named !== undefined) {
    return named;
  }

  // The SDK's own resolution reads the config file exactly as the clients will.
  const { KMSClient } = await import('../../keys/lib/kms-sdk.js');
  const client = new KMSClient(profile === undefined ? {} : { profile });
  try {
    return await client.config.region();
  } catch {
    return FALLBACK_REGION;
  } finally {
    client.destroy();
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
