import { readdir, readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

const POLL_INTERVAL = 50;

/** Reads the master pid from nginx's pid file, or undefined when there is none yet. */
export async function readPidFile(pidFile: string): Promise<number | undefined> {
  const text = await readFile(pidFile, 'utf8').catch(() => '');
  const pid = Number.parseInt(text.trim(), 10);
  return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
}

/** Waits until the pid file names a process, for at most `timeout` ms. */
export async function waitForPidFile(pidFile: string, timeout: number): Promise<number | undefined> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const pid = await readPidFile(pidFile);
    if (pid !== undefined || Date.now() >= deadline) {
      return pid;
    }
    await sleep(POLL_INTERVAL);
  }
}

/** Lists the pids of the processes whose parent is `parent`, from /proc (Linux only). */
export async function childProcesses(parent: number): Promise<Set<number>> {
  const children = new Set<number>();
  const entries = await readdir('/proc').catch(() => [] as string[]);

  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) {
      continue;
    }
    // Fields after the command name, which is in parentheses and may contain spaces:
    // state, then the parent pid.
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[1]) === parent) {
      children.add(Number(entry));
    }
  }
  return children;
}

/**
 * Waits until the nginx master has a child that `before` does not list, for at most
 * `timeout` ms. nginx starts new workers only after it has read the new configuration and
 * loaded every key, and keeps the old ones when the reload fails.
 */
export async function waitForNewWorker(master: number, before: ReadonlySet<number>, timeout: number): Promise<boolean> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const current = await childProcesses(master);
    if ([...current].some((pid) => !before.has(pid))) {
      return true;
    }
    if (Date.now() >= deadline) {
      return false;
    }
    await sleep(POLL_INTERVAL);
  }
}
