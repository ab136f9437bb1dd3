// Runs the HTTP service example against a local moto, with one command:
//
//   npm run example:http-service
//
// It starts moto on 127.0.0.1, creates the KMS key, its alias and the table, stores the
// database password, starts the service, rotates the password, waits until the service
// reports the new version, and stops everything. No AWS account or network is involved.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

import { Credstash } from 'credstash-ts';

import { startLocalAws, type LocalAws } from '../support/local-aws.js';

const SECRET_NAME = 'db/password';
const TABLE = 'credential-store';
// Short, so that the example finishes in seconds. The service's own default is 5 minutes.
const REFRESH_INTERVAL_MS = 500;
const STEP_TIMEOUT_MS = 20_000;

const aws = await startLocalAws();
console.log(`moto is listening on ${aws.endpoint}`);
let service: ChildProcess | undefined;

try {
  // The administrator's side: what the setup and put commands do.
  const admin = new Credstash({ endpoint: aws.endpoint, region: aws.region, credentials: aws.credentials, table: TABLE });
  const created = await admin.setup({ createKey: true });
  console.log(`setup: table ${created.table}, KMS key alias/credstash ${created.key}`);
  await admin.putSecret(SECRET_NAME, 'first-password', { version: 1, comment: 'initial' });
  console.log(`stored ${SECRET_NAME} version 1`);

  const started = startService(aws);
  service = started.child;
  const port = await started.port;
  const passwordVersion = async (): Promise<string | undefined> => {
    const response = await fetch(`http://127.0.0.1:${port}/healthz`);
    return ((await response.json()) as { passwordVersion?: string }).passwordVersion;
  };
  console.log(`GET /healthz: password version ${await passwordVersion()}`);

  const { version } = await admin.putSecret(SECRET_NAME, 'second-password', { autoVersion: true, comment: 'rotated' });
  console.log(`rotated ${SECRET_NAME} to version ${version}`);
  await waitFor('the service to pick up the rotated password', async () => (await passwordVersion()) === version);
  console.log(`GET /healthz: password version ${version}`);

  const exited = new Promise<number | null>((resolve) => service?.once('exit', resolve));
  service.kill('SIGTERM');
  const status = await exited;
  if (status !== 0) {
    throw new Error(`the service exited with status ${String(status)} on SIGTERM, expected 0`);
  }
  console.log('http-service example: OK');
} finally {
  if (service !== undefined && service.exitCode === null) {
    service.kill('SIGKILL');
  }
  await aws.stop();
}

/** Starts server.ts with the environment that points it at moto, and resolves its port once it listens. */
function startService(local: LocalAws): { child: ChildProcess; port: Promise<number> } {
  // process.execArgv carries tsx's loader flags, so the child runs TypeScript the same way.
  const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(new URL('./server.ts', import.meta.url))], {
    env: { ...process.env, ...local.env, CREDSTASH_DEFAULT_TABLE: TABLE, DB_PASSWORD_SECRET: SECRET_NAME, PORT: '0', REFRESH_INTERVAL_MS: String(REFRESH_INTERVAL_MS) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });

  const port = new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the service did not listen within ${STEP_TIMEOUT_MS / 1000} s`)), STEP_TIMEOUT_MS);
    child.once('exit', (status) => reject(new Error(`the service exited with status ${String(status)} before it listened`)));
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      console.log(`[service] ${line}`);
      const entry = JSON.parse(line) as { message?: string; port?: number };
      if (entry.message === 'listening' && entry.port !== undefined) {
        clearTimeout(timer);
        resolve(entry.port);
      }
    });
  });
  return { child, port };
}

async function waitFor(what: string, done: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + STEP_TIMEOUT_MS;
  while (!(await done())) {
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${STEP_TIMEOUT_MS / 1000} s waiting for ${what}`);
    }
    await sleep(50);
  }
}
