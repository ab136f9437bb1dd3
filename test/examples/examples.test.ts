import { spawn } from 'node:child_process';

import { describe, expect, it } from 'vitest';

import { motoEndpoint } from '../support/moto.js';

const withMoto = motoEndpoint() !== null;
if (!withMoto) {
  console.warn('*** moto is not available: the examples suite is skipped ***');
}

const ROOT = new URL('../..', import.meta.url).pathname;
const TIMEOUT_MS = 120_000;

/**
 * Runs an npm script as examples/README.md documents it, in its own process group, and kills
 * the whole group (npm, tsx, the example and its moto) if it outlives the timeout.
 */
function runScript(script: string): Promise<{ status: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', '--silent', script], { cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => {
      if (child.pid !== undefined) {
        process.kill(-child.pid, 'SIGKILL');
      }
      reject(new Error(`npm run ${script} did not finish within ${TIMEOUT_MS / 1000} s:\n${output}`));
    }, TIMEOUT_MS);
    child.once('exit', (status) => {
      clearTimeout(timer);
      resolve({ status, output });
    });
  });
}

// The two run one after the other, because each rebuilds dist/ before it starts.
describe.skipIf(!withMoto)('examples', () => {
  it('http-service runs against moto', { timeout: TIMEOUT_MS + 10_000 }, async () => {
    const { status, output } = await runScript('example:http-service');

    expect(output).toContain('database password rotated');
    expect(output).toContain('GET /healthz: password version 0000000000000000002');
    expect(output).toContain('http-service example: OK');
    expect(output).not.toContain('first-password');
    expect(output).not.toContain('second-password');
    expect(status).toBe(0);
  });

  it('lambda runs against moto', { timeout: TIMEOUT_MS + 10_000 }, async () => {
    const { status, output } = await runScript('example:lambda');

    expect(output).toContain('after the rotation, from the cache: 200');
    expect(output).toContain('lambda example: OK');
    expect(output).not.toContain('key-one');
    expect(status).toBe(0);
  });
});
