import { closeWorkers, type BenchContext } from './lib/context.js';
import { alternate, summarize, type ResultRow, type Summary } from './lib/harness.js';

const TABLE = 'bench-latency-500';
const SIZE = 500;
const DELAY_MS = 10;
const CONCURRENCIES = [4, 8, 16, 32, 64, 128];
// aws-credstash reads one secret after another, about 2 s per 100 secrets at this latency,
// so it gets fewer runs.
const AWS_CREDSTASH_RUNS = 3;

// moto serves a few hundred Decrypts per second on a small machine, which would cap every
// concurrency above about 16. The proxy therefore returns the responses that moto gave
// in the untimed first run to repeated reads, so the runs measure latency and concurrency.
const REPLAYED = ['KMS.Decrypt', 'DynamoDB.Query', 'DynamoDB.GetItem', 'DynamoDB.Scan'];

/**
 * getAllSecrets over 500 secrets through the proxy with a fixed delay per request, which
 * makes round trips and concurrency show as they do against AWS. credstash-ts runs at
 * several concurrency limits; each is compared with ⌈500 / concurrency⌉ round trips plus
 * the time of the scan, measured alone in the same setting.
 */
export async function benchLatency(context: BenchContext): Promise<ResultRow[]> {
  await context.fillTable(TABLE, SIZE);
  context.settings.log(`getAllSecrets over ${SIZE} secrets with ${DELAY_MS} ms per request`);
  context.proxy.configure({ fixedDelayMs: DELAY_MS, replayOperations: REPLAYED });

  const workers = context.spawnWorkers(context.proxy.url, ['credstash-ts', 'python', 'aws-credstash']);
  const ours = workers.get('credstash-ts');
  const python = workers.get('python');
  const awsCredstash = workers.get('aws-credstash');
  if (ours === undefined || python === undefined || awsCredstash === undefined) {
    throw new Error('a latency worker did not start');
  }
  try {
    // One round trip: half of a getSecret, which is a Query and then a Decrypt.
    const roundTrip = await sample(context, async () => (await ours.call<{ ms: number }>({ op: 'get', table: TABLE, name: 's00000' })).ms / 2);
    const scan = await sample(context, async () => (await ours.call<{ ms: number }>({ op: 'scanAll', table: TABLE })).ms);

    const rows: ResultRow[] = [];
    const getAll = (concurrency?: number) => async () =>
      (await ours.call<{ ms: number }>({ op: 'getAll', table: TABLE, ...(concurrency === undefined ? {} : { concurrency }) })).ms;
    const defaults = await alternate(
      {
        'credstash-ts': getAll(),
        python: async () => (await python.call<{ ms: number }>({ op: 'getAll', table: TABLE })).ms,
      },
      context.settings,
    );
    const awsCredstashTimes = await alternate({ 'aws-credstash': async () => (await awsCredstash.call<{ ms: number }>({ op: 'getAll', table: TABLE })).ms }, context.settings, AWS_CREDSTASH_RUNS);
    rows.push({
      family: `getAllSecrets, ${SIZE} secrets, ${DELAY_MS} ms per request`,
      measurement: 'default settings',
      unit: 'ms',
      results: { ...defaults, ...awsCredstashTimes },
      note: `One round trip: median ${roundTrip.median.toFixed(1)} ms. Scan of ${SIZE} whole items: median ${scan.median.toFixed(1)} ms. aws-credstash: ${AWS_CREDSTASH_RUNS} runs, because it reads the secrets one after another. The proxy replays moto's responses to repeated reads (${REPLAYED.join(', ')}), so moto's own throughput does not cap the runs.`,
    });

    for (const concurrency of CONCURRENCIES) {
      context.settings.log(`credstash-ts concurrency ${concurrency}`);
      const results = await alternate({ 'credstash-ts': getAll(concurrency) }, context.settings);
      const bound = Math.ceil(SIZE / concurrency) * roundTrip.median + scan.median;
      const measured = results['credstash-ts']?.median ?? Number.NaN;
      rows.push({
        family: `getAllSecrets, ${SIZE} secrets, ${DELAY_MS} ms per request`,
        measurement: `credstash-ts, concurrency ${concurrency}`,
        unit: 'ms',
        results,
        target: `≤ 1.5 × ${Math.round(bound)} ms`,
        met: measured <= 1.5 * bound,
        note: `⌈${SIZE}/${concurrency}⌉ × ${roundTrip.median.toFixed(1)} ms + ${scan.median.toFixed(1)} ms = ${Math.round(bound)} ms; measured ${(measured / bound).toFixed(2)}× that.`,
      });
    }
    return rows;
  } finally {
    context.proxy.configure({ fixedDelayMs: 0, replayOperations: [] });
    await closeWorkers(workers);
  }
}

async function sample(context: BenchContext, measure: () => Promise<number>): Promise<Summary> {
  await measure();
  const values: number[] = [];
  for (let run = 0; run < context.settings.runs; run += 1) {
    values.push(await measure());
  }
  return summarize(values);
}
