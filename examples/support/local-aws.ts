// Starts a moto server on 127.0.0.1 that replaces KMS and DynamoDB, so that the examples
// run without an AWS account. Used only by the example runners, never by the examples' own code.
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** A running moto server and the environment that points the AWS SDK at it. */
export interface LocalAws {
  readonly endpoint: string;
  readonly region: string;
  /** Fake credentials that moto accepts. */
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** Standard AWS SDK variables: endpoint, region, fake credentials, no instance metadata. */
  readonly env: Readonly<Record<string, string>>;
  stop(): Promise<void>;
}

const STARTUP_TIMEOUT_MS = 30_000;

/** Starts moto on a free port of 127.0.0.1 and resolves once it accepts requests. */
export async function startLocalAws(region = 'us-east-1'): Promise<LocalAws> {
  // The runner's own SDK clients would print the SDK's Node.js 20 end-of-support notice.
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] = 'true';
  const python = process.env['PYTHON'] ?? 'python3';
  if (spawnSync(python, ['-c', 'import moto.server'], { stdio: 'ignore' }).status !== 0) {
    throw new Error(`moto is not installed for ${python}. Install it with: pip install 'moto[server]'`);
  }

  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const moto = spawn(python, ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  moto.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });

  const stop = async (): Promise<void> => {
    if (moto.exitCode !== null || moto.signalCode !== null) {
      return;
    }
    const exited = new Promise((resolve) => moto.once('exit', resolve));
    moto.kill('SIGTERM');
    const timer = setTimeout(() => moto.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };

  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  while (!(await answers(endpoint))) {
    if (moto.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`moto did not start on ${endpoint} within ${STARTUP_TIMEOUT_MS / 1000} s: ${stderr}`);
    }
    await sleep(100);
  }

  return {
    endpoint,
    region,
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    env: {
      // The per-service variables win over AWS_ENDPOINT_URL in the SDK, so they are set too,
      // and the switch that would make the SDK ignore all of them is turned off.
      AWS_ENDPOINT_URL: endpoint,
      AWS_ENDPOINT_URL_KMS: endpoint,
      AWS_ENDPOINT_URL_DYNAMODB: endpoint,
      AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'false',
      AWS_REGION: region,
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      // Keeps the SDK from asking an instance metadata service for anything.
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
    stop,
  };
}

async function answers(endpoint: string): Promise<boolean> {
  try {
    return (await fetch(`${endpoint}/moto-api/`)).ok;
  } catch {
    return false;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port was assigned'))));
    });
  });
}
