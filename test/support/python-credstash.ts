import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { TEST_CREDENTIALS } from './moto.js';

const PYTHON = process.env['PYTHON'] ?? 'python3';

/**
 * Tells whether Python credstash can be imported. Without it the interoperability tests
 * skip with a warning, and under CI=true this throws instead, so a missing install fails CI.
 */
export function pythonCredstashAvailable(): boolean {
  const probe = spawnSync(PYTHON, ['-c', 'import credstash'], { stdio: 'ignore' });
  if (probe.status === 0) {
    return true;
  }
  const message = `Python credstash is not installed for ${PYTHON}; install it with: pip install 'credstash==1.17.1'`;
  if (process.env['CI'] === 'true') {
    throw new Error(message);
  }
  console.warn(`*** SKIPPING Python credstash tests: ${message} ***`);
  return false;
}

/** Output of one Python credstash command. */
export interface PythonResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `python3 -m credstash ARGS` against the moto server at `endpoint`, in a temporary
 * folder that takes its `credstash.log` and is removed afterwards.
 */
export function runPythonCredstash(endpoint: string, args: readonly string[]): PythonResult {
  return runPython(endpoint, ['-m', 'credstash', ...args]);
}

/** Runs a Python program against the moto server at `endpoint`. */
export function runPython(endpoint: string, args: readonly string[]): PythonResult {
  const folder = mkdtempSync(join(tmpdir(), 'credstash-py-'));
  try {
    const result = spawnSync(PYTHON, args, {
      cwd: folder,
      encoding: 'utf8',
      timeout: 60_000,
      env: {
        ...environmentWithoutAws(),
        HOME: folder,
        AWS_ENDPOINT_URL: endpoint,
        AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
        AWS_DEFAULT_REGION: 'us-east-1',
        AWS_EC2_METADATA_DISABLED: 'true',
        PYTHONIOENCODING: 'utf-8',
      },
    });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

// The caller's AWS settings (profile, region, credentials) must not redirect the child.
function environmentWithoutAws(): NodeJS.ProcessEnv {
  const environment: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('AWS_')) {
      environment[key] = value;
    }
  }
  return environment;
}
