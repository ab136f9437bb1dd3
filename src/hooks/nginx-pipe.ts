import { spawn } from 'node:child_process';
import { constants } from 'node:fs';
import { chmod, lstat, mkdir, open, unlink, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { isCode } from '../lib/errno.js';
import type { HookConfig, NginxHookConfig } from './config.js';
import { HookConfigError } from './errors.js';
import type { Redacted } from './redacted.js';

/** Absolute path of coreutils mkfifo; Node has no call that makes a named pipe. */
export const MKFIFO_PATH = '/usr/bin/mkfifo';
// Pause after each delivery, so that a reader which has not closed the pipe yet is not
// handed a second copy by the next open, which would succeed at once.
const PAUSE_AFTER_DELIVERY = 50;

/** Callbacks of the feeder: how it reads the passphrases and reports each delivery. */
export interface PipeFeederHandlers {
  /** Reads and checks the passphrases; called once per open, so a rotation shows at once. */
  readonly readContent: () => Promise<Redacted>;
  readonly onDelivered: () => Promise<void>;
  readonly onReadFailed: (error: unknown) => Promise<void>;
  readonly onWriteFailed: (error: unknown) => Promise<void>;
}

/**
 * Feeds the named pipe at `nginx.passwordFile` until `signal` aborts: each time a reader
 * (nginx, `nginx -t`, `nginx -s reload`) opens the pipe, it reads the passphrases, writes
 * them one per line and closes, so the reader sees end of file. When reading fails it
 * writes nothing, so nginx fails at once instead of waiting forever on the pipe. It
 * creates the pipe with mode 0600 when missing, and removes it on abort.
 */
export async function feedPasswordPipe(nginx: NginxHookConfig, config: HookConfig, handlers: PipeFeederHandlers, signal: AbortSignal): Promise<void> {
  const path = nginx.passwordFile;
  await preparePipe(path, config);

  // open() of a pipe for writing blocks until a reader arrives. On abort, the feeder opens
  // the pipe for reading itself, which ends that wait.
  let wake: Promise<FileHandle | undefined> | undefined;
  const onAbort = (): void => {
    wake = open(path, constants.O_RDONLY | constants.O_NONBLOCK).catch(() => undefined);
  };
  signal.addEventListener('abort', onAbort, { once: true });

  try {
    while (!signal.aborted) {
      const handle = await open(path, constants.O_WRONLY);
      try {
        if (!signal.aborted) {
          await deliver(handle, handlers);
        }
      } finally {
        await handle.close();
      }
      await sleep(PAUSE_AFTER_DELIVERY);
    }
  } finally {
    signal.removeEventListener('abort', onAbort);
    await (await wake)?.close();
    await unlink(path).catch(() => undefined);
  }
}

async function deliver(handle: FileHandle, handlers: PipeFeederHandlers): Promise<void> {
  let content: Redacted;
  try {
    content = await handlers.readContent();
  } catch (error) {
    await handlers.onReadFailed(error);
    return;
  }

  try {
    await handle.write(content.reveal());
  } catch (error) {
    // EPIPE: the reader closed the pipe before the passphrases arrived.
    await handlers.onWriteFailed(error);
    return;
  }
  await handlers.onDelivered();
}

async function preparePipe(path: string, config: HookConfig): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });

  const info = await lstat(path).catch((error: unknown) => {
    if (isCode(error, 'ENOENT')) {
      return undefined;
    }
    throw error;
  });
  if (info !== undefined && !info.isFIFO()) {
    throw new HookConfigError(
      config.path,
      'nginx.passwordFile',
      `${path} exists and is not a named pipe (a password file left by the file recipe?). Remove it, or give the feeder another "nginx.passwordFile".`,
    );
  }
  if (info === undefined) {
    await makeFifo(path);
  } else if ((info.mode & 0o077) !== 0) {
    await chmod(path, 0o600);
  }
}

function makeFifo(path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(MKFIFO_PATH, ['-m', '600', '--', path], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 5_000, env: {} });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.once('error', (error) => reject(new Error(`cannot run ${MKFIFO_PATH}: ${error.message}`)));
    child.once('close', (code) => (code === 0 ? resolve() : reject(new Error(`${MKFIFO_PATH} could not create ${path}: ${stderr.trim()}`))));
  });
}
