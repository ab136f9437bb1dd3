import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { Credstash, loadEnvironment, offlineProviders } from '../../src/index.js';
import { makeTempDir, offlineEnv, runCli } from '../cli/support/processes.js';

// loadEnvironment and the CLI's exec must turn the same secrets into the same variables.
// Both read one offline store here; the CLI prints the variables its command received.

const PRINT_VARIABLES = "process.stdout.write(JSON.stringify(Object.fromEntries(Object.entries(process.env).filter(([name]) => name.startsWith('T_')))))";

describe('loadEnvironment and exec', () => {
  let home: { path: string; remove: () => Promise<void> };
  let directory: string;
  let credstash: Credstash;

  beforeAll(async () => {
    home = await makeTempDir('load-environment-exec');
    directory = join(home.path, 'store');
    credstash = new Credstash(offlineProviders({ directory, table: 'exec-parity' }));
    await credstash.setup();
    for (const [name, value] of Object.entries({ t_db: 'db', 't.api-key': 'api', 't/x y': 'xy', T_upper: 'upper', 't_ünï': 'unicode', t_quote: "it's" })) {
      await credstash.putSecret(name, value);
    }
  });

  afterAll(async () => {
    await home.remove();
  });

  function exec(args: readonly string[]): Promise<{ status: number | null; text: string; stderr: string }> {
    return runCli(['--offline', directory, '-t', 'exec-parity', 'exec', ...args, '--', process.execPath, '-e', PRINT_VARIABLES], { env: offlineEnv(home.path) });
  }

  it('gives the same variables with replace', async () => {
    const fromCli = await exec(['--replace-invalid']);

    const fromLibrary = await loadEnvironment(credstash, { invalidNames: 'replace' });

    expect(fromCli.status, fromCli.stderr).toBe(0);
    expect(JSON.parse(fromCli.text)).toEqual(fromLibrary);
    expect(Object.keys(fromLibrary).sort()).toEqual(['T_API_KEY', 'T_DB', 'T_QUOTE', 'T_UPPER', 'T_X_Y', 'T__N_']);
  });

  it('gives the same variables for a pattern', async () => {
    const fromCli = await exec(['--pattern', 't_*', '--replace-invalid']);

    const fromLibrary = await loadEnvironment(credstash, { pattern: 't_*', invalidNames: 'replace' });

    expect(fromCli.status, fromCli.stderr).toBe(0);
    expect(JSON.parse(fromCli.text)).toEqual(fromLibrary);
    expect(Object.keys(fromLibrary).sort()).toEqual(['T_DB', 'T_QUOTE', 'T__N_']);
  });

  it('rejects the same invalid names', async () => {
    const fromCli = await exec([]);

    const fromLibrary = await loadEnvironment(credstash).catch((caught: unknown) => caught as Error);

    expect(fromCli.status).toBe(1);
    for (const name of ['t.api-key', 't/x y', 't_ünï']) {
      expect(fromCli.stderr).toContain(JSON.stringify(name));
      expect((fromLibrary as Error).message).toContain(JSON.stringify(name));
    }
  });
});
