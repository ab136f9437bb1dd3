import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { once } from 'node:events';

import { BatchWriteItemCommand, DynamoDBClient, GetItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';

import { Credstash, FileTableProvider, type KeyProvider } from '../src/index.js';
import { itemToJson } from '../src/tables/lib/item-json.js';
import { closeWorkers, type BenchContext } from './lib/context.js';
import { BENCH_CREDENTIALS, BENCH_REGION, childEnvironment, ROOT, runChecked, SCRATCH } from './lib/environment.js';
import { alternate, ratioToPython, summarize, type Implementation, type ResultRow, type Summary } from './lib/harness.js';

const LOCAL_SIZES = [25_000, 50_000, 100_000];
const LIST_SIZE = 100_000;
const MOTO_TABLE = 'bench-list-10000';
const MOTO_SIZE = 10_000;
const WARM_UP_TABLE = 'bench-cli';

interface LocalSample {
  readonly ms: number;
  readonly count: number;
  readonly rssBeforeMiB: number;
  readonly peakRssMiB: number;
  readonly liveHeapGrowthMiB?: number;
}

/**
 * Listing large tables: credstash-ts walks (paginateSecrets) and lists (listSecrets) a file
 * table and a memory table of up to 100,000 items in fresh processes, reporting time and
 * resident memory; and all three implementations list 10,000 items on moto.
 */
export async function benchListSecrets(context: BenchContext): Promise<ResultRow[]> {
  const rows: ResultRow[] = [];
  const path = join(SCRATCH, 'list-bench.jsonl');

  for (const kind of ['file', 'memory'] as const) {
    const cases = [...LOCAL_SIZES.map((size) => ({ size, mode: 'walk' as const })), { size: LIST_SIZE, mode: 'list' as const }];
    for (const { size, mode } of cases) {
      context.settings.log(`${mode} a ${kind} table of ${size} items`);
      if (kind === 'file') {
        await writeFileTable(path, size);
      }
      const samples: LocalSample[] = [];
      const source = kind === 'file' ? path : String(size);
      const results = await alternate(
        {
          'credstash-ts': async () => {
            const result = await runChecked(process.execPath, [join(ROOT, 'bench/workers/list-local.mjs'), kind, source, mode], childEnvironment(undefined));
            const sample = JSON.parse(result.stdout) as LocalSample;
            if (sample.count !== size) {
              throw new Error(`listing the ${kind} table returned ${sample.count} items, expected ${size}`);
            }
            samples.push(sample);
            return sample.ms;
          },
        },
        context.settings,
      );
      const growth = summarize(samples.map((sample) => sample.peakRssMiB - sample.rssBeforeMiB));
      const peak = summarize(samples.map((sample) => sample.peakRssMiB));
      // One more run that collects garbage after every page: RSS also contains garbage that V8
      // has not collected yet, so its growth overstates what the walk keeps.
      const collected = JSON.parse(
        (await runChecked(process.execPath, ['--expose-gc', join(ROOT, 'bench/workers/list-local.mjs'), kind, source, mode], childEnvironment(undefined))).stdout,
      ) as LocalSample;
      rows.push({
        family: 'listing large tables',
        measurement: `${mode === 'walk' ? 'paginateSecrets' : 'listSecrets'}, ${kind} table, ${size.toLocaleString('en')} items`,
        unit: 'ms',
        results: { ...results, python: 'DynamoDB only', 'aws-credstash': 'DynamoDB only' },
        note:
          `Resident memory: peak ${formatMiB(peak)}, growth during the ${mode} ${formatMiB(growth)} (medians). ` +
          `Live heap growth with garbage collected after every page: ${(collected.liveHeapGrowthMiB ?? Number.NaN).toFixed(1)} MiB.`,
      });
      rows.push({
        family: 'listing large tables',
        measurement: `${mode === 'walk' ? 'paginateSecrets' : 'listSecrets'}, ${kind} table, ${size.toLocaleString('en')} items: RSS growth`,
        unit: 'MiB',
        results: { 'credstash-ts': growth },
        target: mode === 'walk' ? 'flat in the item count' : 'reported',
        compare: false,
      });
      rows.push({
        family: 'listing large tables',
        measurement: `${mode === 'walk' ? 'paginateSecrets' : 'listSecrets'}, ${kind} table, ${size.toLocaleString('en')} items: live heap growth`,
        unit: 'MiB',
        results: { 'credstash-ts': summarize([collected.liveHeapGrowthMiB ?? Number.NaN]) },
        target: mode === 'walk' ? 'flat in the item count' : 'reported',
        compare: false,
      });
    }
  }

  rows.push(...(await benchMotoList(context)));
  return rows;
}

async function benchMotoList(context: BenchContext): Promise<ResultRow[]> {
  await fillMotoTable(context);
  await context.fillTable(WARM_UP_TABLE, 2);
  context.settings.log(`listSecrets over ${MOTO_SIZE} items on moto`);
  const rss = new Map<Implementation, number[]>();
  const implementations: Implementation[] = ['credstash-ts', 'python', 'aws-credstash'];

  const runners = Object.fromEntries(
    implementations.map((implementation) => [
      implementation,
      async () => {
        // A fresh process per run, so that its peak memory belongs to this listing alone.
        const workers = context.spawnWorkers(context.moto.endpoint, [implementation]);
        try {
          // One untimed getSecret first: credstash-ts loads the AWS SDK on its first call,
          // while Python credstash imports boto3 with the module, before any timing.
          const worker = workers.get(implementation)!;
          await worker.call({ op: 'get', table: WARM_UP_TABLE, name: 's00000' });
          const result = await worker.call<{ ms: number; count: number; maxRssKiB: number }>({ op: 'list', table: MOTO_TABLE });
          if (result.count !== MOTO_SIZE) {
            throw new Error(`${implementation} listed ${result.count} items, expected ${MOTO_SIZE}`);
          }
          rss.set(implementation, [...(rss.get(implementation) ?? []), result.maxRssKiB / 1024]);
          return result.ms;
        } finally {
          await closeWorkers(workers);
        }
      },
    ]),
  );
  const results = await alternate(runners, context.settings);
  const memory = Object.fromEntries([...rss].map(([implementation, values]) => [implementation, summarize(values)])) as Partial<Record<Implementation, Summary>>;

  const row = { family: 'listing large tables', measurement: `listSecrets, moto, ${MOTO_SIZE.toLocaleString('en')} items`, unit: 'ms', results };
  return [
    { ...row, target: 'linear in the item count', note: `ratio ${ratioToPython(row)?.toFixed(2) ?? '?'}× Python.` },
    { family: 'listing large tables', measurement: `listSecrets, moto, ${MOTO_SIZE.toLocaleString('en')} items: peak RSS of the process`, unit: 'MiB', results: memory },
  ];
}

// Writes a file table of `count` items. The header and one item line come from a
// FileTableProvider. The other lines are that item under other names, written by the
// provider's own item serializer, because `count` puts would rewrite the file each time.
async function writeFileTable(path: string, count: number): Promise<void> {
  const seedPath = `${path}.seed`;
  const seed = new Credstash({ keyProvider: fixedKeyProvider(), tableProvider: new FileTableProvider({ path: seedPath }) });
  await seed.setup();
  await seed.putSecret('template', 'correct-horse-bat1');
  const [header = '', line = ''] = (await readFile(seedPath, 'utf8')).split('\n');
  const template = JSON.parse(line) as Record<string, unknown>;

  const output = createWriteStream(path, { mode: 0o600 });
  output.write(`${header}\n`);
  for (let index = 0; index < count; index += 1) {
    const item = { ...template, name: { S: `s${String(index).padStart(6, '0')}` } };
    if (!output.write(`${itemToJson(item)}\n`)) {
      await once(output, 'drain');
    }
  }
  output.end();
  await once(output, 'finish');
}

// Fills the moto table with BatchWriteItem, 25 items per request: copies, under other names,
// of one item that credstash-ts sealed with moto's KMS key.
async function fillMotoTable(context: BenchContext): Promise<void> {
  context.settings.log(`filling ${MOTO_TABLE} with ${MOTO_SIZE} items by BatchWriteItem`);
  const store = context.store(MOTO_TABLE);
  await store.setup();
  await store.putSecret('s000000', 'correct-horse-bat1');
  const client = new DynamoDBClient({ endpoint: context.moto.endpoint, region: BENCH_REGION, credentials: BENCH_CREDENTIALS });
  try {
    const { Item } = await client.send(new GetItemCommand({ TableName: MOTO_TABLE, Key: { name: { S: 's000000' }, version: { S: '0000000000000000001' } } }));
    if (Item === undefined) {
      throw new Error('the template item is missing');
    }
    for (let start = 1; start < MOTO_SIZE; start += 25) {
      const items: Record<string, AttributeValue>[] = [];
      for (let index = start; index < Math.min(start + 25, MOTO_SIZE); index += 1) {
        items.push({ ...Item, name: { S: `s${String(index).padStart(6, '0')}` } });
      }
      let pending: Record<string, { PutRequest: { Item: Record<string, AttributeValue> } }[]> | undefined = {
        [MOTO_TABLE]: items.map((item) => ({ PutRequest: { Item: item } })),
      };
      while (pending !== undefined && Object.keys(pending).length > 0) {
        const response = await client.send(new BatchWriteItemCommand({ RequestItems: pending }));
        pending = response.UnprocessedItems as typeof pending;
      }
    }
  } finally {
    client.destroy();
  }
}

function fixedKeyProvider(): KeyProvider {
  const key = Uint8Array.from({ length: 64 }, (_, index) => index);
  return {
    generateDataKey: async () => ({ plaintext: key.slice(), ciphertextBlob: new TextEncoder().encode('wrapped-key-of-the-benchmark') }),
    decryptDataKey: async () => key.slice(),
  };
}

function formatMiB(summary: Summary): string {
  return `${summary.median.toFixed(1)} MiB`;
}
