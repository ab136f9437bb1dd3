import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Exit status and output of a finished process. */
export interface ProcessResult {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: Buffer;
  /** Standard output decoded as UTF-8. */
  readonly text: string;
  readonly stderr: string;
}

export interface RunOptions {
  readonly env: NodeJS.ProcessEnv;
  /** Written to standard input, which is then closed. Standard input is closed at once without it. */
  readonly input?: string | Buffer;
  readonly cwd?: string;
  /** The process is killed after this long and the run fails, so no test waits on a hang. */
  readonly timeoutMs?: number;
}

/** Path of the built CLI; `npm test` builds it before the suites run. */
export const CLI_PATH = fileURLToPath(new URL('../../../dist/cli.js', import.meta.url));

/** Runs a program to its end and collects its output; rejects if it outlives its timeout. */
export function runProcess(file: string, args: readonly string[], options: RunOptions): Promise<ProcessResult> {
  const timeoutMs = options.timeoutMs ?? 60_000;

  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { env: options.env, cwd: options.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));

    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${file} ${args.join(' ')} did not finish within ${timeoutMs} ms; stderr: ${Buffer.concat(stderr).toString()}`));
    }, timeoutMs);

    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (status, signal) => {
      clearTimeout(timer);
      const out = Buffer.concat(stdout);
      resolve({ status, signal, stdout: out, text: out.toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8') });
    });

    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input ?? '');
  });
}

/** Runs the built `credstash-ts`. */
export function runCli(args: readonly string[], options: RunOptions): Promise<ProcessResult> {
  return runProcess(process.execPath, [CLI_PATH, ...args], options);
}

/** Runs Python credstash (`python -m credstash`) with the given interpreter. */
export function runPython(python: string, args: readonly string[], options: RunOptions): Promise<ProcessResult> {
  return runProcess(python, ['-m', 'credstash', ...args], options);
}

/**
 * Builds an environment that shares nothing with the developer's: its own HOME and AWS
 * config files, no instance metadata, UTF-8 streams. Add an endpoint before any AWS call.
 */
export function isolatedEnv(home: string, extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env['PATH'],
    HOME: home,
    LANG: 'C.UTF-8',
    PYTHONIOENCODING: 'utf-8',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: join(home, 'aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'aws-credentials'),
    ...extra,
  };
}

/** Builds an isolated environment pointed at this run's moto server, with moto's test credentials. */
export function motoEnv(endpoint: string, home: string, extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  return isolatedEnv(home, {
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_DEFAULT_REGION: 'us-east-1',
    ...extra,
  });
}

/**
 * Builds an isolated environment for offline runs. Its AWS endpoint is a closed port on
 * 127.0.0.1, so a request that should never be made fails here instead of leaving the machine.
 */
export function offlineEnv(home: string, extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  return isolatedEnv(home, {
    AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_DEFAULT_REGION: 'us-east-1',
    ...extra,
  });
}

/** Creates a temporary folder and returns it with a function that removes it. */
export async function makeTempDir(prefix: string): Promise<{ path: string; remove: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), `credstash-ts-${prefix}-`));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}
