import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import {
  closedPort,
  INSTALLED_PATHS,
  localAwsSettings,
  makeWorkspace,
  motoStore,
  NGINX_HOOK_SCRIPT,
  NGINX_SYSTEMD,
  offlineStore,
  readLog,
  removeWorkspace,
  silentServer,
  writeHookConfig,
} from '../support/hooks.js';
import { PIPE_REUSE_WINDOW } from '../../src/hooks/nginx-pipe.js';
import { DEFAULT_HOOK_TIMEOUT_SECONDS } from '../../src/hooks/index.js';
import { childProcesses, readPidFile } from '../../src/hooks/lib/nginx-process.js';
import { motoEndpoint } from '../support/moto.js';
import { readExecSettings, rewriteArgv, type ExecLine } from '../support/systemd.js';
import {
  isRunning,
  makeTlsIdentity,
  NGINX,
  NODE,
  OPENSSL,
  requestPage,
  runAsync,
  stopByPidFile,
  waitForCertificate,
  webServerToolsAvailable,
  writeNginxConfig,
  type TestSite,
  type TlsIdentity,
} from '../support/webservers.js';

const DEBIAN_UNIT = '/lib/systemd/system/nginx.service';
const FILE_DROP_IN = join(NGINX_SYSTEMD, 'nginx.service.d/credstash-password-file.conf');
const PIPE_DROP_IN = join(NGINX_SYSTEMD, 'nginx.service.d/credstash-password-pipe.conf');
const FEEDER_UNIT = join(NGINX_SYSTEMD, 'credstash-nginx-feeder.service');
const SHORT_TIMEOUT = 2;
const SETPRIV = '/usr/bin/setpriv';
// setpriv options that drop every capability for good, and set no_new_privs.
const UNPRIVILEGED = ['--bounding-set=-all', '--inh-caps=-all', '--ambient-caps=-all', '--no-new-privs'];

const available = webServerToolsAvailable([NGINX, OPENSSL, NODE, DEBIAN_UNIT, SETPRIV]);

/** Runs Exec lines in order as systemd does: stops at the first failure not marked `-`. */
async function runExecLines(lines: readonly ExecLine[]): Promise<{ ok: boolean; output: string; elapsed: number }> {
  const started = Date.now();
  let output = '';
  for (const line of lines) {
    // A path of the real installation left in a line would reach the system's nginx or files.
    const leftover = line.argv.find((word) => /^\/(run|etc)\/|^\/usr\/local\/lib\/credstash-hooks/.test(word));
    if (leftover !== undefined) {
      throw new Error(`unit line still names the installed path ${leftover}: ${line.argv.join(' ')}`);
    }
    const [program = '', ...args] = line.argv;
    const result = await runAsync(program, args, 60_000);
    output += result.stderr;
    if (result.status !== 0 && !line.ignoreFailure) {
      return { ok: false, output, elapsed: Date.now() - started };
    }
  }
  return { ok: true, output, elapsed: Date.now() - started };
}

const SYSTEMD_ANALYZE = '/usr/bin/systemd-analyze';

describe.skipIf(!available)('shipped systemd units', () => {
  let root: string;

  beforeEach(async () => {
    root = await makeWorkspace('units');
  });

  afterEach(async () => {
    await removeWorkspace(root);
  });

  // systemd-analyze reads unit files only; it starts nothing. Some line errors in drop-ins
  // are warnings with exit status 0, so the output must be empty too.
  it.skipIf(!existsSync(SYSTEMD_ANALYZE))('pass systemd-analyze verify', async () => {
    const dropIns = join(root, 'nginx.service.d');
    await mkdir(dropIns);
    await copyFile(DEBIAN_UNIT, join(root, 'nginx.service'));
    await copyFile(FEEDER_UNIT, join(root, 'credstash-nginx-feeder.service'));

    for (const dropIn of [FILE_DROP_IN, PIPE_DROP_IN]) {
      await rm(join(dropIns, 'current.conf'), { force: true });
      await copyFile(dropIn, join(dropIns, 'current.conf'));
      const verify = await runAsync(SYSTEMD_ANALYZE, ['verify', '--man=no', join(root, 'nginx.service'), join(root, 'credstash-nginx-feeder.service')]);

      expect(verify.stderr + verify.stdout).toBe('');
      expect(verify.status).toBe(0);
    }
  });

  // --offline=yes reads the unit file alone (systemd 250 and later).
  it.skipIf(!existsSync(SYSTEMD_ANALYZE))('feeder unit rates OK in systemd-analyze security', async () => {
    const unit = join(root, 'credstash-nginx-feeder.service');
    await copyFile(FEEDER_UNIT, unit);

    const security = await runAsync(SYSTEMD_ANALYZE, ['security', '--offline=yes', '--no-pager', unit]);

    expect(security.status).toBe(0);
    const level = /Overall exposure level for \S+: (\d+\.\d+)/.exec(security.stdout);
    expect(level).not.toBeNull();
    // 9.6 UNSAFE without the sandbox settings.
    expect(Number(level?.[1])).toBeLessThanOrEqual(2.0);
  });
});

describe.skipIf(!available)('nginx through ssl_password_file', () => {
  let root: string;
  let pidFile: string;
  let passwordFile: string;
  let hookLog: string;
  let feeder: ChildProcess | undefined;
  let feederStderr: string;

  beforeEach(async () => {
    root = await makeWorkspace('nginx');
    pidFile = join(root, 'nginx.pid');
    // Replaces /run/credstash-nginx, the RuntimeDirectory of the units (mode 0700).
    await mkdir(join(root, 'run', 'credstash-nginx'), { recursive: true, mode: 0o700 });
    passwordFile = join(root, 'run', 'credstash-nginx', 'passphrases');
    hookLog = join(root, 'hook.log');
    feeder = undefined;
    feederStderr = '';
  });

  afterEach(async () => {
    await stopByPidFile(pidFile, 0);
    if (feeder?.pid !== undefined && feeder.exitCode === null) {
      feeder.kill('SIGKILL');
    }
    await removeWorkspace(root);
  });

  /**
   * Writes the hook and nginx configs. Returns nginx's port and a reader of the Exec lines
   * of given unit files, with the install paths of the examples replaced by this test's.
   */
  async function prepare(sites: readonly TestSite[], settings: Record<string, unknown>, secrets: readonly string[]) {
    const configPath = await writeHookConfig(join(root, 'hooks.json'), {
      ...settings,
      timeout: settings['timeout'] ?? 10,
      log: { file: hookLog, syslog: false },
      nginx: { passwordFile, pidFile, secrets },
    });
    const port = await closedPort();
    const nginx = await writeNginxConfig(join(root, 'nginx'), port, pidFile, passwordFile, sites);
    const replace = {
      [INSTALLED_PATHS.nginxScript]: NGINX_HOOK_SCRIPT,
      [INSTALLED_PATHS.config]: configPath,
      '/run/nginx.pid': pidFile,
      '/run/credstash-nginx/passphrases': passwordFile,
    };
    const exec = async (unitFiles: readonly string[], key: string): Promise<ExecLine[]> => {
      const units = await readExecSettings(unitFiles);
      return (units[key] ?? []).map((line) => ({ ...line, argv: rewriteArgv(line.argv, replace, { [NGINX]: nginx.args }) }));
    };
    return { port, exec, configPath };
  }

  async function serves(port: number, site: TestSite, trusted: readonly TlsIdentity[]): Promise<void> {
    const page = await requestPage(port, site.hostName, trusted);
    expect(page.status).toBe(200);
    expect(page.body).toBe('hello from nginx\n');
    expect(page.fingerprint).toBe(site.identity.fingerprint);
  }

  /** Returns the pids of the nginx master's workers. */
  async function workers(): Promise<Set<number>> {
    const master = await readPidFile(pidFile);
    return master === undefined ? new Set() : childProcesses(master);
  }

  /**
   * Waits until every worker in `old` has exited, for at most 10 s. After a reload, the old
   * workers finish their connections and may accept a few more before they exit, so only
   * then do all responses come from the new configuration.
   */
  async function waitForWorkersToExit(old: ReadonlySet<number>): Promise<boolean> {
    const deadline = Date.now() + 10_000;
    while ([...old].some((pid) => isRunning(pid))) {
      if (Date.now() >= deadline) {
        return false;
      }
      await sleep(50);
    }
    return true;
  }

  /** Replaces a site's key and certificate in place with a new pair under `passphrase`. */
  async function rotateKey(site: TestSite, type: 'rsa' | 'ec', passphrase: string): Promise<TestSite> {
    const fresh = await makeTlsIdentity(join(root, 'keys'), site.hostName, type, passphrase, '-rotated');
    await rename(fresh.keyFile, site.identity.keyFile);
    await rename(fresh.certFile, site.identity.certFile);
    return { hostName: site.hostName, identity: { ...fresh, keyFile: site.identity.keyFile, certFile: site.identity.certFile } };
  }

  describe('file recipe', () => {
    /** Exec lines of Debian's unit with the file recipe's drop-in. */
    async function prepareFile(sites: readonly TestSite[], settings: Record<string, unknown>, secrets: readonly string[]) {
      const prepared = await prepare(sites, settings, secrets);
      const units = [DEBIAN_UNIT, FILE_DROP_IN];
      const lines = async (...keys: string[]): Promise<ExecLine[]> => (await Promise.all(keys.map((key) => prepared.exec(units, key)))).flat();
      return { port: prepared.port, exec: lines, configPath: prepared.configPath };
    }

    it('starts with an RSA key and removes the file', async () => {
      const store = await offlineStore(join(root, 'store'));
      await store.credstash.putSecret('tls/www', 'rsa passphrase', { autoVersion: true });
      const www = { hostName: 'www.test', identity: await makeTlsIdentity(join(root, 'keys'), 'www.test', 'rsa', 'rsa passphrase') };
      const { port, exec } = await prepareFile([www], store.settings, ['tls/www']);

      const start = await runExecLines(await exec('ExecStartPre', 'ExecStart', 'ExecStartPost'));

      expect(start.output).toBe('');
      expect(start.ok).toBe(true);
      await serves(port, www, [www.identity]);
      expect(existsSync(passwordFile)).toBe(false);
      const log = await readLog(hookLog);
      expect(log).toContain(`wrote the passphrases of secret "tls/www" to ${passwordFile}`);
      expect(log).toContain(`removed ${passwordFile}`);
      expect(log).not.toContain('rsa passphrase');
    });

    it('reload picks up a rotated passphrase', async () => {
      const store = await offlineStore(join(root, 'store'));
      await store.credstash.putSecret('tls/www', 'first passphrase', { autoVersion: true });
      const www = { hostName: 'www.test', identity: await makeTlsIdentity(join(root, 'keys'), 'www.test', 'rsa', 'first passphrase') };
      const { port, exec } = await prepareFile([www], store.settings, ['tls/www']);
      expect((await runExecLines(await exec('ExecStartPre', 'ExecStart', 'ExecStartPost'))).ok).toBe(true);

      const rotated = await rotateKey(www, 'rsa', 'second passphrase');
      await store.credstash.putSecret('tls/www', 'second passphrase', { autoVersion: true });
      const old = await workers();
      const reload = await runExecLines(await exec('ExecReload'));

      expect(reload.output).toBe('');
      expect(reload.ok).toBe(true);
      expect(await waitForWorkersToExit(old)).toBe(true);
      await serves(port, rotated, [rotated.identity]);
      expect(existsSync(passwordFile)).toBe(false);
      expect(await readLog(hookLog)).toContain('reloaded nginx with the passphrases of secret "tls/www"');
    });

    it('fails a rejected reload within the bound', async () => {
      const store = await offlineStore(join(root, 'store'));
      await store.credstash.putSecret('tls/www', 'first passphrase', { autoVersion: true });
      const www = { hostName: 'www.test', identity: await makeTlsIdentity(join(root, 'keys'), 'www.test', 'rsa', 'first passphrase') };
      const { port, exec } = await prepareFile([www], { ...store.settings, timeout: SHORT_TIMEOUT }, ['tls/www']);
      expect((await runExecLines(await exec('ExecStartPre', 'ExecStart', 'ExecStartPost'))).ok).toBe(true);

      // The key changes but the stored passphrase does not, so nginx rejects the reload.
      await rotateKey(www, 'rsa', 'second passphrase');
      const reload = await runExecLines(await exec('ExecReload'));

      expect(reload.ok).toBe(false);
      expect(reload.elapsed).toBeLessThan(SHORT_TIMEOUT * 1000 * 2 + 5_000);
      expect(existsSync(passwordFile)).toBe(false);
      // nginx -s reload loads the keys itself before it signals the master, so it fails first.
      expect(reload.output).toContain('"reload" failed for secret "tls/www": the reload command /usr/sbin/nginx failed with exit status 1');
      expect(reload.output).toContain('bad decrypt');
      await serves(port, www, [www.identity]);
    });

    it('fails a reload the master rejects', async () => {
      const store = await offlineStore(join(root, 'store'));
      await store.credstash.putSecret('tls/www', 'first passphrase', { autoVersion: true });
      const www = { hostName: 'www.test', identity: await makeTlsIdentity(join(root, 'keys'), 'www.test', 'rsa', 'first passphrase') };
      const { port, exec, configPath } = await prepareFile([www], { ...store.settings, timeout: SHORT_TIMEOUT }, ['tls/www']);
      expect((await runExecLines(await exec('ExecStartPre', 'ExecStart', 'ExecStartPost'))).ok).toBe(true);
      await rotateKey(www, 'rsa', 'second passphrase');
      const master = String(await readPidFile(pidFile));

      // SIGHUP reaches the master directly, so only the missing new workers show the failure.
      const reload = await runAsync(NODE, [NGINX_HOOK_SCRIPT, configPath, 'reload', '--', '/bin/kill', '-HUP', master]);

      expect(reload.status).toBe(1);
      expect(reload.elapsed).toBeLessThan(SHORT_TIMEOUT * 1000 * 2 + 5_000);
      expect(reload.stderr).toContain(`nginx (master pid ${master}) started no new worker within`);
      expect(existsSync(passwordFile)).toBe(false);
      await serves(port, www, [www.identity]);
    });

    it('does not start nginx when the secret is missing', async () => {
      const store = await offlineStore(join(root, 'store'));
      const www = { hostName: 'www.test', identity: await makeTlsIdentity(join(root, 'keys'), 'www.test', 'rsa', 'some passphrase') };
      const { exec } = await prepareFile([www], store.settings, ['tls/missing']);

      const start = await runExecLines(await exec('ExecStartPre', 'ExecStart', 'ExecStartPost'));
      const stopPost = await runExecLines(await exec('ExecStopPost'));

      expect(start.ok).toBe(false);
      expect(stopPost.ok).toBe(true);
      expect(existsSync(pidFile)).toBe(false);
      expect(existsSync(passwordFile)).toBe(false);
      expect(start.output).toContain('secret "tls/missing" not found');
      expect(await readLog(hookLog)).toContain('err: "write" failed for secret "tls/missing": secret "tls/missing" not found');
    });

    it('rejects a passphrase with a line break', async () => {
      const store = await offlineStore(join(root, 'store'));
      await store.credstash.putSecret('tls/www', 'first-line\r\nsecond-line', { autoVersion: true });
      // nginx would try each line in turn, so without the check it would start.
      const www = { hostName: 'www.test', identity: await makeTlsIdentity(join(root, 'keys'), 'www.test', 'rsa', 'first-line') };
      const { exec } = await prepareFile([www], store.settings, ['tls/www']);

      const start = await runExecLines(await exec('ExecStartPre', 'ExecStart'));

      expect(start.ok).toBe(false);
      expect(existsSync(pidFile)).toBe(false);
      expect(existsSync(passwordFile)).toBe(false);
      expect(await readLog(hookLog)).toContain('the passphrase stored in secret "tls/www" contains a line break (CR at character 11)');
    });
  });

  describe('named pipe recipe', () => {
    /** Exec lines of Debian's unit with the pipe drop-in, and of the feeder unit. */
    async function preparePipe(sites: readonly TestSite[], settings: Record<string, unknown>, secrets: readonly string[]) {
      const prepared = await prepare(sites, settings, secrets);
      const units = [DEBIAN_UNIT, PIPE_DROP_IN];
      const exec = async (...keys: string[]): Promise<ExecLine[]> => (await Promise.all(keys.map((key) => prepared.exec(units, key)))).flat();
      const feederExec = (key: string): Promise<ExecLine[]> => prepared.exec([FEEDER_UNIT], key);
      return { port: prepared.port, exec, feederExec };
    }

    /**
     * Runs the feeder unit: its ExecStartPre, then ExecStart as a long-running child. Both
     * run as root without capabilities and with no_new_privs, as CapabilityBoundingSet= and
     * NoNewPrivileges= of the unit make systemd run them.
     */
    async function startFeeder(feederExec: (key: string) => Promise<ExecLine[]>): Promise<void> {
      const unit = await readFile(FEEDER_UNIT, 'utf8');
      expect(unit).toMatch(/^CapabilityBoundingSet=$/m);
      expect(unit).toMatch(/^NoNewPrivileges=yes$/m);
      const confine = (line: ExecLine): ExecLine => ({ ...line, argv: [SETPRIV, ...UNPRIVILEGED, ...line.argv] });

      expect((await runExecLines((await feederExec('ExecStartPre')).map(confine))).ok).toBe(true);
      const [program = '', ...args] = (await feederExec('ExecStart')).map(confine)[0]?.argv ?? [];
      feeder = spawn(program, args, { env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' }, stdio: ['ignore', 'ignore', 'pipe'] });
      feeder.stderr?.on('data', (chunk: Buffer) => (feederStderr += chunk.toString()));
    }

    /** Waits until the feeder has logged that it serves the pipe, for at most 10 s. */
    async function waitForFeeder(): Promise<void> {
      const deadline = Date.now() + 10_000;
      while (!(await readLog(hookLog)).includes('feeding the passphrases') && Date.now() < deadline) {
        await sleep(50);
      }
    }

    async function stopFeeder(): Promise<{ code: number | null; elapsed: number }> {
      const started = Date.now();
      const exited = new Promise<number | null>((resolve) => feeder?.once('exit', (code) => resolve(code)));
      feeder?.kill('SIGTERM');
      const code = await Promise.race([exited, sleep(10_000).then(() => -1)]);
      return { code, elapsed: Date.now() - started };
    }

    it.skipIf(motoEndpoint() === null)('serves two sites with different secrets on moto', async () => {
      const store = await motoStore(root);
      await store.credstash.putSecret('tls/www', 'www passphrase', { autoVersion: true });
      await store.credstash.putSecret('tls/api', 'api passphrase', { autoVersion: true });
      const www = { hostName: 'www.test', identity: await makeTlsIdentity(join(root, 'keys'), 'www.test', 'rsa', 'www passphrase') };
      const api = { hostName: 'api.test', identity: await makeTlsIdentity(join(root, 'keys'), 'api.test', 'ec', 'api passphrase') };
      const nginx = await preparePipe([www, api], store.settings, ['tls/www', 'tls/api']);

      await startFeeder(nginx.feederExec);
      const start = await runExecLines(await nginx.exec('ExecStartPre', 'ExecStart'));

      expect(start.output).toBe('');
      expect(start.ok).toBe(true);
      await serves(nginx.port, www, [www.identity]);
      await serves(nginx.port, api, [api.identity]);
      // Each server block reads its ssl_password_file, in nginx -t and again at the start.
      const log = await readLog(hookLog);
      expect(log.match(/delivered the passphrases of secret "tls\/www", secret "tls\/api"/g)).toHaveLength(4);
      // The opens come in one burst, so the feeder reads credstash once.
      expect(log.match(/, reusing the read of \d+\.\d s ago/g)).toHaveLength(3);
      expect((await stopFeeder()).code).toBe(0);
      // No NodeVersionSupportWarning from the AWS SDK, nor anything else.
      expect(feederStderr).toBe('');
    });

    it('reload picks up a rotated passphrase and the feeder stops cleanly', async () => {
      const store = await offlineStore(join(root, 'store'));
      await store.credstash.putSecret('tls/api', 'first passphrase', { autoVersion: true });
      const api = { hostName: 'api.test', identity: await makeTlsIdentity(join(root, 'keys'), 'api.test', 'ec', 'first passphrase') };
      const nginx = await preparePipe([api], store.settings, ['tls/api']);
      await startFeeder(nginx.feederExec);
      expect((await runExecLines(await nginx.exec('ExecStartPre', 'ExecStart'))).ok).toBe(true);

      const rotated = await rotateKey(api, 'ec', 'second passphrase');
      await store.credstash.putSecret('tls/api', 'second passphrase', { autoVersion: true });
      // Opens within the reuse window of the start would still get the old passphrase.
      await sleep(PIPE_REUSE_WINDOW + 100);
      const old = await workers();
      const reload = await runExecLines(await nginx.exec('ExecReload'));

      expect(reload.ok).toBe(true);
      // nginx -s reload only signals the master, which reloads after the command returns.
      expect(await waitForCertificate(nginx.port, 'api.test', rotated.identity.fingerprint)).toBe(rotated.identity.fingerprint);
      expect(await waitForWorkersToExit(old)).toBe(true);
      await serves(nginx.port, rotated, [rotated.identity]);
      const stopped = await stopFeeder();
      expect(stopped.code).toBe(0);
      expect(existsSync(passwordFile)).toBe(false);
      // nginx -t, the start, and the reload (which reads the file twice).
      expect((await readLog(hookLog)).match(/delivered the passphrases/g)).toHaveLength(4);
    });

    it('fails many server blocks within one timeout', async () => {
      const silent = await silentServer();
      try {
        const sites: TestSite[] = [];
        for (const hostName of ['a.test', 'b.test', 'c.test', 'd.test']) {
          sites.push({ hostName, identity: await makeTlsIdentity(join(root, 'keys'), hostName, 'ec', 'some passphrase') });
        }
        const settings = { ...(await localAwsSettings(root, silent.port)), timeout: SHORT_TIMEOUT };
        const nginx = await preparePipe(sites, settings, ['tls/www']);
        await startFeeder(nginx.feederExec);
        await waitForFeeder();

        const start = await runExecLines(await nginx.exec('ExecStartPre', 'ExecStart'));

        expect(start.ok).toBe(false);
        // nginx -t opens the pipe once per block before it loads any key. Without reuse,
        // each open would wait the whole timeout: 4 * 2 s.
        expect(start.elapsed).toBeGreaterThanOrEqual(SHORT_TIMEOUT * 1000 - 100);
        expect(start.elapsed).toBeLessThan(SHORT_TIMEOUT * 1000 + 1_500);
        expect(existsSync(pidFile)).toBe(false);
        const log = await readLog(hookLog);
        expect(log.match(/err: cannot read secret "tls\/www", so the reader of .* timed out after 2 s/g)).toHaveLength(1);
        expect(log.match(/got no passphrase, because reading secret "tls\/www" failed \d+\.\d s ago \(opens less than 2 s apart reuse one read\)/g)).toHaveLength(3);
        expect((await stopFeeder()).code).toBe(0);
      } finally {
        await silent.close();
      }
    });

    it('stops promptly during a pending read', async () => {
      const silent = await silentServer();
      try {
        const www = { hostName: 'www.test', identity: await makeTlsIdentity(join(root, 'keys'), 'www.test', 'ec', 'some passphrase') };
        // A long timeout: the stop must not wait for it.
        const settings = { ...(await localAwsSettings(root, silent.port)), timeout: 10 };
        const nginx = await preparePipe([www], settings, ['tls/www']);
        await startFeeder(nginx.feederExec);
        await waitForFeeder();
        // cat opens the pipe like nginx, and waits while the feeder reads from the silent server.
        const reader = spawn('/bin/cat', [passwordFile], { stdio: ['ignore', 'pipe', 'ignore'], timeout: 30_000 });
        let received = '';
        reader.stdout.on('data', (chunk: Buffer) => (received += chunk.toString()));
        const readerExit = new Promise<number | null>((resolve) => reader.once('close', (code) => resolve(code)));
        await sleep(1_000);
        expect(reader.exitCode).toBeNull();

        const stopped = await stopFeeder();

        expect(stopped.code).toBe(0);
        expect(stopped.elapsed).toBeLessThan(1_000);
        expect(existsSync(passwordFile)).toBe(false);
        expect(await readerExit).toBe(0);
        expect(received).toBe('');
        const log = await readLog(hookLog);
        expect(log).toContain(`stopped feeding ${passwordFile} and removed it; the reader that was waiting for passphrases got none`);
        expect(log).not.toContain('timed out');
        expect(feederStderr).toBe('');
      } finally {
        await silent.close();
      }
    });

    it('pipe drop-in bounds a start by the formula', async () => {
      const text = await readFile(PIPE_DROP_IN, 'utf8');
      const limit = Number(/^TimeoutStartSec=(\d+)$/m.exec(text)?.[1]);

      // nginx -t and the start: at most two reads of credstash, plus 10 s for nginx itself.
      expect(limit).toBeGreaterThanOrEqual(2 * DEFAULT_HOOK_TIMEOUT_SECONDS + 10);
    });

    it('fails nginx within the bound when the provider is unreachable', async () => {
      const www = { hostName: 'www.test', identity: await makeTlsIdentity(join(root, 'keys'), 'www.test', 'rsa', 'some passphrase') };
      const settings = { ...(await localAwsSettings(root, await closedPort())), timeout: SHORT_TIMEOUT };
      const nginx = await preparePipe([www], settings, ['tls/www']);
      await startFeeder(nginx.feederExec);

      const start = await runExecLines(await nginx.exec('ExecStartPre', 'ExecStart'));

      expect(start.ok).toBe(false);
      expect(start.elapsed).toBeLessThan(SHORT_TIMEOUT * 1000 * 2 + 5_000);
      expect(existsSync(pidFile)).toBe(false);
      expect(await readLog(hookLog)).toContain('err: cannot read secret "tls/www", so the reader of');
      expect((await stopFeeder()).code).toBe(0);
    });
  });
});

