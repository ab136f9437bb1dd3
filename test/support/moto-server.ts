import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** A moto server (KMS and DynamoDB) that this process started on 127.0.0.1. */
export interface MotoServer {
  /** Base URL, such as `http://127.0.0.1:40113`. */
  readonly endpoint: string;
  readonly pid: number;
  /** Stops the server by its PID: SIGTERM, then SIGKILL after 5 s. */
  stop(): Promise<void>;
}

/**
 * Starts `python -m moto.server` on a free port of 127.0.0.1 and resolves once it answers.
 * Rejects, after stopping it, when it exits or does not answer within 30 s.
 */
export async function startMotoServer(python: string): Promise<MotoServer> {
  const port = await freePort();
  const child = spawn(python, ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  if (child.pid === undefined) {
    throw new Error(`cannot start moto with ${python}: ${stderr}`);
  }

  const endpoint = `http://127.0.0.1:${port}`;
  const server = { endpoint, pid: child.pid, stop: () => stopProcess(child) };
  await waitForMoto(child, endpoint, () => stderr);
  return server;
}

/** Stops a child process by its PID: SIGTERM, then SIGKILL if it is still running after 5 s. */
export async function stopProcess(child: ChildProcess | undefined): Promise<void> {
  if (child?.pid === undefined || child.exitCode !== null || child.signalCode !== null) {
    return;
  }
  const exited = new Promise((resolve) => child.once('exit', resolve));
  process.kill(child.pid, 'SIGTERM');
  const timer = setTimeout(() => child.pid !== undefined && child.exitCode === null && process.kill(child.pid, 'SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

async function waitForMoto(child: ChildProcess, endpoint: string, stderr: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`moto exited with status ${String(child.exitCode)}: ${stderr()}`);
    }
    try {
      const response = await fetch(`${endpoint}/moto-api/`);
      if (response.ok) {
        return;
      }
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  await stopProcess(child);
  throw new Error(`moto did not answer on ${endpoint} within 30 s: ${stderr()}`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
