import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Root folder of the repository. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Python interpreter with credstash 1.17.1 and moto: `PYTHON`, else `python3`. */
export const PYTHON = process.env['PYTHON'] ?? 'python3';

/** Credentials that moto accepts; no request of the benchmarks leaves 127.0.0.1. */
export const BENCH_CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' };

export const BENCH_REGION = 'us-east-1';

/** A scratch folder used as HOME and working folder of every child process, removed at the end. */
export const SCRATCH = mkdtempSync(join(tmpdir(), 'credstash-bench-'));

export function removeScratch(): void {
  rmSync(SCRATCH, { recursive: true, force: true });
}

/**
 * Environment of every child process: the caller's AWS settings removed, fake credentials,
 * `endpoint` for every AWS service (`AWS_ENDPOINT_URL`, which the AWS SDK for JavaScript v3
 * and boto3 read), instance metadata turned off, and HOME in the scratch folder, so no
 * shared AWS config file is read and Python credstash's log file stays there.
 */
export function childEnvironment(endpoint: string | undefined): NodeJS.ProcessEnv {
  const environment: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('AWS_') && !key.startsWith('CREDSTASH_')) {
      environment[key] = value;
    }
  }
  return {
    ...environment,
    HOME: SCRATCH,
    AWS_ACCESS_KEY_ID: BENCH_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: BENCH_CREDENTIALS.secretAccessKey,
    AWS_DEFAULT_REGION: BENCH_REGION,
    AWS_REGION: BENCH_REGION,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: join(SCRATCH, 'aws-config-absent'),
    AWS_SHARED_CREDENTIALS_FILE: join(SCRATCH, 'aws-credentials-absent'),
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    // aws-sdk v2 prints an end-of-support notice on every load.
    AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE: '1',
    PYTHONIOENCODING: 'utf-8',
    ...(endpoint === undefined ? {} : { AWS_ENDPOINT_URL: endpoint, BENCH_ENDPOINT: endpoint }),
  };
}

/** Output and wall time of one child process. */
export interface ProcessResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** From spawn to exit, in milliseconds. */
  readonly wallMs: number;
}

/** Runs a command to its end in the scratch folder and measures its wall time. */
export function runProcess(command: string, args: readonly string[], env: NodeJS.ProcessEnv, input?: string): Promise<ProcessResult> {
  return new Promise((resolveRun, rejectRun) => {
    const start = process.hrtime.bigint();
    const child = spawn(command, args, { cwd: SCRATCH, env, stdio: ['pipe', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.once('error', rejectRun);
    child.once('close', (status) => {
      const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
      resolveRun({ status, stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8'), wallMs });
    });
    child.stdin.end(input ?? '');
  });
}

/** Runs a command and rejects, with its standard error, unless it exits with 0. */
export async function runChecked(command: string, args: readonly string[], env: NodeJS.ProcessEnv, input?: string): Promise<ProcessResult> {
  const result = await runProcess(command, args, env, input);
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} exited with status ${String(result.status)}: ${result.stderr.slice(-2000)}`);
  }
  return result;
}

/** Path of Python credstash's `credstash` command next to the interpreter, or undefined when it has none. */
export function pythonCredstashCommand(): string | undefined {
  const probe = spawnSync(PYTHON, ['-c', 'import sysconfig; print(sysconfig.get_path("scripts"))'], { encoding: 'utf8' });
  const command = join(probe.stdout.trim(), 'credstash');
  return probe.status === 0 && existsSync(command) ? command : undefined;
}

/** Throws with an install hint unless Python credstash 1.17.1 and moto can be imported. */
export function assertPythonTools(): void {
  const probe = spawnSync(PYTHON, ['-c', 'import importlib.metadata as m, moto.server, credstash; print(m.version("credstash"))'], { encoding: 'utf8' });
  if (probe.status !== 0 || probe.stdout.trim() !== '1.17.1') {
    throw new Error(
      `the benchmarks need Python credstash 1.17.1 and moto for ${PYTHON}: pip install 'credstash==1.17.1' 'moto[server]' (${probe.stderr.trim().split('\n').at(-1) ?? ''})`,
    );
  }
}

/** Versions and size of the machine, for the results page. */
export function describeMachine(): Record<string, string> {
  const python = spawnSync(PYTHON, ['-c', 'import sys, importlib.metadata as m; print(sys.version.split()[0], m.version("boto3"), m.version("moto"))'], { encoding: 'utf8' });
  const [pythonVersion = '?', boto3 = '?', moto = '?'] = python.stdout.trim().split(' ');
  const nproc = spawnSync('nproc', { encoding: 'utf8' }).stdout.trim();
  const memory = spawnSync('free', ['-m'], { encoding: 'utf8' }).stdout.split('\n')[1]?.trim().split(/\s+/)[1];
  const cpu = spawnSync('sh', ['-c', "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"], { encoding: 'utf8' }).stdout.trim();
  const load = spawnSync('cat', ['/proc/loadavg'], { encoding: 'utf8' }).stdout.trim().split(' ').slice(0, 3).join(' ');
  return {
    nproc,
    cpu,
    memory: memory === undefined ? '?' : `${memory} MiB`,
    node: process.version,
    python: pythonVersion,
    boto3,
    moto,
    'load average at start': load,
  };
}
