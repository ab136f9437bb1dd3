import { readFile, stat } from 'node:fs/promises';
import { isAbsolute } from 'node:path';

import type { EncryptionContext } from '../keys/key-provider.js';
import { validateContext } from '../store/lib/validate.js';
import { HookConfigError } from './errors.js';
import { SettingsReader } from './lib/settings-reader.js';

/** Source of a hook's secrets: AWS (KMS + DynamoDB) or the embedded offline files. */
export type HookStoreConfig =
  | {
      readonly kind: 'aws';
      readonly table: string | undefined;
      readonly region: string;
      readonly kmsRegion: string | undefined;
      readonly endpoint: string | undefined;
      readonly kmsEndpoint: string | undefined;
      readonly credentials: HookCredentialsConfig;
      readonly maxAttempts: number;
    }
  | {
      readonly kind: 'offline';
      readonly directory: string;
      readonly table: string | undefined;
    };

/**
 * Source of AWS credentials. `"default"` is the AWS SDK's default chain, which for a hook
 * started by Apache (empty environment) means the shared files in the home folder of the
 * user it runs as, then container or instance credentials.
 */
export type HookCredentialsConfig =
  | 'default'
  | { readonly profile: string; readonly configFile: string | undefined; readonly credentialsFile: string | undefined };

/** Destinations of a hook's reports of what it did and why it failed. */
export interface HookLogConfig {
  /** File that each report is appended to (created with mode 0600). */
  readonly file: string | undefined;
  /** Send each report to syslog through `/usr/bin/logger`. */
  readonly syslog: boolean;
  /** Syslog socket given to `logger --socket`; logger's own default, `/dev/log`, when undefined. */
  readonly syslogSocket: string | undefined;
}

/** Settings of the nginx hook. */
export interface NginxHookConfig {
  /** Path that nginx's `ssl_password_file` names: a file on tmpfs, or a named pipe. */
  readonly passwordFile: string;
  /** nginx's pid file, used to tell when nginx has loaded its keys. */
  readonly pidFile: string | undefined;
  /** Secrets whose passphrases go into the file, one line each, in this order. */
  readonly secrets: readonly string[];
}

/** A validated hook config file. */
export interface HookConfig {
  /** Path of the file it was read from. */
  readonly path: string;
  readonly store: HookStoreConfig;
  /** Encryption context the secrets were stored with. */
  readonly context: EncryptionContext;
  /** Limit for the whole run of a hook, in milliseconds. */
  readonly timeout: number;
  /** Secret used for an Apache server that `servers` does not list. */
  readonly secret: string | undefined;
  /** Map from Apache's `servername:port` argument to a secret name. */
  readonly servers: Readonly<Record<string, string>>;
  readonly log: HookLogConfig;
  readonly nginx: NginxHookConfig | undefined;
}

/** Default of the `timeout` setting, in seconds: well under systemd's 90 s start limit. */
export const DEFAULT_HOOK_TIMEOUT_SECONDS = 10;
/** Largest `timeout` accepted, in seconds. */
export const MAX_HOOK_TIMEOUT_SECONDS = 300;

const SERVER_KEY = /^\S+:\d{1,5}$/;

/**
 * Reads and validates a hook config file. The file must be JSON, given by an absolute path,
 * owned by root or the current user, and not writable by group or others, because it
 * decides which endpoint receives the hook's credentials and which file it appends to.
 * The AWS credentials and config files it names are checked the same way, and the
 * credentials file must not be readable by group or others either.
 *
 * @param path - Absolute path of the config file.
 * @throws HookConfigError naming the setting and the fix.
 * @example
 * ```ts
 * const config = await loadHookConfig('/etc/credstash/hooks.json');
 * ```
 */
export async function loadHookConfig(path: string): Promise<HookConfig> {
  if (typeof path !== 'string' || !isAbsolute(path)) {
    throw new HookConfigError(String(path), undefined, 'the hook config path must be absolute, such as /etc/credstash/hooks.json, because servers run hooks from their own working directory.');
  }

  const info = await stat(path).catch((error: unknown) => {
    throw new HookConfigError(path, undefined, `cannot read the hook config file: ${String(error)}. Create it or fix the path.`, { cause: error });
  });
  if (!info.isFile()) {
    throw new HookConfigError(path, undefined, 'the hook config path is not a regular file.');
  }
  const uid = process.getuid?.();
  if (uid !== undefined && info.uid !== 0 && info.uid !== uid) {
    throw new HookConfigError(path, undefined, `the hook config file is owned by uid ${info.uid}; it must be owned by root or by the user that runs the hook (uid ${uid}).`);
  }
  if ((info.mode & 0o022) !== 0) {
    throw new HookConfigError(path, undefined, `the hook config file has mode ${(info.mode & 0o777).toString(8).padStart(4, '0')}, which lets group or others change it. Run "chmod go-w ${path}".`);
  }

  const text = await readFile(path, 'utf8').catch((error: unknown) => {
    throw new HookConfigError(path, undefined, `cannot read the hook config file: ${String(error)}.`, { cause: error });
  });
  const config = parseHookConfig(text, path);
  await checkAwsFiles(config);
  return config;
}

/**
 * Checks the AWS files that `credentials` names, as {@link loadHookConfig} checks the config
 * itself: each must exist and be owned by root or the current user. Neither may be writable
 * by group or others, because a profile can set `credential_process`, a command that the
 * SDK runs as the hook's user. The credentials file must also be unreadable by them,
 * because it contains the secret access key.
 */
async function checkAwsFiles(config: HookConfig): Promise<void> {
  const { store } = config;
  if (store.kind !== 'aws' || store.credentials === 'default') {
    return;
  }
  const files = [
    { setting: 'credentials.credentialsFile', file: store.credentials.credentialsFile, forbidden: 0o077 },
    { setting: 'credentials.configFile', file: store.credentials.configFile, forbidden: 0o022 },
  ];

  for (const { setting, file, forbidden } of files) {
    if (file === undefined) {
      continue;
    }
    const info = await stat(file).catch((error: unknown) => {
      throw new HookConfigError(config.path, setting, `cannot read "${setting}" ${file}: ${String(error)}. Create it or fix the path.`, { cause: error });
    });
    const uid = process.getuid?.();
    if (uid !== undefined && info.uid !== 0 && info.uid !== uid) {
      throw new HookConfigError(config.path, setting, `"${setting}" ${file} is owned by uid ${info.uid}; it must be owned by root or by the user that runs the hook (uid ${uid}).`);
    }
    if ((info.mode & forbidden) !== 0) {
      const mode = (info.mode & 0o777).toString(8).padStart(4, '0');
      const access = forbidden === 0o077 ? 'read or change it' : 'change it';
      const fix = forbidden === 0o077 ? `chmod 600 ${file}` : `chmod go-w ${file}`;
      throw new HookConfigError(config.path, setting, `"${setting}" ${file} has mode ${mode}, which lets group or others ${access}. Run "${fix}".`);
    }
  }
}

/**
 * Validates the text of a hook config file. Unknown settings, relative paths and values of
 * the wrong type are rejected with a {@link HookConfigError} that names them.
 *
 * @param text - The JSON text.
 * @param path - Name of the file in error messages.
 */
export function parseHookConfig(text: string, path: string): HookConfig {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new HookConfigError(path, undefined, `the hook config file is not valid JSON (${(error as Error).message}).`, { cause: error });
  }

  const root = new SettingsReader(path, '', json);
  const store = readStore(root);
  const contextValue = root.raw('context');
  let context: EncryptionContext;
  try {
    context = validateContext(contextValue);
  } catch (error) {
    throw root.error('context', `invalid "context": ${(error as Error).message} For example {"service": "nginx"}.`);
  }
  const timeout = root.number('timeout', DEFAULT_HOOK_TIMEOUT_SECONDS, { min: 0.1, max: MAX_HOOK_TIMEOUT_SECONDS, integer: false, unit: 'seconds' }) * 1000;
  const secret = root.string('secret', 'tls/passphrase');
  const servers = readServers(root);
  const log = readLog(root);
  const nginx = readNginx(root, secret);
  root.rejectUnknown();

  return { path, store, context, timeout, secret, servers, log, nginx };
}

function readStore(root: SettingsReader): HookStoreConfig {
  const table = root.string('table', 'credential-store');
  const offline = root.nested('offline');
  const awsKeys = ['region', 'kmsRegion', 'endpoint', 'kmsEndpoint', 'credentials', 'maxAttempts'];

  if (offline !== undefined) {
    const directory = offline.absolutePath('directory', '/etc/credstash/offline');
    offline.rejectUnknown();
    if (directory === undefined) {
      throw offline.error('directory', 'missing "offline.directory": set the folder that contains master.key and the table file, such as "/etc/credstash/offline".');
    }
    const mixed = awsKeys.find((key) => root.has(key));
    if (mixed !== undefined) {
      throw root.error(mixed, `"${mixed}" is an AWS setting, but "offline" is set. Remove one of them.`);
    }
    return { kind: 'offline', directory, table };
  }

  const region = root.requiredString('region', 'eu-west-1');
  const kmsRegion = root.string('kmsRegion', 'eu-west-1');
  const endpoint = readUrl(root, 'endpoint');
  const kmsEndpoint = readUrl(root, 'kmsEndpoint');
  const maxAttempts = root.number('maxAttempts', 3, { min: 1, max: 10, integer: true, unit: 'attempts' });
  return { kind: 'aws', table, region, kmsRegion, endpoint, kmsEndpoint, credentials: readCredentials(root), maxAttempts };
}

function readUrl(root: SettingsReader, key: string): string | undefined {
  const value = root.string(key, 'https://kms.eu-west-1.amazonaws.com');
  if (value === undefined) {
    return undefined;
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw root.error(key, `invalid ${root.quote(key)} ${JSON.stringify(value)}: expected a URL such as "https://kms.eu-west-1.amazonaws.com".`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw root.error(key, `invalid ${root.quote(key)} ${JSON.stringify(value)}: the URL must start with https:// or http://.`);
  }
  return value;
}

function readCredentials(root: SettingsReader): HookCredentialsConfig {
  const value = root.raw('credentials');
  if (value === undefined || value === 'default') {
    return 'default';
  }
  if (typeof value === 'string') {
    throw root.error('credentials', `invalid "credentials" ${JSON.stringify(value)}: use "default" or an object such as {"profile": "credstash-hooks"}.`);
  }

  const reader = root.nested('credentials') as SettingsReader;
  const profile = reader.string('profile', 'credstash-hooks') ?? 'default';
  const configFile = reader.absolutePath('configFile', '/etc/credstash/aws-config');
  const credentialsFile = reader.absolutePath('credentialsFile', '/etc/credstash/aws-credentials');
  reader.rejectUnknown();
  return { profile, configFile, credentialsFile };
}

function readServers(root: SettingsReader): Record<string, string> {
  const servers = root.stringMap('servers', '{"www.example.com:443": "tls/www"}') ?? {};
  for (const key of Object.keys(servers)) {
    if (!SERVER_KEY.test(key)) {
      throw root.error('servers', `invalid key ${JSON.stringify(key)} in "servers": Apache passes "servername:port", such as "www.example.com:443", where the port is that of ServerName (443 when it has none).`);
    }
  }
  return servers;
}

function readLog(root: SettingsReader): HookLogConfig {
  const reader = root.nested('log');
  if (reader === undefined) {
    return { file: undefined, syslog: true, syslogSocket: undefined };
  }
  const file = reader.absolutePath('file', '/var/log/credstash-hooks.log');
  const syslog = reader.boolean('syslog', true);
  const syslogSocket = reader.absolutePath('syslogSocket', '/dev/log');
  reader.rejectUnknown();
  if (!syslog && file === undefined) {
    throw reader.error('syslog', '"log.syslog" is false and "log.file" is not set, so failures would be reported nowhere an operator looks. Set "log.file" or enable syslog.');
  }
  return { file, syslog, syslogSocket };
}

function readNginx(root: SettingsReader, secret: string | undefined): NginxHookConfig | undefined {
  const reader = root.nested('nginx');
  if (reader === undefined) {
    return undefined;
  }
  const passwordFile = reader.absolutePath('passwordFile', '/run/credstash-nginx/passphrases');
  const pidFile = reader.absolutePath('pidFile', '/run/nginx.pid');
  const secretsValue = reader.raw('secrets');
  reader.rejectUnknown();

  if (passwordFile === undefined) {
    throw reader.error('passwordFile', 'missing "nginx.passwordFile": set the path that ssl_password_file names, such as "/run/credstash-nginx/passphrases".');
  }
  let secrets: string[];
  if (secretsValue === undefined) {
    if (secret === undefined) {
      throw reader.error('secrets', 'missing "nginx.secrets": list the secrets whose passphrases nginx needs, such as ["tls/www"], or set "secret".');
    }
    secrets = [secret];
  } else if (Array.isArray(secretsValue) && secretsValue.length > 0 && secretsValue.every((name) => typeof name === 'string' && name !== '')) {
    secrets = secretsValue as string[];
  } else {
    throw reader.error('secrets', 'invalid "nginx.secrets": expected a non-empty list of secret names, such as ["tls/www", "tls/api"].');
  }
  return { passwordFile, pidFile, secrets };
}
