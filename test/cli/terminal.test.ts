import { fileURLToPath } from 'node:url';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { CLI_PATH, makeTempDir, offlineEnv, runCli, runProcess } from './support/processes.js';

// These tests run the CLI on a pseudo-terminal made by Python's pty module, type at its
// prompt, and read what the terminal showed.

const DRIVER = fileURLToPath(new URL('./support/pty-driver.py', import.meta.url));
const PYTHON = process.env['PYTHON'] ?? 'python3';

interface Step {
  readonly expect: string;
  readonly send: string;
}

let home: { path: string; remove: () => Promise<void> };
let store: string;

/**
 * Runs the CLI on a new pseudo-terminal, which is its controlling terminal, and types the
 * steps. With `stderrFile`, standard error goes to that file instead of the terminal.
 */
async function onTerminal(args: readonly string[], steps: readonly Step[] = [], options: { stderrFile?: string } = {}): Promise<{ status: number; screen: string }> {
  const command = [process.execPath, CLI_PATH, '--offline', store, ...args];
  const request = {
    argv: options.stderrFile === undefined ? command : ['sh', '-c', 'file="$1"; shift; exec "$@" 2>"$file"', 'sh', options.stderrFile, ...command],
    env: { ...offlineEnv(home.path), TERM: 'xterm' },
    steps,
    timeout: 30,
  };
  const result = await runProcess(PYTHON, [DRIVER, JSON.stringify(request)], { env: { PATH: process.env['PATH'] } });
  if (result.status !== 0) {
    throw new Error(`the terminal driver failed: ${result.stderr}`);
  }
  const report = JSON.parse(result.text) as { status: number; transcript: string };
  return { status: report.status, screen: Buffer.from(report.transcript, 'base64').toString('utf8') };
}

/**
 * Replays a transcript as a terminal shows it, for the controls the CLI writes: carriage
 * return, line feed and erase to end of line (ESC [ K). Returns the lines of the screen.
 */
function renderScreen(transcript: string): string[] {
  const lines = [''];
  let column = 0;
  for (let index = 0; index < transcript.length; index += 1) {
    const line = lines[lines.length - 1] as string;
    if (transcript.startsWith('\x1b[K', index)) {
      lines[lines.length - 1] = line.slice(0, column);
      index += 2;
    } else if (transcript[index] === '\r') {
      column = 0;
    } else if (transcript[index] === '\n') {
      lines.push('');
      column = 0;
    } else {
      lines[lines.length - 1] = line.slice(0, column).padEnd(column) + (transcript[index] as string) + line.slice(column + 1);
      column += 1;
    }
  }
  return lines;
}

function cli(args: readonly string[]) {
  return runCli(['--offline', store, ...args], { env: offlineEnv(home.path) });
}

beforeAll(async () => {
  home = await makeTempDir('terminal');
  store = join(home.path, 'store');
  await cli(['setup']);
});

afterAll(async () => {
  await home.remove();
});

describe('put -P', () => {
  it('reads the secret without echo', async () => {
    const { status, screen } = await onTerminal(['put', 'typed', '-P'], [{ expect: 'typed: ', send: 'Typ3d-S3cret\r' }]);

    expect(status).toBe(0);
    expect(screen).toContain('typed has been stored');
    expect(screen).not.toContain('Typ3d-S3cret');
    expect((await cli(['get', '-n', 'typed'])).text).toBe('Typ3d-S3cret');
  });

  it('handles backspace and non-ASCII input', async () => {
    const { status } = await onTerminal(['put', 'edited', '-P'], [{ expect: 'edited: ', send: 'abX\x7fcé😀\r' }]);

    expect(status).toBe(0);
    expect((await cli(['get', '-n', 'edited'])).text).toBe('abcé😀');
  });

  it('stores nothing and exits 1 after Ctrl-D', async () => {
    const { status, screen } = await onTerminal(['put', 'ended', '-P'], [{ expect: 'ended: ', send: 'partial\x04' }]);

    expect(status).toBe(1);
    expect(screen).toContain('input ended at the prompt (Ctrl-D) before Enter; nothing was stored.');
    expect((await cli(['keys'])).text).not.toContain('ended');
  });

  it('prompts on the terminal when stderr is redirected', async () => {
    const stderrFile = join(home.path, 'prompt-stderr.txt');

    const { status, screen } = await onTerminal(['put', 'redirected', '-P'], [{ expect: 'redirected: ', send: 'r3directed\r' }], { stderrFile });

    expect(status).toBe(0);
    expect(screen).toContain('redirected: \r\nredirected has been stored');
    expect(screen).not.toContain('r3directed');
    expect(await readFile(stderrFile, 'utf8')).toBe('');
    expect((await cli(['get', '-n', 'redirected'])).text).toBe('r3directed');
  });

  it('stores nothing after Ctrl-C', async () => {
    const { status, screen } = await onTerminal(['put', 'interrupted', '-P'], [{ expect: 'interrupted: ', send: 'partial\x03' }]);

    expect(status).toBe(130);
    expect(screen).toContain('nothing was stored');
    expect((await cli(['keys'])).text).not.toContain('interrupted');
  });
});

describe('progress', () => {
  const many = Object.fromEntries(Array.from({ length: 25 }, (_, index) => [`many_${String(index).padStart(2, '0')}`, `value ${index}`]));

  it('shows on a terminal for putall, getall and delete', async () => {
    await cli(['-t', 'progress', 'setup']);
    const putall = await onTerminal(['-t', 'progress', 'putall', JSON.stringify(many)]);
    const getall = await onTerminal(['-t', 'progress', 'getall']);
    for (let version = 2; version <= 25; version += 1) {
      await cli(['-t', 'progress', 'put', '-v', String(version), 'many_00', 'again']);
    }
    const deleted = await onTerminal(['-t', 'progress', 'delete', 'many_00']);

    expect(putall.status, putall.screen).toBe(0);
    expect(putall.screen).toContain('putall: 25/25');
    expect(getall.status).toBe(0);
    expect(getall.screen).toContain('getall: 25/25');
    expect(getall.screen).toContain('"many_24": "value 24"');
    expect(deleted.status).toBe(0);
    expect(deleted.screen).toMatch(/delete: 2\d/);
  });

  it('keeps delete lines apart from the counter', async () => {
    await cli(['-t', 'progress-lines', 'setup']);
    for (let version = 1; version <= 25; version += 1) {
      await cli(['-t', 'progress-lines', 'put', '-v', String(version), 'multi', 'value']);
    }

    const deleted = await onTerminal(['-t', 'progress-lines', 'delete', 'multi']);

    expect(deleted.status).toBe(0);
    expect(deleted.screen).toMatch(/delete: 2\d/);
    expect(renderScreen(deleted.screen)).toEqual([
      ...Array.from({ length: 25 }, (_, index) => `Deleting multi -- version ${String(index + 1).padStart(19, '0')}`),
      '',
    ]);
  });

  it('erases the counter before a pattern map', async () => {
    await cli(['-t', 'progress-map', 'setup']);
    await cli(['-t', 'progress-map', 'putall', JSON.stringify(many)]);

    const pattern = await onTerminal(['-t', 'progress-map', 'get', 'many_*']);

    expect(pattern.status).toBe(0);
    expect(pattern.screen).toContain('get: 25/25');
    expect(renderScreen(pattern.screen)[0]).toBe('{');
  });

  it('stays off standard error when it is not a terminal', async () => {
    await cli(['-t', 'quiet', 'setup']);

    const putall = await cli(['-t', 'quiet', 'putall', JSON.stringify(many)]);
    const getall = await cli(['-t', 'quiet', 'getall']);

    expect(putall.stderr).toBe('');
    expect(getall.stderr).toBe('');
    expect(JSON.parse(getall.text)).toEqual(many);
  });
});
