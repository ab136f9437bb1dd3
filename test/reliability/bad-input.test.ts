import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { Credstash, FileTableProvider, InvalidArgumentError, LocalKeyProvider, MemoryTableProvider } from '../../src/index.js';
import { CountingKeyProvider, CountingTable } from '../support/counting-providers.js';
import { recordFigure } from '../support/figures.js';
import { createMotoCredstash, motoEndpoint } from '../support/moto.js';
import { CLI_ROWS, LIBRARY_ROWS } from './bad-inputs.js';

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
    recordFigure('bad input', 'CLI inputs listed, waiting for the CLI', CLI_ROWS.length);
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
  // NOTE: the CLI is not on this branch yet, so each row is reported as todo, apart from
  // the passing tests, until a runner for the `credstash-ts` binary is added here.
  for (const row of CLI_ROWS) {
    it.todo(`exits 1 on ${row.title}`);
  }
});
