import { utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { Credstash } from '../../src/index.js';
import {
  closedPort,
  installApacheWrapper,
  localAwsSettings,
  makeWorkspace,
  motoStore,
  offlineStore,
  readLog,
  removeWorkspace,
  silentServer,
  writeHookConfig,
} from '../support/hooks.js';
import { motoEndpoint } from '../support/moto.js';
import { APACHE, makeTlsIdentity, NODE, webServerToolsAvailable, OPENSSL, requestPage, runAsync, stopByPidFile, waitForFile, writeApacheConfig, type TestSite } from '../support/webservers.js';

const available = webServerToolsAvailable([APACHE, OPENSSL, NODE]);
// Hook timeout for the failure cases, in seconds; Apache must give up well within twice it.
const SHORT_TIMEOUT = 2;

describe.skipIf(!available)('Apache httpd through the exec: hook', () => {
  let root: string;
  let pidFile: string | undefined;

  beforeEach(async () => {
    root = await makeWorkspace('apache');
    pidFile = undefined;
  });

  afterEach(async () => {
    if (pidFile !== undefined) {
      await stopByPidFile(pidFile);
    }
    if (process.env["KEEP"] === undefined) await removeWorkspace(root);
  });

  /** Writes the hook config and Apache config, and runs `apache2 -k start` to its end. */
  async function startApache(sites: readonly TestSite[], settings: Record<string, unknown>) {
    const hookLog = join(root, 'hook.log');
    const configPath = await writeHookConfig(join(root, 'hooks.json'), { ...settings, log: { file: hookLog, syslog: false } });
    const wrapper = await installApacheWrapper(root, configPath);
    const port = await closedPort();
    const apache = await writeApacheConfig(join(root, 'httpd'), port, wrapper, sites);
    pidFile = apache.pidFile;

    const serverArgs = ['-d', join(root, 'httpd'), '-f', apache.configFile];
    const result = await runAsync(APACHE, [...serverArgs, '-k', 'start'], 60_000);
    if (result.status !== 0) {
      // A failed start leaves no server behind, so there is no pid file to wait for.
      pidFile = undefined;
    }
    return {
      ...result,
      port,
      serverArgs,
      errorLogFile: apache.errorLog,
      hookLogFile: hookLog,
      // The detached server writes its pid file a moment after `-k start` returns.
      started: result.status === 0 && (await waitForFile(apache.pidFile, 10_000)),
      hookLog: await readLog(hookLog),
      errorLog: await readLog(apache.errorLog),
    };
  }

  async function storeSecret(credstash: Credstash, name: string, passphrase: string): Promise<void> {
    await credstash.putSecret(name, passphrase, { autoVersion: true });
  }

  it('starts with an encrypted RSA key on the offline store', async () => {
    const passphrase = ' correct horse battery staple ';
    const store = await offlineStore(join(root, 'store'));
    await storeSecret(store.credstash, 'tls/www', passphrase);
    const www = await makeTlsIdentity(join(root, 'keys'), 'www.test', 'rsa', passphrase);

    const apache = await startApache([{ hostName: 'www.test', identity: www }], { ...store.settings, secret: 'tls/www' });

    expect(apache.stderr).toBe('');
    expect(apache.started).toBe(true);
    const page = await requestPage(apache.port, 'www.test', [www], '/index.html');
    expect(page.status).toBe(200);
    expect(page.body).toBe('hello from apache\n');
    expect(page.fingerprint).toBe(www.fingerprint);
    expect(apache.hookLog).toContain('passphrase for www.test:443 (RSA) read from secret "tls/www"');
    expect(apache.hookLog).not.toContain('horse');
  });

  it.skipIf(motoEndpoint() === null)('starts with an encrypted EC P-256 key on moto', async () => {
    const passphrase = 'ec-pass-Ünïcode-🔑';
    const store = await motoStore(root);
    await storeSecret(store.credstash, 'tls/api', passphrase);
    const api = await makeTlsIdentity(join(root, 'keys'), 'api.test', 'ec', passphrase);

    const apache = await startApache([{ hostName: 'api.test', identity: api }], { ...store.settings, secret: 'tls/api' });

    expect(apache.started).toBe(true);
    const page = await requestPage(apache.port, 'api.test', [api], '/index.html');
    expect(page.status).toBe(200);
    expect(page.fingerprint).toBe(api.fingerprint);
    expect(apache.hookLog).toContain('read from secret "tls/api"');
  });

  it('maps two vhosts to different secrets', async () => {
    const store = await offlineStore(join(root, 'store'));
    await storeSecret(store.credstash, 'tls/www', 'www-passphrase');
    await storeSecret(store.credstash, 'tls/api', 'api-passphrase');
    const www = await makeTlsIdentity(join(root, 'keys'), 'www.test', 'rsa', 'www-passphrase');
    const api = await makeTlsIdentity(join(root, 'keys'), 'api.test', 'ec', 'api-passphrase');
    const sites = [
      { hostName: 'www.test', identity: www },
      { hostName: 'api.test', identity: api },
    ];

    const apache = await startApache(sites, { ...store.settings, servers: { 'www.test:443': 'tls/www', 'api.test:443': 'tls/api' } });

    expect(apache.started).toBe(true);
    expect((await requestPage(apache.port, 'www.test', [www], '/index.html')).fingerprint).toBe(www.fingerprint);
    expect((await requestPage(apache.port, 'api.test', [api], '/index.html')).fingerprint).toBe(api.fingerprint);
    expect(apache.hookLog).toContain('www.test:443 (RSA) read from secret "tls/www"');
    expect(apache.hookLog).toContain('api.test:443 (RSA) read from secret "tls/api"');
  });

  // Apache reaps the hook's process in its MPM loop and logs it as a lost child: a
  // warning, not a failure.
  it('graceful restart calls the hook for a changed key', async () => {
    const store = await offlineStore(join(root, 'store'));
    await storeSecret(store.credstash, 'tls/www', 'www-passphrase');
    const www = await makeTlsIdentity(join(root, 'keys'), 'www.test', 'rsa', 'www-passphrase');
    const apache = await startApache([{ hostName: 'www.test', identity: www }], { ...store.settings, secret: 'tls/www' });
    expect(apache.started).toBe(true);

    // Apache asks again only for a key file whose modification time changed.
    const later = new Date(Date.now() + 60_000);
    await utimes(www.keyFile, later, later);
    const graceful = await runAsync(APACHE, [...apache.serverArgs, '-k', 'graceful'], 30_000);
    expect(graceful.status).toBe(0);

    let hookLog = '';
    let errorLog = '';
    const deadline = Date.now() + 10_000;
    while (!errorLog.includes('AH00488') && Date.now() < deadline) {
      await sleep(100);
      hookLog = await readLog(apache.hookLogFile);
      errorLog = await readLog(apache.errorLogFile);
    }
    const calls = [...hookLog.matchAll(/credstash-apache-passphrase\[(\d+)\] info: passphrase for www\.test:443/g)].map((match) => match[1]);
    expect(calls).toHaveLength(2);
    expect(errorLog).toContain(`AH00488: long lost child came home! (pid ${calls[1]})`);
    expect(errorLog).toMatch(/\[mpm_event:warn\].*AH00488/);
    const page = await requestPage(apache.port, 'www.test', [www], '/index.html');
    expect(page.status).toBe(200);
  });

  it('does not start when the secret is missing', async () => {
    const store = await offlineStore(join(root, 'store'));
    const www = await makeTlsIdentity(join(root, 'keys'), 'www.test', 'rsa', 'some-passphrase');

    const apache = await startApache([{ hostName: 'www.test', identity: www }], { ...store.settings, secret: 'tls/missing' });

    expect(apache.started).toBe(false);
    expect(apache.status).not.toBe(0);
    expect(apache.errorLog).toContain('Failed to configure encrypted (?) private key');
    expect(apache.hookLog).toContain('err: cannot read the passphrase for www.test:443 (RSA) from secret "tls/missing"');
    expect(apache.hookLog).toContain('secret "tls/missing" not found');
  });

  it('does not start with a wrong passphrase', async () => {
    const store = await offlineStore(join(root, 'store'));
    await storeSecret(store.credstash, 'tls/www', 'stale-passphrase');
    const www = await makeTlsIdentity(join(root, 'keys'), 'www.test', 'rsa', 'current-passphrase');

    const apache = await startApache([{ hostName: 'www.test', identity: www }], { ...store.settings, secret: 'tls/www' });

    expect(apache.started).toBe(false);
    expect(apache.errorLog).toContain('Failed to configure encrypted (?) private key');
    expect(apache.hookLog).toContain('read from secret "tls/www"');
    expect(apache.hookLog).not.toContain('stale-passphrase');
  });

  it('rejects a passphrase with a line break', async () => {
    const store = await offlineStore(join(root, 'store'));
    await storeSecret(store.credstash, 'tls/www', 'first-line\nsecond-line');
    // Apache reads only the first line, so it would start if the hook printed the secret.
    const www = await makeTlsIdentity(join(root, 'keys'), 'www.test', 'rsa', 'first-line');

    const apache = await startApache([{ hostName: 'www.test', identity: www }], { ...store.settings, secret: 'tls/www' });

    expect(apache.started).toBe(false);
    expect(apache.hookLog).toContain('the passphrase stored in secret "tls/www" contains a line break (LF at character 11)');
    expect(apache.hookLog).not.toContain('first-line');
  });

  it('fails within the bound when the provider is unreachable', async () => {
    const www = await makeTlsIdentity(join(root, 'keys'), 'www.test', 'rsa', 'some-passphrase');
    const settings = await localAwsSettings(root, await closedPort());

    const apache = await startApache([{ hostName: 'www.test', identity: www }], { ...settings, secret: 'tls/www', timeout: SHORT_TIMEOUT });

    expect(apache.started).toBe(false);
    expect(apache.elapsed).toBeLessThan(SHORT_TIMEOUT * 1000 * 2 + 5_000);
    expect(apache.hookLog).toContain('from secret "tls/www"');
    expect(apache.hookLog).toMatch(/ECONNREFUSED|timed out/);
  });

  it('fails within the bound when the provider never responds', async () => {
    const www = await makeTlsIdentity(join(root, 'keys'), 'www.test', 'rsa', 'some-passphrase');
    const silent = await silentServer();
    try {
      const settings = await localAwsSettings(root, silent.port);

      const apache = await startApache([{ hostName: 'www.test', identity: www }], { ...settings, secret: 'tls/www', timeout: SHORT_TIMEOUT });

      expect(apache.started).toBe(false);
      expect(apache.elapsed).toBeLessThan(SHORT_TIMEOUT * 1000 * 2 + 5_000);
      expect(apache.hookLog).toContain('reading secret "tls/www" timed out after 2 s');
    } finally {
      await silent.close();
    }
  });
});
