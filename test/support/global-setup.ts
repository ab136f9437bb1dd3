import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** URL of the moto server for this run, or null when moto is not installed. */
    motoEndpoint: string | null;
  }
}

let moto: ChildProcess | undefined;

/**
 * Starts one moto server (KMS + DynamoDB) on 127.0.0.1 for the whole run and stops it by
 * PID afterwards. Without moto the AWS suites skip loudly; under CI=true that is a failure.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // Keeps the SDK from ever asking an instance metadata service for credentials or region.
  process.env['AWS_EC2_METADATA_DISABLED'] = 'true';

  const python = process.env['PYTHON'] ?? 'python3';
  const probe = spawnSync(python, ['-c', 'import moto.server'], { stdio: 'ignore' });
  if (probe.status !== 0) {
    const message = `moto is not installed for ${python}: the KMS and DynamoDB suites cannot run. Install it with: pip install 'moto[server]'`;
    if (process.env['CI'] === 'true') {
      throw new Error(message);
    }
    console.warn(`\n*** SKIPPING AWS SUITES: ${message} ***\n`);
    project.provide('motoEndpoint', null);
    return async () => undefined;
  }

  const port = await freePort();
  moto = spawn(python, ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  moto.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const endpoint = `http://127.0.0.1:${port}`;
  await waitForMoto(endpoint, () => stderr);
  project.provide('motoEndpoint', endpoint);

  return async () => {
    await stopProcess(moto);
  };
}

async function waitForMoto(endpoint: string, stderr: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (moto?.exitCode !== null) {
      throw new Error(`moto exited with status ${String(moto?.exitCode)}: ${stderr()}`);
    }
    try {
      const response = await fetch(`${endpoint}/moto-api/`);
      if (response.ok) {
        return;
      }
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  await stopProcess(moto);
  throw new Error(`moto did not answer on ${endpoint} within 30 s: ${stderr()}`);
}

async function stopProcess(child: ChildProcess | undefined): Promise<void> {
  if (child?.pid === undefined || child.exitCode !== null) {
    return;
  }
  const exited = new Promise((resolve) => child.once('exit', resolve));
  process.kill(child.pid, 'SIGTERM');
  const timer = setTimeout(() => child.pid !== undefined && process.kill(child.pid, 'SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
