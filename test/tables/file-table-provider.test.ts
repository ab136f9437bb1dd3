import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { describe, expect, it } from 'vitest';

import { Credstash, FileTableProvider, LocalKeyProvider, TableNotFoundError, TableProviderError } from '../../src/index.js';

const WRITER = new URL('../support/file-table-writer.ts', import.meta.url).pathname;

function temporaryFolder(): string {
  return mkdtempSync(join(tmpdir(), 'credstash-ts-file-'));
}

async function newTable(): Promise<{ folder: string; tablePath: string; keyFile: string; credstash: Credstash }> {
  const folder = temporaryFolder();
  const tablePath = join(folder, 'table.jsonl');
  const keyFile = join(folder, 'master.key');
  const credstash = new Credstash({ keyProvider: new LocalKeyProvider({ keyFile }), tableProvider: new FileTableProvider({ path: tablePath }) });
  await credstash.setup();
  // Creates the key before the children start, so they share it.
  await credstash.putSecret('seed', 'seed');
  return { folder, tablePath, keyFile, credstash };
}

function startWriter(args: string[]): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', WRITER, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
}

function waitForExit(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve(child.exitCode);
      return;
    }
    child.once('exit', (code) => resolve(code));
  });
}

/** Checks that the file is a complete table: the header, then whole JSON items. */
function assertWholeTable(tablePath: string): number {
  const lines = readFileSync(tablePath, 'utf8').split('\n');
  expect(lines[0]).toBe(JSON.stringify({ format: 'credstash-ts/file-table', version: 1 }));
  expect(lines.at(-1)).toBe('');
  const items = lines.slice(1, -1).map((line) => JSON.parse(line) as { name: { S: string } });
  for (const item of items) {
    expect(typeof item.name.S).toBe('string');
  }
  return items.length;
}

describe('FileTableProvider', () => {
  it('creates the table with mode 0600', async () => {
    const { tablePath } = await newTable();

    expect(statSync(tablePath).mode & 0o777).toBe(0o600);
  });

  it('reports a missing table', async () => {
    const table = new FileTableProvider({ path: join(temporaryFolder(), 'none.jsonl') });

    await expect(table.getItem('a', '1')).rejects.toThrow(TableNotFoundError);
  });

  it('rejects a file that is not a table', async () => {
    const path = join(temporaryFolder(), 'other.txt');
    writeFileSync(path, 'hello\n');

    await expect(new FileTableProvider({ path }).getItem('a', '1')).rejects.toThrow(/not a credstash-ts file table/);
    await expect(new FileTableProvider({ path }).createTable({})).rejects.toThrow(TableProviderError);
  });

  it('times out on a lock held by a live process', async () => {
    const { tablePath } = await newTable();
    writeFileSync(`${tablePath}.lock`, `${process.pid} ${hostname()} held-by-test`);
    const credstash = new Credstash({
      keyProvider: new LocalKeyProvider({ keyFile: join(tablePath, '..', 'master.key') }),
      tableProvider: new FileTableProvider({ path: tablePath, lockTimeout: 300 }),
    });

    await expect(credstash.putSecret('blocked', 'x')).rejects.toThrow(/timed out after 300 ms waiting for the lock file/);
  });

  it('removes a lock left by a dead process', async () => {
    const { tablePath, credstash } = await newTable();
    writeFileSync(`${tablePath}.lock`, `999999999 ${hostname()} left-by-a-crash`);

    await credstash.putSecret('after-crash', 'x');

    expect(await credstash.getSecret('after-crash')).toBe('x');
  });

  it('loses nothing with four writing processes', async () => {
    const { tablePath, keyFile, credstash } = await newTable();

    const writers = ['a', 'b', 'c', 'd'].map((prefix) => startWriter([tablePath, keyFile, prefix, '15']));
    const codes = await Promise.all(writers.map(waitForExit));

    expect(codes).toEqual([0, 0, 0, 0]);
    const names = (await credstash.listSecrets()).map((summary) => summary.name);
    expect(names).toHaveLength(61);
    for (const prefix of ['a', 'b', 'c', 'd']) {
      for (let index = 0; index < 15; index += 1) {
        expect(names).toContain(`${prefix}-${index}`);
      }
    }
    expect(assertWholeTable(tablePath)).toBe(61);
  });

  it('autoversions across processes without loss', async () => {
    const { tablePath, keyFile, credstash } = await newTable();

    const writers = [1, 2, 3, 4].map(() => startWriter([tablePath, keyFile, 'shared', '5', 'autoversion']));
    expect(await Promise.all(writers.map(waitForExit))).toEqual([0, 0, 0, 0]);

    const versions = (await credstash.listSecrets()).filter((summary) => summary.name === 'shared').map((summary) => summary.version);
    expect(versions).toEqual(Array.from({ length: 20 }, (_, index) => String(index + 1).padStart(19, '0')));
  });

  it('survives writers killed mid-write', async () => {
    const { tablePath, keyFile, credstash } = await newTable();
    let before = assertWholeTable(tablePath);
    let killedMidWrite = 0;

    for (let round = 0; round < 8; round += 1) {
      const writer = startWriter([tablePath, keyFile, `killed${round}`, '0', 'loop']);
      // Waits for the first completed put, then kills at a random point of a later one.
      await new Promise<void>((resolve) => writer.stdout?.once('data', () => resolve()));
      await sleep(Math.random() * 40);
      writer.kill('SIGKILL');
      await waitForExit(writer);
      const leftovers = readdirSync(join(tablePath, '..')).filter((file) => file.endsWith('.tmp'));
      if (existsSync(`${tablePath}.lock`) || leftovers.length > 0) {
        killedMidWrite += 1;
      }

      const after = assertWholeTable(tablePath);
      expect(after).toBeGreaterThan(before);
      before = after;
    }

    expect(killedMidWrite).toBeGreaterThan(0);
    // The lock and temporary files of the killed writers do not block the next write.
    await credstash.putSecret('after-kills', 'ok');
    expect(await credstash.getSecret('after-kills')).toBe('ok');
    expect(readdirSync(join(tablePath, '..')).filter((file) => file.endsWith('.tmp'))).toEqual([]);
    expect(assertWholeTable(tablePath)).toBe(before + 1);
  });
});
