import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { once } from 'node:events';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { DEFAULT_SYSLOG_SOCKET, HookReporter, LOGGER_PATH } from '../../src/hooks/index.js';
import { makeWorkspace, readLog, removeWorkspace } from '../support/hooks.js';

// A syslog socket of the test's own: a Unix datagram socket that prints the first message
// it receives. Node cannot open Unix datagram sockets, so Python does.
const LISTENER = `
import socket, sys
server = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
server.bind(sys.argv[1])
server.settimeout(10)
print("ready", flush=True)
sys.stdout.write(server.recv(65536).decode())
`;
// Binds a Unix datagram socket and exits: the socket file stays, but no process listens on it.
const ABANDONED_SOCKET = `
import socket, sys
socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM).bind(sys.argv[1])
`;

describe('HookReporter', () => {
  let root: string;

  beforeEach(async () => {
    root = await makeWorkspace('report');
  });

  afterEach(async () => {
    await removeWorkspace(root);
  });

  it('appends one line per report to a private file', async () => {
    const file = join(root, 'hooks.log');
    const reporter = new HookReporter({ file, syslog: false, syslogSocket: undefined }, 'credstash-test');

    const outcome = await reporter.report('err', 'first\nsecond');
    await reporter.report('info', 'third');

    expect(outcome).toEqual({ delivered: ['file'], failures: [] });
    const lines = (await readLog(file)).trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^\d{4}-\d\d-\d\dT\S+Z credstash-test\[\d+\] err: first second$/);
    expect(lines[1]).toMatch(/ info: third$/);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it('lists a file it cannot write', async () => {
    const reporter = new HookReporter({ file: join(root, 'missing', 'hooks.log'), syslog: false, syslogSocket: undefined }, 'credstash-test');

    const outcome = await reporter.report('err', 'lost');

    expect(outcome.delivered).toEqual([]);
    expect(outcome.failures[0]).toContain('cannot append to');
    expect(outcome.failures[0]).toContain('ENOENT');
  });

  it.skipIf(!existsSync(LOGGER_PATH))('sends reports to syslog through logger', async () => {
    const socket = join(root, 'log.sock');
    const listener = spawn('python3', ['-c', LISTENER, socket], { stdio: ['ignore', 'pipe', 'pipe'], timeout: 15_000 });
    let received = '';
    listener.stdout.on('data', (chunk: Buffer) => (received += chunk.toString()));
    await new Promise<void>((resolve) => listener.stdout.once('data', () => resolve()));
    const reporter = new HookReporter({ file: undefined, syslog: true, syslogSocket: socket }, 'credstash-test');

    const outcome = await reporter.report('err', 'secret "tls/www" not found');
    await once(listener, 'close');

    expect(outcome).toEqual({ delivered: ['syslog'], failures: [] });
    // <27> is facility daemon (3) * 8 + severity err (3).
    expect(received).toMatch(/^ready\n<27>.*credstash-test\[\d+\]: secret "tls\/www" not found/);
  });

  it('lists a syslog socket that does not exist', async () => {
    const socket = join(root, 'missing.sock');
    const reporter = new HookReporter({ file: undefined, syslog: true, syslogSocket: socket }, 'credstash-test');

    const outcome = await reporter.report('err', 'lost');

    expect(outcome.delivered).toEqual([]);
    expect(outcome.failures).toEqual([`syslog socket ${socket} does not exist, so no syslog daemon or journald receives reports`]);
  });

  // logger exits 0 here unless --socket-errors=on, so the report would be lost silently.
  it.skipIf(existsSync(DEFAULT_SYSLOG_SOCKET))('lists the missing default socket', async () => {
    const reporter = new HookReporter({ file: undefined, syslog: true, syslogSocket: undefined }, 'credstash-test');

    const outcome = await reporter.report('err', 'lost');

    expect(outcome.delivered).toEqual([]);
    expect(outcome.failures[0]).toContain('syslog socket /dev/log does not exist');
  });

  it.skipIf(!existsSync(LOGGER_PATH))('lists a socket without a listener', async () => {
    const socket = join(root, 'abandoned.sock');
    const binder = spawn('python3', ['-c', ABANDONED_SOCKET, socket], { stdio: 'ignore', timeout: 15_000 });
    await once(binder, 'close');
    expect((await stat(socket)).isSocket()).toBe(true);
    const reporter = new HookReporter({ file: undefined, syslog: true, syslogSocket: socket }, 'credstash-test');

    const outcome = await reporter.report('err', 'lost');

    expect(outcome.delivered).toEqual([]);
    expect(outcome.failures).toEqual([`/usr/bin/logger failed to send to ${socket} (exit status 1)`]);
  });

  it('passes an undelivered report to the fallback', async () => {
    const file = join(root, 'missing', 'hooks.log');
    const lines: string[] = [];
    const reporter = new HookReporter({ file, syslog: false, syslogSocket: undefined }, 'credstash-test', (line) => lines.push(line));

    await reporter.report('err', 'secret "tls/www" not found');

    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\S+Z credstash-test\[\d+\] err: secret "tls\/www" not found \(written here because reporting failed: cannot append to \S+hooks\.log: Error: ENOENT/);
    expect(lines[0]?.endsWith(')\n')).toBe(true);
  });

  it('keeps delivered reports from the fallback', async () => {
    const lines: string[] = [];
    const reporter = new HookReporter({ file: join(root, 'hooks.log'), syslog: false, syslogSocket: undefined }, 'credstash-test', (line) => lines.push(line));

    await reporter.report('info', 'delivered');

    expect(lines).toEqual([]);
  });

  it('skips the fallback when asked', async () => {
    const lines: string[] = [];
    const reporter = new HookReporter({ file: join(root, 'missing', 'hooks.log'), syslog: false, syslogSocket: undefined }, 'credstash-test', (line) => lines.push(line));

    const outcome = await reporter.report('err', 'returned to the caller', { fallback: false });

    expect(outcome.failures).toHaveLength(1);
    expect(lines).toEqual([]);
  });
});
