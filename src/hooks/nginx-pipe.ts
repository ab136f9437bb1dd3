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
/**
 * Time in milliseconds after an open of the pipe was served within which the next open is
 * served from the same read, passphrases or failure. nginx opens the pipe once per
 * `server` block, in `nginx -t` and again at the start or reload, in quick succession.
 */
export const PIPE_REUSE_WINDOW = 2_000;
/** Maximum age in milliseconds of a read that serves later opens. */
export const PIPE_REUSE_MAX_AGE = 10_000;
// Pause after each delivery, so that a reader which has not closed the pipe yet is not
// handed a second copy by the next open, which would succeed at once.
const PAUSE_AFTER_DELIVERY = 50;

/** Callbacks of the feeder: how it reads the passphrases and reports each open. */
export interface PipeFeederHandlers {
  /** Called once the pipe exists, before the feeder waits for the first reader. */
  readonly onReady: () => Promise<void>;
  /** Reads and checks the passphrases; stops waiting when `signal` fires. */
  readonly readContent: (signal: AbortSignal) => Promise<Redacted>;
  /** `reusedAge` is the age in ms of the read that was reused, or undefined for a new read. */
  readonly onDelivered: (reusedAge: number | undefined) => Promise<void>;
  readonly onReadFailed: (error: unknown, reusedAge: number | undefined) => Promise<void>;
  readonly onWriteFailed: (error: unknown) => Promise<void>;
}

/** Outcome of a feeder that stopped. */
export interface PipeFeederStop {
  /** A reader had opened the pipe and got nothing, because the stop came during its read. */
  readonly abandonedReader: boolean;
}

type ReadOutcome = { readonly ok: true; readonly content: Redacted } | { readonly ok: false; readonly error: unknown };

interface RememberedRead {
  readonly outcome: ReadOutcome;
  readonly readAt: number;
  answeredAt: number;
}

/**
 * Feeds the named pipe at `nginx.passwordFile` until `signal` aborts: each time a reader
 * (nginx, `nginx -t`, `nginx -s reload`) opens the pipe, it writes the passphrases one per
 * line and closes, so the reader sees end of file. When reading fails it writes nothing,
 * so the reader fails instead of waiting forever on the pipe.
 *
 * An open that comes within {@link PIPE_REUSE_WINDOW} after the previous one was served
 * is served from the same read, at most {@link PIPE_REUSE_MAX_AGE} old, so one start or
 * reload costs one read of credstash, and a failed read fails the rest of that burst at
 * once. The feeder drops its reference to the passphrases when the window closes,
 * although a copy of the string may stay in memory until it is overwritten. It creates
 * the pipe with mode 0600 when missing, and removes it when it stops, also when `signal`
 * fires during a read.
 */
export async function feedPasswordPipe(nginx: NginxHookConfig, config: HookConfig, handlers: PipeFeederHandlers, signal: AbortSignal): Promise<PipeFeederStop> {
  const path = nginx.passwordFile;
  await preparePipe(path, config);
  await handlers.onReady();

  // open() of a pipe for writing blocks until a reader arrives. On abort, the feeder opens
  // the pipe for reading itself, which ends that wait.
  let wake: Promise<FileHandle | undefined> | undefined;
  const onAbort = (): void => {
    wake = open(path, constants.O_RDONLY | constants.O_NONBLOCK).catch(() => undefined);
  };
  signal.addEventListener('abort', onAbort, { once: true });

  let remembered: RememberedRead | undefined;
  let forget: NodeJS.Timeout | undefined;
  let abandonedReader = false;
  try {
    while (!signal.aborted) {
      const handle = await open(path, constants.O_WRONLY);
      try {
        if (signal.aborted) {
          break;
        }
        const now = Date.now();
        const reused = remembered !== undefined && now - remembered.answeredAt <= PIPE_REUSE_WINDOW && now - remembered.readAt <= PIPE_REUSE_MAX_AGE ? remembered : undefined;
        remembered = reused ?? (await readOnce(handlers, signal));
        if (signal.aborted) {
          abandonedReader = true;
          break;
        }

        await answer(handle, remembered.outcome, reused === undefined ? undefined : now - reused.readAt, handlers);
        remembered.answeredAt = Date.now();
        // Drops the passphrases once no open can reuse them any more.
        clearTimeout(forget);
        forget = setTimeout(() => (remembered = undefined), PIPE_REUSE_WINDOW);
        forget.unref();
      } finally {
        await handle.close();
      }
      await sleep(PAUSE_AFTER_DELIVERY);
    }
  } finally {
    clearTimeout(forget);
    remembered = undefined;
    signal.removeEventListener('abort', onAbort);
    await (await wake)?.close();
    await unlink(path).catch(() => undefined);
  }
  return { abandonedReader };
}

async function readOnce(handlers: PipeFeederHandlers, signal: AbortSignal): Promise<RememberedRead> {
  let outcome: ReadOutcome;
  try {
    outcome = { ok: true, content: await handlers.readContent(signal) };
  } catch (error) {
    outcome = { ok: false, error };
  }
  return { outcome, readAt: Date.now(), answeredAt: Date.now() };
}

async function answer(handle: FileHandle, outcome: ReadOutcome, reusedAge: number | undefined, handlers: PipeFeederHandlers): Promise<void> {
  if (!outcome.ok) {
    await handlers.onReadFailed(outcome.error, reusedAge);
    return;
  }

  try {
    await handle.write(outcome.content.reveal());
  } catch (error) {
    // EPIPE: the reader closed the pipe before the passphrases arrived.
    await handlers.onWriteFailed(error);
    return;
  }
  await handlers.onDelivered(reusedAge);
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
