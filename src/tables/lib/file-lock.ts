import { randomBytes } from 'node:crypto';
import { open, readFile, rename, stat, unlink, link } from 'node:fs/promises';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';

import { TableProviderError } from '../../errors/index.js';
import { isCode } from '../../lib/errno.js';

// A lock whose owner wrote nothing yet is only considered abandoned after this long.
const EMPTY_LOCK_GRACE_MS = 5_000;

/**
 * Runs `work` while holding an exclusive lock file, shared by every process on this host.
 * The lock is a file created with O_EXCL that contains `pid host token`. A lock left by a
 * process that no longer exists on this host is removed, so a killed writer does not block
 * the table.
 *
 * NOTE: this relies on O_EXCL and on process ids of the local host. It does not protect a
 * file table that several hosts share over NFS.
 */
export async function withFileLock<T>(lockPath: string, timeoutMs: number, work: () => Promise<T>): Promise<T> {
  const token = `${process.pid} ${hostname()} ${randomBytes(8).toString('hex')}`;
  await acquire(lockPath, token, timeoutMs);
  try {
    return await work();
  } finally {
    await release(lockPath, token);
  }
}

async function acquire(lockPath: string, token: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let delay = 2;

  for (;;) {
    try {
      const handle = await open(lockPath, 'wx', 0o600);
      try {
        await handle.writeFile(token);
      } finally {
        await handle.close();
      }
      return;
    } catch (error) {
      if (!isCode(error, 'EEXIST')) {
        throw new TableProviderError(`cannot create the lock file ${lockPath}: ${String(error)}`, { cause: error });
      }
    }

    const holder = await readFile(lockPath, 'utf8').catch(() => undefined);
    if (holder !== undefined && (await isAbandoned(lockPath, holder))) {
      await breakLock(lockPath, holder);
      continue;
    }
    if (Date.now() >= deadline) {
      const owner = holder === undefined ? 'another process' : `process ${holder.split(' ')[0] ?? '?'}`;
      throw new TableProviderError(
        `timed out after ${timeoutMs} ms waiting for the lock file ${lockPath}, held by ${owner}. ` +
          'If no credstash-ts process is writing to this table, delete the lock file.',
      );
    }
    // Jittered backoff keeps several waiting processes from retrying in lock step.
    await sleep(delay + Math.random() * delay);
    delay = Math.min(delay * 2, 50);
  }
}

async function isAbandoned(lockPath: string, holder: string): Promise<boolean> {
  const [pidText, host] = holder.split(' ');
  const pid = Number(pidText);

  if (!Number.isSafeInteger(pid) || pid <= 0 || host === undefined) {
    const modified = await stat(lockPath).then((stats) => stats.mtimeMs).catch(() => Date.now());
    return Date.now() - modified > EMPTY_LOCK_GRACE_MS;
  }
  return host === hostname() && !isProcessAlive(pid);
}

// Moves the abandoned lock aside and removes it only if it is still the one that was
// judged abandoned. If another process replaced it meanwhile, it is put back.
// NOTE: putting it back fails when a third process took the lock in between. That window
// needs a dead writer and three processes contending at the same moment.
async function breakLock(lockPath: string, holder: string): Promise<void> {
  const aside = `${lockPath}.${process.pid}.${randomBytes(6).toString('hex')}.stale`;
  try {
    await rename(lockPath, aside);
  } catch {
    return;
  }
  const moved = await readFile(aside, 'utf8').catch(() => undefined);
  if (moved !== holder) {
    await link(aside, lockPath).catch(() => undefined);
  }
  await unlink(aside).catch(() => undefined);
}

async function release(lockPath: string, token: string): Promise<void> {
  const holder = await readFile(lockPath, 'utf8').catch(() => undefined);
  if (holder === token) {
    await unlink(lockPath).catch(() => undefined);
  }
}

/** Tells whether a process with this id runs on this host. */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return !isCode(error, 'ESRCH');
  }
}
