// Invokes the Lambda handler locally against moto, with one command:
//
//   npm run example:lambda
//
// It starts moto on 127.0.0.1, creates the KMS key, its alias and the table, stores the API
// key, and invokes the handler several times in one process, as a warm Lambda execution
// environment would. It checks that the cache serves the old key after a rotation until a
// forced refresh, then stops moto. No AWS account or network is involved.
import { createHash } from 'node:crypto';

import { Credstash } from 'credstash-ts';

import { startLocalAws } from '../support/local-aws.js';

const SECRET_NAME = 'payments/api-key';

const aws = await startLocalAws();
console.log(`moto is listening on ${aws.endpoint}`);

try {
  // The handler reads its configuration from the environment at import, as in Lambda.
  Object.assign(process.env, aws.env, { API_KEY_SECRET: SECRET_NAME, CREDSTASH_DEFAULT_TABLE: 'credential-store' });

  const admin = new Credstash({ endpoint: aws.endpoint, region: aws.region, credentials: aws.credentials });
  const created = await admin.setup({ createKey: true });
  console.log(`setup: table ${created.table}, KMS key alias/credstash ${created.key}`);
  await admin.putSecret(SECRET_NAME, 'key-one', { version: 1 });
  console.log(`stored ${SECRET_NAME} version 1`);

  const { handler } = await import('./handler.js');
  const invoke = async (event: { refreshSecrets?: boolean }, title: string): Promise<string> => {
    const response = await handler(event);
    console.log(`${title}: ${response.statusCode} ${response.body}`);
    if (response.statusCode !== 200) {
      throw new Error(`the handler returned status ${response.statusCode}`);
    }
    return (JSON.parse(response.body) as { keyFingerprint: string }).keyFingerprint;
  };

  const cold = await invoke({}, 'cold invocation');
  const warm = await invoke({}, 'warm invocation');
  await admin.putSecret(SECRET_NAME, 'key-two', { autoVersion: true });
  console.log(`rotated ${SECRET_NAME} to version 2`);
  const cached = await invoke({}, 'after the rotation, from the cache');
  const refreshed = await invoke({ refreshSecrets: true }, 'with refreshSecrets');

  expectEqual('cold invocation', cold, fingerprint('key-one'));
  expectEqual('warm invocation', warm, fingerprint('key-one'));
  expectEqual('cached invocation', cached, fingerprint('key-one'));
  expectEqual('refreshed invocation', refreshed, fingerprint('key-two'));
  console.log('lambda example: OK');
} finally {
  await aws.stop();
}

function fingerprint(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 12);
}

function expectEqual(invocation: string, actual: string, expected: string): void {
  if (actual !== expected) {
    throw new Error(`${invocation} used key fingerprint ${actual}, expected ${expected}`);
  }
}
