import { spawnSync } from 'node:child_process';

import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Path of a Python interpreter with credstash 1.17.1 installed, or null when there is none. */
    pythonCredstash: string | null;
  }
}

const REQUIRED_VERSION = '1.17.1';

/**
 * Finds a Python interpreter with credstash 1.17.1 for the interop suites. Without one the
 * suites skip loudly; under CI=true that is a failure, because CI must prove interop.
 */
export default function setup(project: TestProject): void {
  const python = process.env['PYTHON'] ?? 'python3';
  const probe = spawnSync(
    python,
    ['-c', 'import sys, importlib.metadata as m, credstash; print(sys.executable); print(m.version("credstash"))'],
    { encoding: 'utf8' },
  );
  const [executable, version] = probe.status === 0 ? probe.stdout.trim().split('\n') : [];

  if (executable === undefined || version !== REQUIRED_VERSION) {
    const found = version === undefined ? 'is not installed' : `is version ${version}`;
    const message = `Python credstash ${found} for ${python}: the interop suites need ${REQUIRED_VERSION}. Install it with: pip install credstash==${REQUIRED_VERSION}`;
    if (process.env['CI'] === 'true') {
      throw new Error(message);
    }
    console.warn(`\n*** SKIPPING PYTHON CREDSTASH INTEROP SUITES: ${message} ***\n`);
    project.provide('pythonCredstash', null);
    return;
  }
  project.provide('pythonCredstash', executable);
}
