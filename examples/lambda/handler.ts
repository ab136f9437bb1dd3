// An AWS Lambda handler that reads an API key from credstash through the read cache.
//
// The Credstash is created once per execution environment, outside the handler, so a warm
// function reuses its cache: only the first invocation, and the first after each maxAge,
// costs a DynamoDB query and a KMS decrypt. Lambda provides AWS_REGION and credentials;
// CREDSTASH_DEFAULT_TABLE, API_KEY_SECRET and SECRET_CACHE_MAX_AGE_MS are optional.
// `npm run example:lambda` invokes it locally against moto.
import { createHash } from 'node:crypto';

import { Credstash, CredstashError } from 'credstash-ts';

const SECRET_NAME = process.env['API_KEY_SECRET'] ?? 'payments/api-key';

const credstash = new Credstash({ cache: { maxAge: Number(process.env['SECRET_CACHE_MAX_AGE_MS'] ?? 5 * 60_000) } });

/** The invocation event. `refreshSecrets` forces a fresh read, for example right after a rotation. */
export interface ExampleEvent {
  readonly refreshSecrets?: boolean;
}

/** The response shape of an API Gateway or function URL integration. */
export interface ExampleResponse {
  readonly statusCode: number;
  readonly body: string;
}

/** Reads the API key through the cache and returns its fingerprint, or 503 when it cannot be read. */
export async function handler(event: ExampleEvent = {}): Promise<ExampleResponse> {
  let apiKey: string;
  try {
    apiKey = await credstash.getSecret(SECRET_NAME, { refresh: event.refreshSecrets === true });
  } catch (error) {
    const fields = error instanceof CredstashError ? { code: error.code, error: error.message } : { error: String(error) };
    console.error(JSON.stringify({ level: 'error', message: 'cannot read the API key', secret: SECRET_NAME, ...fields }));
    return { statusCode: 503, body: JSON.stringify({ error: 'secrets unavailable' }) };
  }

  // A real handler would call the payments API with the key here. This one returns a short
  // fingerprint instead, which shows which key it used without revealing the key.
  const keyFingerprint = createHash('sha256').update(apiKey).digest('hex').slice(0, 12);
  return { statusCode: 200, body: JSON.stringify({ keyFingerprint }) };
}
