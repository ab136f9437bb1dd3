import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

import { DynamoDBClient, DescribeTableCommand, ListTagsOfResourceCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { Credstash, FileTableProvider, LocalKeyProvider, MemoryTableProvider, offlineProviders, type TableProvider } from '../../src/index.js';
import { credstashAt } from '../support/aws-clients.js';
import { recordFigure } from '../support/figures.js';
import { createKmsKey, createMotoCredstash, motoEndpoint, TEST_CREDENTIALS } from '../support/moto.js';

const WRITERS = 20;
const PUTS_PER_WRITER = 5;
const WRITER_SCRIPT = fileURLToPath(new URL('../support/file-writer.ts', import.meta.url));

interface PutRecord {
  readonly version: string;
  readonly value: string;
}

/** Checks that `records` took `count` distinct versions 1..count and that each contains its value. */
async function expectEveryVersionKept(credstash: Credstash, name: string, records: readonly PutRecord[], count: number): Promise<void> {
  const expectedVersions = Array.from({ length: count }, (_, index) => String(index + 1).padStart(19, '0'));
  expect(records.map((record) => record.version).sort()).toEqual(expectedVersions);

  const stored = (await credstash.listSecrets()).filter((item) => item.name === name).map((item) => item.version);
  expect(stored).toEqual(expectedVersions);
  for (const { version, value } of records) {
    expect(await credstash.getSecret(name, { version })).toBe(value);
  }
}

/** Runs a file-writer child process and returns the JSON lines it printed. */
function runWriter(directory: string, name: string, writer: string): Promise<Record<string, string>[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WRITER_SCRIPT, directory, name, writer, String(PUTS_PER_WRITER)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (status) => {
      if (status !== 0) {
        reject(new Error(`writer ${writer} exited with status ${String(status)}: ${stderr}`));
        return;
      }
      resolve(
        stdout
          .trim()
          .split('\n')
          .map((line) => JSON.parse(line) as Record<string, string>),
      );
    });
  });
}

/**
 * Races an autoversion put against a delete of every version, `rounds` times, and checks
 * after each round that what is left is exactly what was stored and not deleted.
 */
async function racePutAgainstDelete(credstash: Credstash, name: string, rounds: number): Promise<{ putFirst: number; deleteFirst: number }> {
  let putFirst = 0;
  let deleteFirst = 0;

  for (let round = 0; round < rounds; round += 1) {
    await credstash.deleteSecrets(name);
    const seeded = [await credstash.putSecret(name, `seed-a-${round}`, { autoVersion: true }), await credstash.putSecret(name, `seed-b-${round}`, { autoVersion: true })];
    const seedValues = new Map(seeded.map((result, index) => [result.version, `seed-${index === 0 ? 'a' : 'b'}-${round}`]));

    // The delete starts 0 to 12 ms after the put, so rounds see both orders and overlaps.
    const startDelay = (round % 5) * 3;
    const [put, deleted] = await Promise.all([
      credstash.putSecret(name, `raced-${round}`, { autoVersion: true }),
      sleep(startDelay).then(() => credstash.deleteSecrets(name)),
    ]);
    const left = (await credstash.listSecrets()).filter((item) => item.name === name).map((item) => item.version);

    // A seed that the delete did not reach is still there, unchanged.
    for (const [version, value] of seedValues) {
      if (!deleted.includes(version)) {
        expect(left).toContain(version);
        expect(await credstash.getSecret(name, { version })).toBe(value);
      }
    }
    // The raced put is either still stored with its value or was deleted. When the delete
    // ran first, autoversion may reuse a deleted version number, which is consistent.
    const putKept = left.includes(put.version);
    if (putKept) {
      expect(await credstash.getSecret(name, { version: put.version })).toBe(`raced-${round}`);
    } else {
      expect(deleted).toContain(put.version);
    }
    // Nothing else is left.
    expect(left.filter((version) => version !== put.version && (!seedValues.has(version) || deleted.includes(version)))).toEqual([]);
    if (putKept) {
      deleteFirst += 1;
    } else {
      putFirst += 1;
    }
  }
  return { putFirst, deleteFirst };
}

describe('file table races', () => {
  let folder: string;

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'credstash-races-'));
  });

  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it(`${WRITERS} processes x ${PUTS_PER_WRITER} autoversion puts`, { timeout: 180_000 }, async () => {
    const directory = join(folder, 'processes');

    const outputs = await Promise.all(Array.from({ length: WRITERS }, (_, index) => runWriter(directory, 'race/shared', `writer-${index}`)));

    const setups = outputs.map((lines) => lines[0]?.['setup']);
    const records = outputs.flatMap((lines) => lines.slice(1));
    expect(records.filter((record) => record['error'] !== undefined)).toEqual([]);
    expect(setups.filter((result) => result === 'created')).toHaveLength(1);
    expect(setups.filter((result) => result === 'exists')).toHaveLength(WRITERS - 1);

    const credstash = new Credstash(offlineProviders({ directory }));
    await expectEveryVersionKept(credstash, 'race/shared', records as unknown as PutRecord[], WRITERS * PUTS_PER_WRITER);
    recordFigure('races', `file table, ${WRITERS} processes x ${PUTS_PER_WRITER} autoversion puts: distinct versions stored`, records.length);
    recordFigure('races', `file table, ${WRITERS} processes: setup results`, `1 created, ${WRITERS - 1} exists`);
  });

  it('put racing deleteSecrets on a file table', { timeout: 60_000 }, async () => {
    const path = join(folder, 'put-delete.jsonl');
    const tableProvider: TableProvider = new FileTableProvider({ path });
    const credstash = new Credstash({ keyProvider: new LocalKeyProvider({ masterKey: randomBytes(32) }), tableProvider });
    await credstash.setup();

    const { putFirst, deleteFirst } = await racePutAgainstDelete(credstash, 'race/put-delete', 20);

    expect(putFirst + deleteFirst).toBe(20);
    recordFigure('races', 'file table, put racing deleteSecrets: consistent rounds', putFirst + deleteFirst);
    recordFigure('races', 'file table, put racing deleteSecrets: rounds where the put was deleted too', putFirst);
  });

  it('put racing deleteSecrets in memory', async () => {
    const credstash = new Credstash({ keyProvider: new LocalKeyProvider({ masterKey: randomBytes(32) }), tableProvider: new MemoryTableProvider() });

    const { putFirst, deleteFirst } = await racePutAgainstDelete(credstash, 'race/put-delete', 50);

    expect(putFirst + deleteFirst).toBe(50);
  });
});

const endpoint = motoEndpoint();
if (endpoint === null) {
  console.warn('*** SKIPPING race tests on moto: moto is not installed ***');
}

describe.skipIf(endpoint === null)('DynamoDB races (moto)', () => {
  let names: { table: string; alias: string };

  beforeAll(async () => {
    const { table, alias } = await createMotoCredstash();
    names = { table, alias };
  });

  it(`${WRITERS} writers x ${PUTS_PER_WRITER} autoversion puts`, { timeout: 180_000 }, async () => {
    // Each writer has its own clients, as separate processes would.
    const writers = Array.from({ length: WRITERS }, () => credstashAt(endpoint as string, names));

    const records = (
      await Promise.all(
        writers.map(async (credstash, writer) => {
          const results: PutRecord[] = [];
          for (let index = 0; index < PUTS_PER_WRITER; index += 1) {
            const value = `writer-${writer}#${index}`;
            const { version } = await credstash.putSecret('race/shared', value, { autoVersion: true });
            results.push({ version, value });
          }
          return results;
        }),
      )
    ).flat();

    await expectEveryVersionKept(credstashAt(endpoint as string, names), 'race/shared', records, WRITERS * PUTS_PER_WRITER);
    recordFigure('races', `DynamoDB, ${WRITERS} writers x ${PUTS_PER_WRITER} autoversion puts: distinct versions stored`, records.length);
  });

  it('put racing deleteSecrets', { timeout: 120_000 }, async () => {
    const { putFirst, deleteFirst } = await racePutAgainstDelete(credstashAt(endpoint as string, names), 'race/put-delete', 20);

    expect(putFirst + deleteFirst).toBe(20);
    recordFigure('races', 'DynamoDB, put racing deleteSecrets: consistent rounds', putFirst + deleteFirst);
    recordFigure('races', 'DynamoDB, put racing deleteSecrets: rounds where the put was deleted too', putFirst);
  });

  it('setup called five times at once', { timeout: 60_000 }, async () => {
    const table = `credstash-race-${randomUUID()}`;
    const alias = await createKmsKey();
    const stores = Array.from({ length: 5 }, () => credstashAt(endpoint as string, { table, alias }));

    const results = await Promise.all(stores.map((credstash) => credstash.setup()));

    expect(results.filter((result) => result === 'created')).toHaveLength(1);
    expect(results.filter((result) => result === 'exists')).toHaveLength(4);
    const client = new DynamoDBClient({ endpoint: endpoint as string, region: 'us-east-1', credentials: TEST_CREDENTIALS });
    const description = await client.send(new DescribeTableCommand({ TableName: table }));
    const tags = await client.send(new ListTagsOfResourceCommand({ ResourceArn: description.Table?.TableArn }));
    client.destroy();
    expect(description.Table?.TableStatus).toBe('ACTIVE');
    expect(tags.Tags).toEqual([{ Key: 'Name', Value: 'credstash' }]);
    await stores[0]?.putSecret('after/setup', 'works');
    expect(await stores[4]?.getSecret('after/setup')).toBe('works');
    recordFigure('races', 'DynamoDB, 5 setups at once: results', '1 created, 4 exists; table ACTIVE and tagged once');
  });
});
