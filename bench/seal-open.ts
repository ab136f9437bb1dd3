import { closeWorkers, type BenchContext } from './lib/context.js';
import { alternate, ratioToPython, type ResultRow } from './lib/harness.js';

const CASES = [
  { label: '18 B', size: 18, iterations: 4000 },
  { label: '64 kB', size: 64 * 1024, iterations: 400 },
] as const;

/**
 * Sealing and opening in process, with a key provider that returns a fixed data key, so
 * no request is made. credstash-ts runs putSecret and getSecret against a table provider
 * that keeps one item, which adds its validation and item building; Python credstash runs
 * seal_aes_ctr_legacy and open_aes_ctr_legacy with a key service that returns the same key.
 * aws-credstash has no public seal or open function. A last row per case times only the
 * node:crypto calls that any Node.js implementation needs (AES-256-CTR, HMAC-SHA256,
 * base64 and hex), the lower bound for credstash-ts.
 */
export async function benchSealOpen(context: BenchContext): Promise<ResultRow[]> {
  const workers = context.spawnWorkers(context.moto.endpoint, ['credstash-ts', 'python']);
  const ours = workers.get('credstash-ts');
  const python = workers.get('python');
  if (ours === undefined || python === undefined) {
    throw new Error('a seal and open worker did not start');
  }

  const rows: ResultRow[] = [];
  try {
    for (const mode of ['seal', 'open'] as const) {
      for (const { label, size, iterations } of CASES) {
        context.settings.log(`${mode} ${label} in process`);
        const command = { op: 'sealOpen', mode, size, iterations };
        const results = await alternate(
          {
            'credstash-ts': async () => (await ours.call<{ usPerOp: number }>(command)).usPerOp,
            python: async () => (await python.call<{ usPerOp: number }>(command)).usPerOp,
          },
          context.settings,
        );
        const row = { family: 'seal and open in process', measurement: `${mode}, ${label} secret`, unit: 'µs/op', results: { ...results, 'aws-credstash': 'no public API' }, target: '≤ 0.30× Python' };
        const ratio = ratioToPython(row);
        rows.push({ ...row, ...(ratio === undefined ? {} : { met: ratio <= 0.3 }) });

        const floor = await alternate({ 'credstash-ts': async () => (await ours.call<{ usPerOp: number }>({ ...command, op: 'cryptoFloor' })).usPerOp }, context.settings);
        rows.push({
          family: 'seal and open in process',
          measurement: `${mode}, ${label}: node:crypto calls alone (lower bound)`,
          unit: 'µs/op',
          results: { ...floor, python: results.python ?? 'not measured' },
          note: 'The credstash-ts column times only createCipheriv, createHmac, base64 and hex for one secret; the Python column repeats Python credstash above.',
        });
      }
    }
  } finally {
    await closeWorkers(workers);
  }
  return rows;
}
