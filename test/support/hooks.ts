import { mkdtemp, readFile, rm, writeFile, chmod } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { Credstash, offlineProviders } from '../../src/index.js';
import { createMotoCredstash, requireEndpoint, TEST_CREDENTIALS } from './moto.js';

const EXAMPLES = resolve(import.meta.dirname, '../../examples');
/** The example hook scripts, run in place so that they import the built `credstash-ts/hooks`. */
export const APACHE_HOOK_SCRIPT = join(EXAMPLES, 'apache/credstash-apache-passphrase.mjs');
export const APACHE_HOOK_WRAPPER = join(EXAMPLES, 'apache/credstash-apache-passphrase');
export const NGINX_HOOK_SCRIPT = join(EXAMPLES, 'nginx/credstash-nginx-passphrase.mjs');
export const NGINX_SYSTEMD = join(EXAMPLES, 'nginx/systemd');
/** Paths the shipped examples use, which the tests replace with their own. */
export const INSTALLED_PATHS = {
  apacheScript: '/usr/local/lib/credstash-hooks/credstash-apache-passphrase.mjs',
  nginxScript: '/usr/local/lib/credstash-hooks/credstash-nginx-passphrase.mjs',
  config: '/etc/credstash/hooks.json',
};

/**
 * Makes a folder under the system temp folder, with mode 0755 because the servers' workers
 * (www-data) must reach the document root inside it. Keys, stores and configs go in
 * private files and folders below it.
 */
export async function makeWorkspace(prefix: string): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), `credstash-${prefix}-`));
  await chmod(root, 0o755);
  return root;
}

export function removeWorkspace(root: string | undefined): Promise<void> {
  return root === undefined ? Promise.resolve() : rm(root, { recursive: true, force: true });
}

/** Writes a hook config file with mode 0600, as the hooks require. */
export async function writeHookConfig(path: string, settings: Record<string, unknown>): Promise<string> {
  await writeFile(path, `${JSON.stringify(settings, null, 2)}\n`, { mode: 0o600 });
  await chmod(path, 0o600);
  return path;
}

/** A store and the hook settings that reach it. */
export interface HookStore {
  readonly credstash: Credstash;
  readonly settings: Record<string, unknown>;
}

/** Creates the embedded offline store in `folder` and sets it up. */
export async function offlineStore(folder: string): Promise<HookStore> {
  const credstash = new Credstash(offlineProviders({ directory: folder }));
  await credstash.setup();
  return { credstash, settings: { offline: { directory: folder } } };
}

/**
 * A store on this run's moto, with its own KMS key and table, and hook settings that
 * reach it through a credentials file, because Apache gives hooks no environment.
 */
export async function motoStore(folder: string): Promise<HookStore> {
  const { credstash, table } = await createMotoCredstash();
  const credentialsFile = join(folder, 'aws-credentials');
  await writeFile(credentialsFile, `[moto]\naws_access_key_id = ${TEST_CREDENTIALS.accessKeyId}\naws_secret_access_key = ${TEST_CREDENTIALS.secretAccessKey}\n`, { mode: 0o600 });
  return {
    credstash,
    settings: { table, region: 'us-east-1', endpoint: requireEndpoint(), credentials: { profile: 'moto', credentialsFile } },
  };
}

/** AWS settings that point at `port` on 127.0.0.1, for unreachable and silent providers. */
export async function localAwsSettings(folder: string, port: number): Promise<Record<string, unknown>> {
  const credentialsFile = join(folder, 'aws-credentials');
  await writeFile(credentialsFile, '[local]\naws_access_key_id = testing\naws_secret_access_key = testing\n', { mode: 0o600 });
  return { table: 'no-such-table', region: 'us-east-1', endpoint: `http://127.0.0.1:${port}`, credentials: { profile: 'local', credentialsFile } };
}

/** Installs the example Apache wrapper into `folder` with this test's paths, as an operator would. */
export async function installApacheWrapper(folder: string, configPath: string): Promise<string> {
  const template = await readFile(APACHE_HOOK_WRAPPER, 'utf8');
  if (!template.includes(INSTALLED_PATHS.apacheScript) || !template.includes(INSTALLED_PATHS.config)) {
    throw new Error('the example wrapper no longer contains the documented install paths');
  }
  const wrapper = join(folder, 'credstash-apache-passphrase');
  await writeFile(wrapper, template.replace(INSTALLED_PATHS.apacheScript, APACHE_HOOK_SCRIPT).replace(INSTALLED_PATHS.config, configPath), { mode: 0o755 });
  await chmod(wrapper, 0o755);
  return wrapper;
}

/** Returns a port on 127.0.0.1 that was free a moment ago and that nothing listens on. */
export function closedPort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Starts a TCP server on 127.0.0.1 that accepts connections and never responds: a hanging provider. */
export async function silentServer(): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolveListen) => server.listen(0, '127.0.0.1', resolveListen));
  const address = server.address();
  if (typeof address !== 'object' || address === null) {
    throw new Error('no port');
  }
  return {
    port: address.port,
    close: () =>
      new Promise((resolveClose) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolveClose());
      }),
  };
}

/** Reads a log file, or "" when it does not exist yet. */
export function readLog(path: string): Promise<string> {
  return readFile(path, 'utf8').catch(() => '');
}
