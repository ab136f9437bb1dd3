import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { lstat, mkdir, open, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';

import { isCode } from '../lib/errno.js';
import type { HookConfig, NginxHookConfig } from './config.js';
import { HookConfigError, HookTimeoutError } from './errors.js';
import { childProcesses, readPidFile, waitForNewWorker, waitForPidFile } from './lib/nginx-process.js';
import type { Redacted } from './redacted.js';

const MAX_COMMAND_OUTPUT = 2_000;

/**
 * Writes the password file for nginx: a private temporary file (mode 0600) in the same
 * folder, renamed into place, so nginx never reads a partial file. The folder is created
 * with mode 0700 when missing; put it on tmpfs (such as /run) so the passphrase never
 * reaches a disk.
 */
export async function writePasswordFile(nginx: NginxHookConfig, config: HookConfig, content: Redacted): Promise<void> {
  const path = nginx.passwordFile;
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  await rejectPipe(path, config);

  const temporary = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  const handle = await open(temporary, 'wx', 0o600);
  try {
    await handle.writeFile(content.reveal());
  } catch (error) {
    await handle.close();
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
  await handle.close();
  await rename(temporary, path).catch(async (error: unknown) => {
    await unlink(temporary).catch(() => undefined);
    throw error;
  });
}

/**
 * Removes the password file. With `waitForStart`, it first waits (within `timeout` ms)
 * for nginx's pid file, which nginx writes only after it has loaded every key.
 *
 * @returns Whether nginx's pid file was found; always true without `waitForStart`.
 */
export async function removePasswordFile(nginx: NginxHookConfig, config: HookConfig, waitForStart: boolean): Promise<boolean> {
  let started = true;
  if (waitForStart && nginx.pidFile !== undefined) {
    started = (await waitForPidFile(nginx.pidFile, config.timeout)) !== undefined;
  }
  await rejectPipe(nginx.passwordFile, config);
  await unlink(nginx.passwordFile).catch((error: unknown) => {
    if (!isCode(error, 'ENOENT')) {
      throw error;
    }
  });
  return started;
}

/**
 * Reloads nginx with the password file in place. It notes the master's workers, writes the
 * file, runs `command` (such as `nginx -s reload`) and waits for a new worker, because
 * nginx starts one only once the new keys are loaded. The file is removed whatever
 * happened, and everything after the write must finish within `timeout` ms.
 */
export async function reloadWithPasswordFile(nginx: NginxHookConfig, config: HookConfig, content: Redacted, command: readonly string[], timeout: number): Promise<void> {
  if (nginx.pidFile === undefined) {
    throw new HookConfigError(config.path, 'nginx.pidFile', 'missing "nginx.pidFile": reload needs it to find the nginx master, such as "/run/nginx.pid".');
  }
  const master = await readPidFile(nginx.pidFile);
  if (master === undefined) {
    throw new Error(`nginx is not running: its pid file ${nginx.pidFile} is missing or empty. Start nginx instead of reloading it.`);
  }
  const deadline = Date.now() + timeout;
  const before = await childProcesses(master);

  await writePasswordFile(nginx, config, content);
  try {
    await runCommand(command, deadline - Date.now());
    if (!(await waitForNewWorker(master, before, Math.max(0, deadline - Date.now())))) {
      throw new Error(`nginx (master pid ${master}) started no new worker within ${timeout / 1000} s of the reload, so it kept its old configuration. Its error log contains the reason (a wrong passphrase shows as "bad decrypt").`);
    }
  } finally {
    await unlink(nginx.passwordFile).catch(() => undefined);
  }
}

async function rejectPipe(path: string, config: HookConfig): Promise<void> {
  const info = await lstat(path).catch(() => undefined);
  if (info !== undefined && !info.isFile()) {
    throw new HookConfigError(
      config.path,
      'nginx.passwordFile',
      `${path} exists and is not a regular file (a named pipe of the feeder?). The file recipe and the pipe recipe need different paths; remove it or change "nginx.passwordFile".`,
    );
  }
}

function runCommand(command: readonly string[], timeout: number): Promise<void> {
  const [program, ...args] = command;
  if (program === undefined) {
    return Promise.reject(new Error('missing reload command: pass it after "--", such as -- /usr/sbin/nginx -s reload.'));
  }

  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { stdio: ['ignore', 'ignore', 'pipe'], timeout: Math.max(1, timeout) });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-MAX_COMMAND_OUTPUT);
    });
    child.once('error', (error) => reject(new Error(`cannot run ${program}: ${error.message}`)));
    child.once('close', (code, signal) => {
      if (signal !== null) {
        reject(new HookTimeoutError(`the reload command ${program}`, timeout));
      } else if (code !== 0) {
        reject(new Error(`the reload command ${program} failed with exit status ${String(code)}: ${stderr.trim()}`));
      } else {
        resolve();
      }
    });
  });
}
