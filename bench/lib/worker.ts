import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface, type Interface } from 'node:readline';

import { stopProcess } from '../../test/support/moto-server.js';
import { SCRATCH } from './environment.js';

/** A command for a worker, such as `{ op: 'getAll', table: 'bench-200' }`. */
export type WorkerCommand = { readonly op: string } & Record<string, unknown>;

/**
 * A long-running benchmark process of one implementation (`bench/workers/*`). It reads one
 * JSON command per line on standard input and writes one JSON result per line, so that
 * in-process operations are timed inside the process, without its start-up cost.
 */
export class Worker {
  readonly #child: ChildProcessWithoutNullStreams;
  readonly #lines: Interface;
  readonly #pending: ((line: string) => void)[] = [];
  #stderr = '';

  constructor(readonly label: string, command: string, args: readonly string[], env: NodeJS.ProcessEnv) {
    this.#child = spawn(command, args, { cwd: SCRATCH, env, stdio: ['pipe', 'pipe', 'pipe'] });
    this.#child.stderr.on('data', (chunk: Buffer) => {
      this.#stderr = (this.#stderr + chunk.toString()).slice(-4000);
    });
    this.#lines = createInterface({ input: this.#child.stdout });
    this.#lines.on('line', (line) => this.#pending.shift()?.(line));
    this.#child.once('exit', () => {
      for (const reject of this.#pending.splice(0)) {
        reject(JSON.stringify({ error: `the ${label} worker exited: ${this.#stderr}` }));
      }
    });
  }

  /** Sends one command and resolves with the worker's result; rejects with the worker's error. */
  async call<T = Record<string, unknown>>(command: WorkerCommand): Promise<T> {
    const line = await new Promise<string>((resolve) => {
      this.#pending.push(resolve);
      this.#child.stdin.write(`${JSON.stringify(command)}\n`);
    });
    const result = JSON.parse(line) as { error?: string } & T;
    if (result.error !== undefined) {
      throw new Error(`${this.label} worker failed on ${command.op}: ${result.error}`);
    }
    return result;
  }

  /** Ends the worker by closing its input, and stops it by PID if it does not exit. */
  async close(): Promise<void> {
    this.#child.stdin.end();
    const exited = new Promise((resolve) => this.#child.once('exit', resolve));
    const timer = setTimeout(() => void stopProcess(this.#child), 5_000);
    if (this.#child.exitCode === null) {
      await exited;
    }
    clearTimeout(timer);
    this.#lines.close();
  }
}
