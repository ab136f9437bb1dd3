import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { once } from 'node:events';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { HookReporter, LOGGER_PATH } from '../../src/hooks/index.js';
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

  it.skipIf(!existsSync(LOGGER_PATH))('lists a syslog socket that does not exist', async () => {
    const reporter = new HookReporter({ file: undefined, syslog: true, syslogSocket: join(root, 'missing.sock') }, 'credstash-test');

    const outcome = await reporter.report('err', 'lost');

    expect(outcome.delivered).toEqual([]);
    expect(outcome.failures[0]).toMatch(/\/usr\/bin\/logger failed \(exit status 1\)/);
  });
});
