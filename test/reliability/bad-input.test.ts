import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { Credstash, FileTableProvider, InvalidArgumentError, LocalKeyProvider, MemoryTableProvider } from '../../src/index.js';
import { CountingKeyProvider, CountingTable } from '../support/counting-providers.js';
import { recordFigure } from '../support/figures.js';
import { createMotoCredstash, motoEndpoint } from '../support/moto.js';
import { makeTempDir, offlineEnv, runCli } from '../cli/support/processes.js';
import { CLI_ROWS, LIBRARY_ROWS, type CliRow } from './bad-inputs.js';

async function rejection(call: () => unknown): Promise<unknown> {
  try {
    await call();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('invalid library input', () => {
  const keys = new CountingKeyProvider(new LocalKeyProvider({ masterKey: randomBytes(32) }));
  const table = new CountingTable(new MemoryTableProvider());
  const credstash = new Credstash({ keyProvider: keys, tableProvider: table });
  const bound = new Credstash({ keyProvider: keys, tableProvider: table, bindName: true });

  afterAll(() => {
    recordFigure('bad input', 'library inputs tried', LIBRARY_ROWS.length);
  });

  beforeEach(() => {
    keys.calls = 0;
    table.reads = 0;
    table.writes = 0;
  });

  for (const row of LIBRARY_ROWS) {
    it(`rejects ${row.title}`, async () => {
      const error = await rejection(() => row.call(credstash, bound));

      expect(error).toBeInstanceOf(InvalidArgumentError);
      expect((error as InvalidArgumentError).code).toBe('ERR_INVALID_ARGUMENT');
      expect((error as InvalidArgumentError).argument).toBe(row.argument);
      for (const text of row.mentions) {
        expect((error as Error).message).toContain(text);
      }
      expect(keys.calls).toBe(row.rejectedByKeyProvider === true ? 1 : 0);
      expect(table.writes).toBe(0);
      expect(table.reads).toBe(0);
    });
  }
});

describe('invalid input leaves a file table unchanged', () => {
  let folder: string;

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'credstash-bad-input-'));
  });

  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('rejects every row without touching the file', async () => {
    const path = join(folder, 'table.jsonl');
    const keyProvider = new LocalKeyProvider({ masterKey: randomBytes(32) });
    const credstash = new Credstash({ keyProvider, tableProvider: new FileTableProvider({ path }) });
    const bound = new Credstash({ keyProvider, tableProvider: new FileTableProvider({ path }), bindName: true });
    await credstash.setup();
    await credstash.putSecret('n', 'stored before');
    const before = await readFile(path);

    for (const row of LIBRARY_ROWS) {
      const error = await rejection(() => row.call(credstash, bound));
      expect(error, row.title).toBeInstanceOf(InvalidArgumentError);
    }

    expect((await readFile(path)).equals(before)).toBe(true);
    expect(await credstash.getSecret('n')).toBe('stored before');
  });
});

describe('secret size limit', () => {
  it('stores the largest secret the message names', async () => {
    const credstash = new Credstash({ keyProvider: new LocalKeyProvider({ masterKey: randomBytes(32) }), tableProvider: new MemoryTableProvider() });
    const error = await rejection(() => credstash.putSecret('size/limit', 'x'.repeat(400 * 1024)));
    const limit = Number(/the limit is (\d+) bytes/.exec((error as Error).message)?.[1]);
    expect(limit).toBeGreaterThan(290_000);

    await credstash.putSecret('size/limit', 'x'.repeat(limit));
    const tooLarge = await rejection(() => credstash.putSecret('size/limit', 'x'.repeat(limit + 1), { version: 2 }));

    expect(await credstash.getSecret('size/limit')).toHaveLength(limit);
    expect(tooLarge).toBeInstanceOf(InvalidArgumentError);
  });

  const endpoint = motoEndpoint();
  it.skipIf(endpoint === null)('DynamoDB stores the limit and a 2048-byte name', { timeout: 60_000 }, async () => {
    const { credstash } = await createMotoCredstash();
    const error = await rejection(() => credstash.putSecret('size/limit', 'x'.repeat(400 * 1024)));
    const limit = Number(/the limit is (\d+) bytes/.exec((error as Error).message)?.[1]);
    const longName = 'n'.repeat(2048);

    await credstash.putSecret('size/limit', 'x'.repeat(limit));
    await credstash.putSecret(longName, 'long name', { version: '1234567890123456789' });

    expect(await credstash.getSecret('size/limit')).toHaveLength(limit);
    expect(await credstash.getSecret(longName, { version: '1234567890123456789' })).toBe('long name');
  });
});

describe('invalid CLI input', () => {
  let home: { path: string; remove: () => Promise<void> };
  let store: string;
  let tablePath: string;

  beforeAll(async () => {
    home = await makeTempDir('bad-cli-input');
    store = join(home.path, 'store');
    tablePath = join(store, 'credential-store.jsonl');
    const setup = await runCli(['--offline', store, 'setup'], { env: offlineEnv(home.path) });
    const seed = await runCli(['--offline', store, 'put', 'n', 'stored before'], { env: offlineEnv(home.path) });
    expect(setup.status).toBe(0);
    expect(seed.status).toBe(0);
  });

  afterAll(async () => {
    recordFigure('bad input', 'CLI inputs tried', CLI_ROWS.length);
    await home.remove();
  });

  for (const row of CLI_ROWS) {
    it(`exits 1 on ${row.title}`, async () => {
      const folder = await mkdtemp(join(home.path, 'row-'));
      await prepareFile(folder, row.prepare);
      const before = await readFile(tablePath);

      const argv = row.argv.map((argument) => argument.replaceAll('{dir}', folder));
      const result = await runCli(['--offline', store, ...argv], { env: offlineEnv(home.path), timeoutMs: 30_000 });

      expect(result.status).toBe(1);
      expect(result.stdout.length).toBe(0);
      expect(result.stderr).toMatch(/^credstash-ts: /);
      for (const text of row.mentions) {
        expect(result.stderr).toContain(text);
      }
      expect(result.stderr).not.toMatch(/\n\s+at /);
      expect((await readFile(tablePath)).equals(before)).toBe(true);
    });
  }
});

async function prepareFile(folder: string, kind: CliRow['prepare']): Promise<void> {
  switch (kind) {
    case 'unreadable-file':
      // Root reads a mode-000 file anyway, so a symbolic link to itself (ELOOP) stands in
      // for an unreadable file there.
      if (process.getuid?.() === 0) {
        await symlink('unreadable.txt', join(folder, 'unreadable.txt'));
      } else {
        await writeFile(join(folder, 'unreadable.txt'), 'secret', { mode: 0o000 });
      }
      return;
    case 'folder-as-file':
      await mkdir(join(folder, 'folder'));
      return;
    case 'oversized-file':
      await writeFile(join(folder, 'big.txt'), 'x'.repeat(400 * 1024));
      return;
    case 'missing-file':
    case undefined:
      return;
  }
}
