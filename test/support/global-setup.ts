import { spawnSync } from 'node:child_process';

import type { TestProject } from 'vitest/node';

import { startMotoServer, type MotoServer } from './moto-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** URL of the moto server for this run, or null when moto is not installed. */
    motoEndpoint: string | null;
  }
}

let moto: MotoServer | undefined;

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

  moto = await startMotoServer(python);
  project.provide('motoEndpoint', moto.endpoint);

  return async () => {
    await moto?.stop();
  };
}
