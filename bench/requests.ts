import { FILL_VALUE, closeWorkers, type BenchContext } from './lib/context.js';
import { exact, type Implementation, type ResultRow, type Summary } from './lib/harness.js';
import type { Worker } from './lib/worker.js';

const GET_TABLE = 'bench-cli';
const ALL_TABLE = 'bench-getall-200';
const ALL_SIZE = 200;
const IMPLEMENTATIONS: readonly Implementation[] = ['credstash-ts', 'python', 'aws-credstash'];

/**
 * AWS requests per operation, counted by the proxy in front of moto from each request's
 * X-Amz-Target header, retries included. Each operation runs once untimed first, so the
 * counts are those of a client that is already set up. The counts are exact, and
 * test/aws/request-counts.test.ts asserts those of credstash-ts and Python.
 */
export async function benchRequests(context: BenchContext): Promise<ResultRow[]> {
  await context.fillTable(GET_TABLE, 2);
  await context.fillTable(ALL_TABLE, ALL_SIZE);
  context.settings.log('requests per operation');
  context.proxy.configure({ fixedDelayMs: 0 });

  const workers = context.spawnWorkers(context.proxy.url, IMPLEMENTATIONS);
  try {
    const get = await countEach(context, workers, { op: 'get', table: GET_TABLE, name: 's00000' });
    const all = await countEach(context, workers, { op: 'getAll', table: ALL_TABLE });
    return [
      {
        family: 'AWS requests',
        measurement: 'getSecret (latest version)',
        unit: 'requests',
        results: get.totals,
        target: 'exactly 2 (Query, Decrypt)',
        met: get.totals['credstash-ts']?.median === 2 && get.detail.get('credstash-ts') === 'DynamoDB.Query 1, KMS.Decrypt 1',
        note: describe(get.detail),
      },
      {
        family: 'AWS requests',
        measurement: `getAllSecrets, ${ALL_SIZE} secrets`,
        unit: 'requests',
        results: all.totals,
        target: `N Decrypts + scan pages (Python: 2N+1 = ${2 * ALL_SIZE + 1})`,
        met: all.detail.get('credstash-ts') === `DynamoDB.Scan 1, KMS.Decrypt ${ALL_SIZE}`,
        note: `${describe(all.detail)} New connections in the measured call (keep-alive reuses the others): ${[...all.connections].map(([name, count]) => `${name} ${count}`).join(', ')}.`,
      },
    ];
  } finally {
    await closeWorkers(workers);
  }
}

async function countEach(
  context: BenchContext,
  workers: ReadonlyMap<Implementation, Worker>,
  command: { readonly op: string } & Record<string, unknown>,
): Promise<{ totals: Partial<Record<Implementation, Summary>>; detail: Map<Implementation, string>; connections: Map<Implementation, number> }> {
  const totals: Partial<Record<Implementation, Summary>> = {};
  const detail = new Map<Implementation, string>();
  const connections = new Map<Implementation, number>();

  for (const [implementation, worker] of workers) {
    await worker.call(command);
    context.proxy.resetCounts();
    const result = await worker.call<{ length?: number }>(command);
    if (command.op === 'get' && result.length !== FILL_VALUE.length) {
      throw new Error(`${implementation} read a secret of ${String(result.length)} characters, expected ${FILL_VALUE.length}`);
    }
    const counts = context.proxy.counts();
    const requests = Object.entries(counts.requests).sort(([left], [right]) => left.localeCompare(right));
    totals[implementation] = exact(requests.reduce((sum, [, count]) => sum + count, 0));
    detail.set(implementation, requests.map(([operation, count]) => `${operation} ${count}`).join(', '));
    connections.set(implementation, counts.connections);
  }
  return { totals, detail, connections };
}

function describe(detail: ReadonlyMap<Implementation, string>): string {
  return [...detail].map(([implementation, operations]) => `${implementation}: ${operations}.`).join(' ');
}
