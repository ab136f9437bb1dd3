import { readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { DescribeTableCommand, DynamoDBClient, ListTagsOfResourceCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import { createKmsKey, TEST_CREDENTIALS } from '../support/moto.js';
import { uniqueTable } from '../interop/support/interop.js';
import { isolatedEnv, makeTempDir, motoEnv, runCli, runPython, type ProcessResult } from './support/processes.js';

// The global options that choose where requests go, against this run's moto server.

const endpoint = inject('motoEndpoint');
const python = inject('pythonCredstash');

describe.skipIf(endpoint === null)('AWS options', { timeout: 120_000 }, () => {
  const motoUrl = endpoint ?? '';
  const table = uniqueTable('aws-options');
  let home: { path: string; remove: () => Promise<void> };
  let key: string;

  function cli(args: readonly string[], extra: Record<string, string> = {}): Promise<ProcessResult> {
    return runCli(['-t', table, ...args], { env: motoEnv(motoUrl, home.path, extra) });
  }

  beforeAll(async () => {
    home = await makeTempDir('aws-options');
    key = await createKmsKey();
    const setup = await cli(['setup', '--tags', 'team=payments', 'cost-center=42']);
    expect(setup.status, setup.stderr).toBe(0);
    const put = await cli(['put', '-k', key, 'shared', 'value']);
    expect(put.status, put.stderr).toBe(0);
  });

  afterAll(async () => {
    await home?.remove();
  });

  it('setup tags the new table', async () => {
    const client = new DynamoDBClient({ endpoint: motoUrl, region: 'us-east-1', credentials: TEST_CREDENTIALS });
    const description = await client.send(new DescribeTableCommand({ TableName: table }));
    const tags = await client.send(new ListTagsOfResourceCommand({ ResourceArn: description.Table?.TableArn }));
    client.destroy();

    expect(Object.fromEntries((tags.Tags ?? []).map(({ Key, Value }) => [Key, Value]))).toEqual({ Name: 'credstash', team: 'payments', 'cost-center': '42' });
  });

  it('--endpoint-url works without AWS_ENDPOINT_URL', async () => {
    const env = isolatedEnv(home.path, { AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_DEFAULT_REGION: 'us-east-1' });

    const found = await runCli(['--endpoint-url', motoUrl, '-t', table, 'get', 'shared'], { env });
    const missing = await runCli(['--endpoint-url', motoUrl, '-t', `${table}-missing`, 'get', 'shared'], { env });

    expect(found.text).toBe('value\n');
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain(`table "${table}-missing" not found (DynamoDB at ${motoUrl}`);
  });

  it('falls back to us-east-1 like Python', async () => {
    const env = isolatedEnv(home.path, { AWS_ENDPOINT_URL: motoUrl, AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing' });

    const result = await runCli(['-t', table, 'get', 'shared'], { env });

    expect(result.status, result.stderr).toBe(0);
    expect(result.text).toBe('value\n');
  });

  it('takes the region from -r, then the profile', async () => {
    const config = join(home.path, 'profile-config');
    await writeFile(config, '[profile west]\nregion = eu-west-1\naws_access_key_id = testing\naws_secret_access_key = testing\n');
    const env = { AWS_CONFIG_FILE: config, AWS_DEFAULT_REGION: '' };

    const fromFlag = await cli(['-r', 'eu-west-2', 'get', 'shared']);
    const fromProfile = await cli(['-p', 'west', 'get', 'shared'], env);
    const flagWins = await cli(['-p', 'west', '-r', 'us-east-1', 'get', 'shared'], env);

    expect(fromFlag.status).toBe(1);
    expect(fromFlag.stderr).toContain('region eu-west-2');
    expect(fromProfile.status).toBe(1);
    expect(fromProfile.stderr).toContain('region eu-west-1');
    expect(flagWins.text).toBe('value\n');
  });

  describe('profiles', () => {
    let profileEnv: Record<string, string>;
    let marker: string;

    // The profile's credentials come from a credential_process that leaves a marker file,
    // so a test can tell whether the profile or the environment variables were used.
    beforeAll(async () => {
      marker = join(home.path, 'credential-process-ran');
      const script = join(home.path, 'credential-process.sh');
      await writeFile(script, `#!/bin/sh\ntouch '${marker}'\nprintf '{"Version": 1, "AccessKeyId": "testing", "SecretAccessKey": "testing"}'\n`, { mode: 0o755 });
      const config = join(home.path, 'process-config');
      await writeFile(config, `[profile process]\nregion = us-east-1\ncredential_process = ${script}\n`);
      profileEnv = { AWS_CONFIG_FILE: config };
    });

    async function markerExists(): Promise<boolean> {
      return stat(marker).then(
        () => true,
        () => false,
      );
    }

    it('-p uses the profile silently', async () => {
      await rm(marker, { force: true });

      const result = await cli(['-p', 'process', 'get', 'shared'], profileEnv);

      expect(result.status, result.stderr).toBe(0);
      expect(result.text).toBe('value\n');
      expect(result.stderr).toBe('');
      expect(await markerExists()).toBe(true);
    });

    it('AWS_PROFILE yields to key variables silently', async () => {
      await rm(marker, { force: true });

      const result = await cli(['get', 'shared'], { ...profileEnv, AWS_PROFILE: 'process' });

      expect(result.status, result.stderr).toBe(0);
      expect(result.text).toBe('value\n');
      expect(result.stderr).toBe('');
      expect(await markerExists()).toBe(false);
    });

    it.skipIf(python === null)('choose the same source as Python', async () => {
      const run = (args: readonly string[], extra: Record<string, string>) =>
        runPython(python ?? '', ['-t', table, ...args], { env: motoEnv(motoUrl, home.path, { ...profileEnv, ...extra }), cwd: home.path });
      await rm(marker, { force: true });
      const explicit = await run(['-p', 'process', 'get', 'shared'], {});
      const explicitRan = await markerExists();
      await rm(marker, { force: true });
      const fromEnvironment = await run(['get', 'shared'], { AWS_PROFILE: 'process' });

      expect(explicit.text).toBe('value\n');
      expect(explicitRan).toBe(true);
      expect(fromEnvironment.text).toBe('value\n');
      expect(await markerExists()).toBe(false);
    });

    it('a missing profile fails naming the files', async () => {
      const ours = await cli(['-p', 'nosuchprof', 'keys'], profileEnv);
      const fromEnvironment = await cli(['keys'], { ...profileEnv, AWS_PROFILE: 'nosuchprof' });

      expect(ours.status).toBe(1);
      expect(ours.stderr).toBe(
        `credstash-ts: the config profile (nosuchprof) could not be found in ${profileEnv['AWS_CONFIG_FILE']} or ${join(home.path, 'aws-credentials')}. ` +
          'Add it to one of these files, or pass a profile that exists to -p.\n',
      );
      expect(fromEnvironment.status).toBe(1);
      expect(fromEnvironment.stderr).toContain('the config profile (nosuchprof) named by AWS_PROFILE could not be found');
    });

    it.skipIf(python === null)('a missing profile fails in Python too', async () => {
      const result = await runPython(python ?? '', ['-t', table, '-p', 'nosuchprof', 'keys'], { env: motoEnv(motoUrl, home.path, profileEnv), cwd: home.path });

      expect(result.status).toBe(1);
      expect(result.stderr).toContain('The config profile (nosuchprof) could not be found');
    });
  });

  it('-n assumes the role through STS first', async () => {
    const assumed = await cli(['-n', 'arn:aws:iam::123456789012:role/credstash-reader', 'get', 'shared']);
    const unreachable = await cli(['-n', 'arn:aws:iam::123456789012:role/credstash-reader', 'get', 'shared'], { AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:9' });

    expect(assumed.status, assumed.stderr).toBe(0);
    expect(assumed.text).toBe('value\n');
    expect(unreachable.status).toBe(1);
    expect(unreachable.text).toBe('');
    expect(unreachable.stderr).toContain('cannot assume role arn:aws:iam::123456789012:role/credstash-reader');
  });

  describe('KMS region', () => {
    let westKey: string;

    beforeAll(async () => {
      westKey = await createKmsKey('us-west-2');
    });

    it('--kms-region sends KMS calls to another region', async () => {
      const wrongRegion = await cli(['put', '-k', westKey, 'west', 'w']);
      const put = await cli(['--kms-region', 'us-west-2', 'put', '-k', westKey, 'west', 'w']);
      const get = await cli(['--kms-region', 'us-west-2', 'get', 'west']);

      expect(wrongRegion.status).toBe(1);
      expect(wrongRegion.stderr).toContain('KMS GenerateDataKey');
      expect(put.status, put.stderr).toBe(0);
      expect(get.text).toBe('w\n');
    });

    it('setup --save-kms-region keeps it for later commands', async () => {
      const savedHome = await makeTempDir('kms-region');
      const env = motoEnv(motoUrl, savedHome.path);

      const setup = await runCli(['-t', table, 'setup', '--save-kms-region', 'us-west-2'], { env });
      const put = await runCli(['-t', table, 'put', '-k', westKey, 'saved-region', 's'], { env });
      const config = JSON.parse(await readFile(join(savedHome.path, '.credstash'), 'utf8')) as unknown;
      await savedHome.remove();

      expect(setup.text).toBe('KMS region set to us-west-2\nCredential Store table already exists\n');
      expect(config).toEqual({ 'kms-region': 'us-west-2' });
      expect(put.status, put.stderr).toBe(0);
    });

    it.skipIf(python === null)('shares ~/.credstash with Python credstash', async () => {
      const sharedHome = await makeTempDir('kms-region-shared');
      const env = motoEnv(motoUrl, sharedHome.path);

      const pythonSetup = await runPython(python ?? '', ['-t', table, 'setup', '--save-kms-region', 'us-west-2'], { env, cwd: sharedHome.path });
      const ours = await runCli(['-t', table, 'put', '-k', westKey, 'python-saved-region', 'p'], { env });
      const pythonGet = await runPython(python ?? '', ['-t', table, 'get', 'python-saved-region'], { env, cwd: sharedHome.path });
      await sharedHome.remove();

      expect(pythonSetup.status, pythonSetup.stderr).toBe(0);
      expect(ours.status, ours.stderr).toBe(0);
      expect(pythonGet.text).toBe('p\n');
    });

    it('rejects a damaged ~/.credstash', async () => {
      const damagedHome = await makeTempDir('kms-region-damaged');
      await writeFile(join(damagedHome.path, '.credstash'), '{not json');

      const result = await runCli(['-t', table, 'get', 'shared'], { env: motoEnv(motoUrl, damagedHome.path) });
      await damagedHome.remove();

      expect(result.status).toBe(1);
      expect(result.stderr).toContain('.credstash is not a JSON object');
    });
  });
});
