import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { HookConfigError, loadHookConfig, parseHookConfig } from '../../src/hooks/index.js';
import { CredstashError } from '../../src/index.js';
import { makeWorkspace, removeWorkspace } from '../support/hooks.js';

const PATH = '/etc/credstash/hooks.json';

function parse(settings: unknown): ReturnType<typeof parseHookConfig> {
  return parseHookConfig(JSON.stringify(settings), PATH);
}

function parseError(settings: unknown): HookConfigError {
  try {
    parse(settings);
  } catch (error) {
    if (error instanceof HookConfigError) {
      return error;
    }
    throw error;
  }
  throw new Error('expected a HookConfigError');
}

const AWS = { region: 'eu-west-1', secret: 'tls/www' };

describe('parseHookConfig', () => {
  it('applies the defaults', () => {
    const config = parse(AWS);

    expect(config.store).toEqual({
      kind: 'aws',
      table: undefined,
      region: 'eu-west-1',
      kmsRegion: undefined,
      endpoint: undefined,
      kmsEndpoint: undefined,
      credentials: 'default',
      maxAttempts: 3,
    });
    expect(config.timeout).toBe(10_000);
    expect(config.context).toEqual({});
    expect(config.servers).toEqual({});
    expect(config.log).toEqual({ file: undefined, syslog: true, syslogSocket: undefined });
    expect(config.nginx).toBeUndefined();
  });

  it('reads every setting', () => {
    const config = parse({
      table: 'tls-secrets',
      region: 'eu-west-1',
      kmsRegion: 'us-east-1',
      endpoint: 'http://127.0.0.1:5000',
      kmsEndpoint: 'https://kms.example',
      credentials: { profile: 'hooks', configFile: '/etc/credstash/aws-config', credentialsFile: '/etc/credstash/aws-credentials' },
      maxAttempts: 2,
      context: { service: 'tls' },
      timeout: 2.5,
      secret: 'tls/default',
      servers: { 'www.example.com:443': 'tls/www', '[::1]:8443': 'tls/local' },
      log: { file: '/var/log/credstash-hooks.log', syslog: false, syslogSocket: '/dev/log' },
      nginx: { passwordFile: '/run/credstash-nginx/passphrases', pidFile: '/run/nginx.pid', secrets: ['tls/www', 'tls/api'] },
    });

    expect(config.store).toMatchObject({ kind: 'aws', table: 'tls-secrets', kmsRegion: 'us-east-1', kmsEndpoint: 'https://kms.example', maxAttempts: 2 });
    expect(config.store.kind === 'aws' && config.store.credentials).toEqual({ profile: 'hooks', configFile: '/etc/credstash/aws-config', credentialsFile: '/etc/credstash/aws-credentials' });
    expect(config.context).toEqual({ service: 'tls' });
    expect(config.timeout).toBe(2500);
    expect(config.servers['[::1]:8443']).toBe('tls/local');
    expect(config.nginx).toEqual({ passwordFile: '/run/credstash-nginx/passphrases', pidFile: '/run/nginx.pid', secrets: ['tls/www', 'tls/api'] });
  });

  it('reads the offline store', () => {
    const config = parse({ offline: { directory: '/etc/credstash/offline' }, table: 'tls', secret: 'tls/www' });

    expect(config.store).toEqual({ kind: 'offline', directory: '/etc/credstash/offline', table: 'tls' });
  });

  it('uses the secret for nginx without a list', () => {
    expect(parse({ ...AWS, nginx: { passwordFile: '/run/x/passphrases' } }).nginx?.secrets).toEqual(['tls/www']);
  });

  const rejected: [string, unknown, string | undefined, string][] = [
    ['an unknown setting', { ...AWS, regoin: 'x' }, 'regoin', 'unknown setting "regoin". Check its spelling'],
    ['an unknown nested setting', { ...AWS, log: { file: '/var/log/x.log', level: 'debug' } }, 'log.level', 'unknown setting "log.level"'],
    ['a relative log file', { ...AWS, log: { file: 'hooks.log' } }, 'log.file', 'invalid "log.file" "hooks.log": use an absolute, normalized path'],
    ['a log path with dots', { ...AWS, log: { file: '/var/log/../x.log' } }, 'log.file', 'use an absolute, normalized path'],
    ['a relative offline folder', { offline: { directory: 'store' }, secret: 'x' }, 'offline.directory', 'invalid "offline.directory" "store"'],
    ['a relative credentials file', { ...AWS, credentials: { credentialsFile: '~/.aws/credentials' } }, 'credentials.credentialsFile', 'absolute'],
    ['a relative password file', { ...AWS, nginx: { passwordFile: 'run/passphrases' } }, 'nginx.passwordFile', 'absolute'],
    ['a missing region', { secret: 'x' }, 'region', 'missing "region": set it, for example to "eu-west-1"'],
    ['offline mixed with AWS', { offline: { directory: '/srv/store' }, region: 'eu-west-1' }, 'region', '"region" is an AWS setting, but "offline" is set'],
    ['a zero timeout', { ...AWS, timeout: 0 }, 'timeout', 'invalid "timeout" 0: expected a number of seconds from 0.1 to 300'],
    ['a timeout as text', { ...AWS, timeout: '10' }, 'timeout', 'invalid "timeout" "10"'],
    ['a server without port', { ...AWS, servers: { 'www.example.com': 'tls/www' } }, 'servers', 'invalid key "www.example.com" in "servers"'],
    ['an empty secret name', { ...AWS, servers: { 'www.example.com:443': '' } }, 'servers', 'keys and values must be non-empty strings'],
    ['an endpoint that is not a URL', { ...AWS, endpoint: '127.0.0.1:5000' }, 'endpoint', 'expected a URL'],
    ['credentials of an unknown kind', { ...AWS, credentials: 'environment' }, 'credentials', 'use "default" or an object'],
    ['a context with a number', { ...AWS, context: { build: 7 } }, 'context', 'invalid "context"'],
    ['no log destination', { ...AWS, log: { syslog: false } }, 'log.syslog', 'failures would be reported nowhere'],
    ['an empty nginx secret list', { ...AWS, nginx: { passwordFile: '/run/x/p', secrets: [] } }, 'nginx.secrets', 'expected a non-empty list'],
    ['nginx without any secret', { region: 'eu-west-1', nginx: { passwordFile: '/run/x/p' } }, 'nginx.secrets', 'missing "nginx.secrets"'],
    ['a list instead of an object', ['secret'], undefined, 'the file must contain a JSON object'],
  ];

  for (const [title, settings, setting, message] of rejected) {
    it(`rejects ${title}`, () => {
      const error = parseError(settings);

      expect(error).toBeInstanceOf(CredstashError);
      expect(error.code).toBe('ERR_HOOK_CONFIG');
      expect(error.setting).toBe(setting);
      expect(error.message).toContain(PATH);
      expect(error.message).toContain(message);
    });
  }

  it('rejects text that is not JSON', () => {
    expect(() => parseHookConfig('{ "region": ', PATH)).toThrow(/hooks\.json: the hook config file is not valid JSON/);
  });
});

describe('loadHookConfig', () => {
  let root: string;

  beforeEach(async () => {
    root = await makeWorkspace('config');
  });

  afterEach(async () => {
    await removeWorkspace(root);
  });

  it('reads a private file', async () => {
    const path = join(root, 'hooks.json');
    await writeFile(path, JSON.stringify(AWS), { mode: 0o600 });

    expect((await loadHookConfig(path)).secret).toBe('tls/www');
  });

  it('rejects a relative path', async () => {
    await expect(loadHookConfig('hooks.json')).rejects.toThrow('the hook config path must be absolute');
  });

  it('rejects a missing file', async () => {
    await expect(loadHookConfig(join(root, 'missing.json'))).rejects.toThrow(/cannot read the hook config file: .*ENOENT/);
  });

  it('rejects a file others can change', async () => {
    const path = join(root, 'hooks.json');
    await writeFile(path, JSON.stringify(AWS));
    await chmod(path, 0o666);

    await expect(loadHookConfig(path)).rejects.toThrow(`has mode 0666, which lets group or others change it. Run "chmod go-w ${path}"`);
  });

  it('reads a private credentials file', async () => {
    const path = join(root, 'hooks.json');
    const credentialsFile = join(root, 'aws-credentials');
    await writeFile(credentialsFile, '[hooks]\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = example\n', { mode: 0o600 });
    await writeFile(path, JSON.stringify({ ...AWS, credentials: { profile: 'hooks', credentialsFile } }), { mode: 0o600 });

    const config = await loadHookConfig(path);

    expect(config.store).toMatchObject({ credentials: { profile: 'hooks', credentialsFile } });
  });

  it('rejects a missing credentials file', async () => {
    const path = join(root, 'hooks.json');
    const credentialsFile = join(root, 'missing-credentials');
    await writeFile(path, JSON.stringify({ ...AWS, credentials: { profile: 'hooks', credentialsFile } }), { mode: 0o600 });

    const error = await loadHookConfig(path).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(HookConfigError);
    expect((error as HookConfigError).setting).toBe('credentials.credentialsFile');
    expect((error as Error).message).toMatch(/cannot read "credentials.credentialsFile" .*missing-credentials: Error: ENOENT/);
  });

  it('rejects a credentials file others can read', async () => {
    const path = join(root, 'hooks.json');
    const credentialsFile = join(root, 'aws-credentials');
    await writeFile(credentialsFile, '[hooks]\n');
    await chmod(credentialsFile, 0o644);
    await writeFile(path, JSON.stringify({ ...AWS, credentials: { profile: 'hooks', credentialsFile } }), { mode: 0o600 });

    await expect(loadHookConfig(path)).rejects.toThrow(
      `"credentials.credentialsFile" ${credentialsFile} has mode 0644, which lets group or others read or change it. Run "chmod 600 ${credentialsFile}".`,
    );
  });

  it('rejects an AWS config file others can change', async () => {
    const path = join(root, 'hooks.json');
    const configFile = join(root, 'aws-config');
    await writeFile(configFile, '[profile hooks]\nregion = eu-west-1\n');
    await chmod(configFile, 0o664);
    await writeFile(path, JSON.stringify({ ...AWS, credentials: { profile: 'hooks', configFile } }), { mode: 0o600 });

    await expect(loadHookConfig(path)).rejects.toThrow(`"credentials.configFile" ${configFile} has mode 0664, which lets group or others change it. Run "chmod go-w ${configFile}".`);
  });

  it('accepts a readable AWS config file', async () => {
    const path = join(root, 'hooks.json');
    const configFile = join(root, 'aws-config');
    await writeFile(configFile, '[profile hooks]\nregion = eu-west-1\n');
    await chmod(configFile, 0o644);
    await writeFile(path, JSON.stringify({ ...AWS, credentials: { profile: 'hooks', configFile } }), { mode: 0o600 });

    await expect(loadHookConfig(path)).resolves.toMatchObject({ secret: 'tls/www' });
  });
});
