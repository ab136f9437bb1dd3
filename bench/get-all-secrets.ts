import { closeWorkers, type BenchContext } from './lib/context.js';
import { alternate, ratioToPython, type Implementation, type ResultRow } from './lib/harness.js';

const SIZES = [200, 1000];
const IMPLEMENTATIONS: readonly Implementation[] = ['credstash-ts', 'python', 'aws-credstash'];

/**
 * getAllSecrets over 200 and 1,000 secrets on moto, without added latency: the wall time of
 * the library call in a running process, each implementation in its own worker.
 */
export async function benchGetAllSecrets(context: BenchContext): Promise<ResultRow[]> {
  const rows: ResultRow[] = [];
  for (const size of SIZES) {
    const table = `bench-getall-${size}`;
    await context.fillTable(table, size);
    context.settings.log(`getAllSecrets over ${size} secrets on moto`);

    const workers = context.spawnWorkers(context.moto.endpoint, IMPLEMENTATIONS);
    try {
      const runners = Object.fromEntries(
        [...workers].map(([implementation, worker]) => [
          implementation,
          async () => {
            const { ms, count } = await worker.call<{ ms: number; count: number }>({ op: 'getAll', table });
            if (count !== size) {
              throw new Error(`${implementation} getAllSecrets returned ${count} secrets, expected ${size}`);
            }
            return ms;
          },
        ]),
      );
      const results = await alternate(runners, context.settings);
      const row = { family: 'getAllSecrets', measurement: `getAllSecrets, ${size.toLocaleString('en')} secrets, moto`, unit: 'ms', results, target: '≤ 0.50× Python' };
      const ratio = ratioToPython(row);
      rows.push({ ...row, ...(ratio === undefined ? {} : { met: ratio <= 0.5 }) });
    } finally {
      await closeWorkers(workers);
    }
  }
  return rows;
}
