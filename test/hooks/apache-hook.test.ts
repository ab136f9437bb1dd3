import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { inspect } from 'node:util';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { DEFAULT_SYSLOG_SOCKET, runApacheHook } from '../../src/hooks/index.js';
import { motoEndpoint } from '../support/moto.js';
import {
  APACHE_HOOK_SCRIPT,
  installApacheWrapper,
  makeWorkspace,
  offlineStore,
  readLog,
  motoStore,
  removeWorkspace,
  silentServer,
  localAwsSettings,
  writeHookConfig,
  type HookStore,
} from '../support/hooks.js';

/** Runs a program as Apache does: empty environment, and standard input left open. */
function runLikeApache(program: string, args: readonly string[]): Promise<{ status: number | null; stdout: string; stderr: string; elapsed: number }> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    // The pipe to standard input is never closed, so a hook that reads it would hang.
    const child = spawn(program, args, { env: {}, stdio: ['pipe', 'pipe', 'pipe'], timeout: 30_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (status) => {
      child.stdin.destroy();
      resolve({ status, stdout, stderr, elapsed: Date.now() - started });
    });
  });
}

describe('Apache hook run by hand', () => {
  let root: string;
  let store: HookStore;
  let logFile: string;


  beforeEach(async () => {
    root = await makeWorkspace('apache-hook');
    store = await offlineStore(join(root, 'store'));
    logFile = join(root, 'hook.log');
  });

  afterEach(async () => {
    await removeWorkspace(root);
  });

  async function install(settings: Record<string, unknown>, storeSettings = store.settings): Promise<string> {
    const configPath = await writeHookConfig(join(root, 'hooks.json'), { ...storeSettings, log: { file: logFile, syslog: false }, ...settings });
    return installApacheWrapper(root, configPath);
  }

  it('prints the passphrase and one LF, and nothing else', async () => {
    await store.credstash.putSecret('tls/www', ' spaced passphrase ');
    const wrapper = await install({ secret: 'tls/www' });

    const result = await runLikeApache(wrapper, ['www.example.com:443', 'RSA']);

    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(' spaced passphrase \n');
  });

  // On Node.js 20 the AWS SDK would print a NodeVersionSupportWarning of 9 lines here.
  it.skipIf(motoEndpoint() === null)('writes nothing to stderr on moto', async () => {
    const moto = await motoStore(root);
    await moto.credstash.putSecret('tls/www', 'moto passphrase');
    const wrapper = await install({ secret: 'tls/www' }, moto.settings);

    const result = await runLikeApache(wrapper, ['www.example.com:443', 'RSA']);

    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toBe('moto passphrase\n');
  });

  it('does not read standard input', async () => {
    await store.credstash.putSecret('tls/www', 'passphrase');
    const configPath = await writeHookConfig(join(root, 'hooks.json'), { ...store.settings, log: { file: logFile, syslog: false }, secret: 'tls/www' });

    // The script itself, without the wrapper's </dev/null.
    const result = await runLikeApache('/usr/bin/node', [APACHE_HOOK_SCRIPT, configPath, 'www.example.com:443', 'RSA']);

    expect(result.status).toBe(0);
    expect(result.stdout).toBe('passphrase\n');
  });

  it('picks the secret by servername:port', async () => {
    await store.credstash.putSecret('tls/www', 'www passphrase');
    await store.credstash.putSecret('tls/api', 'api passphrase');
    await store.credstash.putSecret('tls/default', 'default passphrase');
    const wrapper = await install({ secret: 'tls/default', servers: { 'www.example.com:443': 'tls/www', 'api.example.com:8443': 'tls/api' } });

    expect((await runLikeApache(wrapper, ['www.example.com:443', 'RSA'])).stdout).toBe('www passphrase\n');
    expect((await runLikeApache(wrapper, ['api.example.com:8443', 'ECC'])).stdout).toBe('api passphrase\n');
    expect((await runLikeApache(wrapper, ['api.example.com:443', 'RSA'])).stdout).toBe('default passphrase\n');
  });

  it('fails for a server with no secret', async () => {
    const wrapper = await install({ servers: { 'www.example.com:443': 'tls/www' } });

    const result = await runLikeApache(wrapper, ['other.example.com:443', 'RSA']);

    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(await readLog(logFile)).toContain('no secret for other.example.com:443: add "other.example.com:443" to "servers", or set "secret" as the default.');
  });

  it('prints nothing and names the secret when it is missing', async () => {
    const wrapper = await install({ secret: 'tls/missing' });

    const result = await runLikeApache(wrapper, ['www.example.com:443', 'RSA']);

    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('secret "tls/missing" not found');
    expect(await readLog(logFile)).toContain('err: cannot read the passphrase for www.example.com:443 (RSA) from secret "tls/missing": secret "tls/missing" not found. Check the name, version and table. [ERR_SECRET_NOT_FOUND]');
  });

  it('accepts 1023 bytes and rejects 1024', async () => {
    await store.credstash.putSecret('tls/longest', 'x'.repeat(1023));
    await store.credstash.putSecret('tls/too-long', 'x'.repeat(1024));
    const wrapper = await install({ servers: { 'longest.example.com:443': 'tls/longest', 'too-long.example.com:443': 'tls/too-long' } });

    const longest = await runLikeApache(wrapper, ['longest.example.com:443', 'RSA']);
    const tooLong = await runLikeApache(wrapper, ['too-long.example.com:443', 'RSA']);

    expect(longest.stdout).toBe(`${'x'.repeat(1023)}\n`);
    expect(tooLong.status).toBe(1);
    expect(tooLong.stdout).toBe('');
    expect(await readLog(logFile)).toContain('the passphrase stored in secret "tls/too-long" is 1024 bytes long, but the server accepts at most 1023.');
  });

  it('reports a config error and prints nothing', async () => {
    const wrapper = await install({ secret: 'tls/www', log: { file: 'relative.log' } });

    const result = await runLikeApache(wrapper, ['www.example.com:443', 'RSA']);

    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('invalid "log.file" "relative.log": use an absolute, normalized path');
  });

  it('writes reports to stderr when the log folder is missing', async () => {
    await store.credstash.putSecret('tls/www', 'passphrase');
    const missingLog = join(root, 'missing', 'hook.log');
    const wrapper = await install({ secret: 'tls/www', log: { file: missingLog, syslog: false } });

    const result = await runLikeApache(wrapper, ['www.example.com:443', 'RSA']);

    expect(result.status).toBe(0);
    expect(result.stdout).toBe('passphrase\n');
    expect(result.stderr).toContain('info: passphrase for www.example.com:443 (RSA) read from secret "tls/www" (written here because reporting failed: cannot append to');
    expect(result.stderr).toContain(`${missingLog}: Error: ENOENT`);
    expect(result.stderr).not.toContain('passphrase\n');
  });

  it('writes a failure to stderr when the log folder is missing', async () => {
    const missingLog = join(root, 'missing', 'hook.log');
    const wrapper = await install({ secret: 'tls/missing', log: { file: missingLog, syslog: false } });

    const result = await runLikeApache(wrapper, ['www.example.com:443', 'RSA']);

    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('secret "tls/missing" not found');
    expect(result.stderr).toContain(`(reporting also failed: cannot append to ${missingLog}: Error: ENOENT`);
    // The failure is printed once, as the result's message.
    expect(result.stderr.match(/not found/g)).toHaveLength(1);
  });

  // Without a config the report can only go to syslog, and logger exits 0 without /dev/log.
  it.skipIf(existsSync(DEFAULT_SYSLOG_SOCKET))('writes to stderr without config or syslog', async () => {
    const wrapper = await installApacheWrapper(root, join(root, 'missing.json'));

    const result = await runLikeApache(wrapper, ['www.example.com:443', 'RSA']);

    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('cannot return a passphrase to Apache for www.example.com:443 (RSA)');
    expect(result.stderr).toContain('missing.json: cannot read the hook config file');
    expect(result.stderr).toContain('(reporting also failed: syslog socket /dev/log does not exist');
  });

  it('stops within the timeout when the provider never responds', async () => {
    const silent = await silentServer();
    try {
      const wrapper = await install({ secret: 'tls/www', timeout: 1 }, await localAwsSettings(root, silent.port));

      const result = await runLikeApache(wrapper, ['www.example.com:443', 'RSA']);

      expect(result.status).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.elapsed).toBeLessThan(1_000 + 5_000);
      expect(await readLog(logFile)).toContain('reading secret "tls/www" timed out after 1 s');
    } finally {
      await silent.close();
    }
  });

  it('keeps the passphrase out of inspect output', async () => {
    await store.credstash.putSecret('tls/www', 'hunter2');
    const configPath = await writeHookConfig(join(root, 'hooks.json'), { ...store.settings, log: { file: logFile, syslog: false }, secret: 'tls/www' });

    const result = await runApacheHook({ configPath, server: 'www.example.com:443', label: 'RSA' });

    expect(result.ok).toBe(true);
    expect(inspect(result, { depth: 5 })).not.toContain('hunter2');
    expect(JSON.stringify(result)).not.toContain('hunter2');
    expect(await readLog(logFile)).not.toContain('hunter2');
  });
});
