import { join } from 'node:path';

import { CreateAliasCommand, CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';

import { Credstash } from '../../src/index.js';
import { FaultProxy } from '../../test/support/fault-proxy.js';
import { startMotoServer, type MotoServer } from '../../test/support/moto-server.js';
import { BENCH_CREDENTIALS, BENCH_REGION, childEnvironment, PYTHON, ROOT } from './environment.js';
import type { BenchSettings, Implementation } from './harness.js';
import { Worker } from './worker.js';

/** Secret stored in every filled table: 18 bytes, the size of a typical password. */
export const FILL_VALUE = 'correct-horse-bat1';

/**
 * Everything a measurement family needs: one moto server for the whole run, a proxy in
 * front of it that counts requests and can add latency, and tables filled on demand.
 */
export class BenchContext {
  readonly #filled = new Map<string, number>();

  private constructor(
    readonly settings: BenchSettings,
    readonly moto: MotoServer,
    readonly proxy: FaultProxy,
  ) {}

  /** Starts moto and the proxy on 127.0.0.1 and creates the KMS key `alias/credstash`. */
  static async start(settings: BenchSettings): Promise<BenchContext> {
    const moto = await startMotoServer(PYTHON);
    try {
      const proxy = await FaultProxy.start(moto.endpoint);
      const kms = new KMSClient({ endpoint: moto.endpoint, region: BENCH_REGION, credentials: BENCH_CREDENTIALS });
      const key = await kms.send(new CreateKeyCommand({ Description: 'credstash-ts benchmarks' }));
      await kms.send(new CreateAliasCommand({ AliasName: 'alias/credstash', TargetKeyId: key.KeyMetadata?.KeyId }));
      kms.destroy();
      return new BenchContext(settings, moto, proxy);
    } catch (error) {
      await moto.stop();
      throw error;
    }
  }

  /** Stops the proxy and moto (by PID). */
  async stop(): Promise<void> {
    await this.proxy.close();
    await this.moto.stop();
  }

  /** Creates a credstash-ts store in this process that sends its requests to moto directly. */
  store(table: string): Credstash {
    return new Credstash({ table, endpoint: this.moto.endpoint, region: BENCH_REGION, credentials: BENCH_CREDENTIALS });
  }

  /**
   * Creates table `table` with `count` secrets named `s00000`, `s00001`, ..., half stored by
   * credstash-ts and half by Python credstash, so every reader meets items of both writers.
   */
  async fillTable(table: string, count: number): Promise<void> {
    if (this.#filled.get(table) === count) {
      return;
    }
    await this.store(table).setup();
    const half = Math.floor(count / 2);
    this.settings.log(`filling ${table} with ${count} secrets (${half} by credstash-ts, ${count - half} by Python credstash)`);

    const ours = this.spawnWorker('credstash-ts', this.moto.endpoint);
    const python = this.spawnWorker('python', this.moto.endpoint);
    try {
      await Promise.all([
        ours.call({ op: 'fill', table, prefix: 's', start: 0, count: half, value: FILL_VALUE }),
        python.call({ op: 'fill', table, prefix: 's', start: half, count: count - half, value: FILL_VALUE }),
      ]);
    } finally {
      await Promise.all([ours.close(), python.close()]);
    }
    this.#filled.set(table, count);
  }

  /** Starts the benchmark worker of one implementation, sending its requests to `endpoint`. */
  spawnWorker(implementation: Implementation, endpoint: string): Worker {
    const env = childEnvironment(endpoint);
    switch (implementation) {
      case 'credstash-ts':
        return new Worker(implementation, process.execPath, [join(ROOT, 'bench/workers/credstash-ts-worker.mjs')], env);
      case 'python':
        return new Worker(implementation, PYTHON, [join(ROOT, 'bench/workers/python_worker.py')], env);
      case 'aws-credstash':
        return new Worker(implementation, process.execPath, [join(ROOT, 'bench/workers/aws-credstash-worker.cjs')], env);
    }
  }

  /** Starts one worker per implementation, all sending their requests to `endpoint`. */
  spawnWorkers(endpoint: string, implementations: readonly Implementation[]): Map<Implementation, Worker> {
    return new Map(implementations.map((implementation) => [implementation, this.spawnWorker(implementation, endpoint)]));
  }
}

/** Closes every worker of a map. */
export async function closeWorkers(workers: ReadonlyMap<Implementation, Worker>): Promise<void> {
  await Promise.all([...workers.values()].map((worker) => worker.close()));
}
