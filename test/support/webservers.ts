import { spawn, spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { request } from 'node:https';
import { connect } from 'node:tls';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export const APACHE = '/usr/sbin/apache2';
export const NGINX = '/usr/sbin/nginx';
export const OPENSSL = '/usr/bin/openssl';
/** The node that the example hooks and units name; servers start hooks with no PATH. */
export const NODE = '/usr/bin/node';
const APACHE_MODULES = '/usr/lib/apache2/modules';

/**
 * Returns whether the tools of a suite are installed and the run is root (both servers
 * switch to www-data). On a laptop a missing tool skips the suite with a loud message;
 * under CI=true it is a failure, because .ci/run installs them.
 */
export function webServerToolsAvailable(tools: readonly string[]): boolean {
  const missing = tools.filter((tool) => !existsSync(tool));
  const problems = [...missing.map((tool) => `${tool} is not installed`)];
  if (process.getuid?.() !== 0) {
    problems.push('the tests must run as root to start the servers');
  }
  if (problems.length === 0) {
    return true;
  }
  const message = `${problems.join('; ')}. Install them with: apt-get install -y apache2 nginx openssl`;
  if (process.env['CI'] === 'true') {
    throw new Error(message);
  }
  console.warn(`\n*** SKIPPING WEB SERVER SUITE: ${message} ***\n`);
  return false;
}

/** Runs a command with a hard time limit and returns its status and output. */
export function run(program: string, args: readonly string[], options: { env?: NodeJS.ProcessEnv; timeout?: number } = {}): { status: number | null; stdout: string; stderr: string; signal: NodeJS.Signals | null } {
  const result = spawnSync(program, args, { env: options.env ?? { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' }, timeout: options.timeout ?? 30_000, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return { status: result.status, stdout: result.stdout ?? '', stderr: result.stderr ?? '', signal: result.signal };
}

/** Runs a command asynchronously (so the event loop can serve a pipe meanwhile), with a time limit. */
export function runAsync(program: string, args: readonly string[], timeout = 30_000): Promise<{ status: number | null; stdout: string; stderr: string; elapsed: number }> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' }, timeout, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (status) => resolve({ status, stdout, stderr, elapsed: Date.now() - started }));
  });
}

/** An encrypted private key and its self-signed certificate for one host name. */
export interface TlsIdentity {
  readonly keyFile: string;
  readonly certFile: string;
  readonly certificate: string;
  /** SHA-256 fingerprint, as Node reports it for the peer certificate. */
  readonly fingerprint: string;
}

/** Makes an encrypted RSA 2048 or EC P-256 key (PKCS#8, AES-256-CBC) and a certificate. */
export async function makeTlsIdentity(folder: string, hostName: string, type: 'rsa' | 'ec', passphrase: string, suffix = ''): Promise<TlsIdentity> {
  await mkdir(folder, { recursive: true, mode: 0o700 });
  const keyFile = join(folder, `${hostName}${suffix}.key`);
  const certFile = join(folder, `${hostName}${suffix}.pem`);
  const algorithm = type === 'rsa' ? ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'] : ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'];
  const env = { PASSPHRASE: passphrase };

  const key = run(OPENSSL, ['genpkey', ...algorithm, '-aes-256-cbc', '-pass', 'env:PASSPHRASE', '-out', keyFile], { env });
  if (key.status !== 0) {
    throw new Error(`openssl genpkey failed: ${key.stderr}`);
  }
  const cert = run(OPENSSL, ['req', '-x509', '-key', keyFile, '-passin', 'env:PASSPHRASE', '-subj', `/CN=${hostName}`, '-addext', `subjectAltName=DNS:${hostName}`, '-days', '2', '-out', certFile], { env });
  if (cert.status !== 0) {
    throw new Error(`openssl req failed: ${cert.stderr}`);
  }
  const certificate = await readFile(certFile, 'utf8');
  return { keyFile, certFile, certificate, fingerprint: new X509Certificate(certificate).fingerprint256 };
}

/** Result of one HTTPS request. */
export interface PageResult {
  readonly status: number;
  readonly body: string;
  readonly fingerprint: string;
}

/** Requests https://hostName:port/ from 127.0.0.1, trusting only `identity`'s certificate. */
export function requestPage(port: number, hostName: string, trusted: readonly TlsIdentity[], path = '/'): Promise<PageResult> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, servername: hostName, headers: { host: hostName }, ca: trusted.map((identity) => identity.certificate), agent: false, timeout: 5_000 },
      (response) => {
        let body = '';
        const fingerprint = (response.socket as import('node:tls').TLSSocket).getPeerCertificate().fingerprint256;
        response.on('data', (chunk: Buffer) => (body += chunk.toString()));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body, fingerprint }));
      },
    );
    req.once('timeout', () => req.destroy(new Error(`no answer from 127.0.0.1:${port} within 5 s`)));
    req.once('error', reject);
    req.end();
  });
}

/**
 * Waits until the server presents the certificate with `fingerprint` for `hostName`, for at
 * most `timeout` ms. After a reload, old workers may take a few more connections before
 * they exit, so the first responses can still come from the old configuration.
 */
export async function waitForCertificate(port: number, hostName: string, fingerprint: string, timeout = 10_000): Promise<string> {
  const deadline = Date.now() + timeout;
  let seen = '';
  while (Date.now() < deadline) {
    seen = await new Promise<string>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port, servername: hostName, rejectUnauthorized: false, timeout: 5_000 }, () => {
        const presented = socket.getPeerCertificate().fingerprint256;
        socket.destroy();
        resolve(presented);
      });
      socket.once('error', (error) => resolve(`error: ${error.message}`));
      socket.once('timeout', () => socket.destroy(new Error('timed out')));
    });
    if (seen === fingerprint) {
      return seen;
    }
    await sleep(100);
  }
  return seen;
}

/** Returns whether a process exists and is not a zombie. */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  let stat = '';
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return false;
  }
  return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
}

/** Waits until a file exists, for at most `timeout` ms. */
export async function waitForFile(path: string, timeout: number): Promise<boolean> {
  const deadline = Date.now() + timeout;
  while (!existsSync(path)) {
    if (Date.now() >= deadline) {
      return false;
    }
    await sleep(50);
  }
  return true;
}

/**
 * Stops a daemon by the pid in its pid file: SIGTERM, then SIGKILL after 10 s. It waits up
 * to `appear` ms for the pid file, which a detached server writes a moment after its start
 * command returned.
 */
export async function stopByPidFile(pidFile: string, appear = 2_000): Promise<void> {
  await waitForFile(pidFile, appear);
  const text = await readFile(pidFile, 'utf8').catch(() => '');
  const pid = Number.parseInt(text.trim(), 10);
  if (!Number.isSafeInteger(pid) || pid <= 1 || !isRunning(pid)) {
    return;
  }
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + 10_000;
  while (isRunning(pid) && Date.now() < deadline) {
    await sleep(50);
  }
  if (isRunning(pid)) {
    process.kill(pid, 'SIGKILL');
  }
}

/** A site of a test server: one name-based virtual host on 127.0.0.1. */
export interface TestSite {
  readonly hostName: string;
  readonly identity: TlsIdentity;
}

/**
 * Writes an Apache httpd config of its own under `root`: 127.0.0.1 only, the Debian
 * package's modules, and the given `SSLPassPhraseDialog exec:` hook.
 */
export async function writeApacheConfig(root: string, port: number, hook: string, sites: readonly TestSite[]): Promise<{ configFile: string; pidFile: string; errorLog: string }> {
  const htdocs = join(root, 'htdocs');
  await mkdir(join(root, 'run'), { recursive: true });
  await mkdir(htdocs, { recursive: true });
  await chmod(root, 0o755);
  await chmod(htdocs, 0o755);
  await writeFile(join(htdocs, 'index.html'), 'hello from apache\n', { mode: 0o644 });

  const pidFile = join(root, 'httpd.pid');
  const errorLog = join(root, 'error.log');
  const modules = ['mpm_event', 'authz_core', 'socache_shmcb', 'ssl', 'dir'];
  const vhosts = sites.map(
    (site) => `<VirtualHost 127.0.0.1:${port}>
  ServerName ${site.hostName}
  SSLEngine on
  SSLCertificateFile ${site.identity.certFile}
  SSLCertificateKeyFile ${site.identity.keyFile}
</VirtualHost>`,
  );
  const config = [
    `ServerRoot ${root}`,
    `PidFile ${pidFile}`,
    `ErrorLog ${errorLog}`,
    `DefaultRuntimeDir ${join(root, 'run')}`,
    ...modules.map((name) => `LoadModule ${name}_module ${APACHE_MODULES}/mod_${name}.so`),
    'User www-data',
    'Group www-data',
    'ServerName localhost',
    `Listen 127.0.0.1:${port}`,
    `SSLPassPhraseDialog exec:${hook}`,
    `SSLSessionCache shmcb:${join(root, 'run', 'ssl_scache')}(512000)`,
    `DocumentRoot ${htdocs}`,
    'DirectoryIndex index.html',
    ...vhosts,
    '',
  ].join('\n');
  const configFile = join(root, 'httpd.conf');
  await writeFile(configFile, config);
  return { configFile, pidFile, errorLog };
}

/** Writes an nginx config of its own under `root`; every path stays inside it. */
export async function writeNginxConfig(root: string, port: number, pidFile: string, passwordFile: string, sites: readonly TestSite[]): Promise<{ configFile: string; errorLog: string; args: string[] }> {
  const temp = join(root, 'temp');
  await mkdir(temp, { recursive: true });
  await chmod(root, 0o755);
  const errorLog = join(root, 'error.log');
  const servers = sites.map(
    (site) => `  server {
    listen 127.0.0.1:${port} ssl;
    server_name ${site.hostName};
    ssl_certificate ${site.identity.certFile};
    ssl_certificate_key ${site.identity.keyFile};
    ssl_password_file ${passwordFile};
    location / { return 200 "hello from nginx\\n"; }
  }`,
  );
  const temps = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((name) => `  ${name}_temp_path ${join(temp, name)};`);
  const config = [
    'user www-data;',
    'worker_processes 1;',
    `pid ${pidFile};`,
    `error_log ${errorLog} notice;`,
    'events { worker_connections 64; }',
    'http {',
    '  access_log off;',
    ...temps,
    ...servers,
    '}',
    '',
  ].join('\n');
  const configFile = join(root, 'nginx.conf');
  await writeFile(configFile, config);
  return { configFile, errorLog, args: ['-p', `${root}/`, '-c', configFile, '-e', errorLog] };
}
