import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import type { Credstash } from '../../src/index.js';
import { runProcess, makeTempDir, motoEnv } from '../cli/support/processes.js';
import { credstashAt } from '../support/aws-clients.js';
import { FaultProxy } from '../support/fault-proxy.js';
import { createMotoCredstash, motoEndpoint } from '../support/moto.js';

// AWS requests per operation, counted by the proxy from each request's X-Amz-Target header.
// The counts are exact, unlike timings, which only the benchmarks in bench/ measure.
const endpoint = motoEndpoint();
const python = inject('pythonCredstash');
if (endpoint === null) {
  console.warn('*** SKIPPING request-count tests: moto is not installed ***');
}

const NAMES = Array.from({ length: 25 }, (_, index) => `counted-${String(index).padStart(2, '0')}`);

// Runs one call of the Python credstash library through the proxy and prints nothing.
const PYTHON_CALL = `
import sys
import credstash
table, call = sys.argv[1], sys.argv[2]
if call == "getSecret":
    credstash.getSecret(sys.argv[3], region="us-east-1", table=table)
else:
    credstash.getAllSecrets(region="us-east-1", table=table)
`;

describe.skipIf(endpoint === null)('AWS requests per operation', () => {
  let proxy: FaultProxy;
  let credstash: Credstash;
  let table: string;

  beforeAll(async () => {
    const created = await createMotoCredstash();
    table = created.table;
    // Two versions of every name, stored straight to moto so that they are not counted.
    for (const name of NAMES) {
      await created.credstash.putSecret(name, `${name}-1`, { version: 1 });
      await created.credstash.putSecret(name, `${name}-2`, { version: 2 });
    }
    proxy = await FaultProxy.start(endpoint as string);
    credstash = credstashAt(proxy.url, { table, alias: created.alias });
  });

  afterAll(async () => {
    await proxy?.close();
  });

  it('getSecret sends one Query and one Decrypt', async () => {
    proxy.resetCounts();

    expect(await credstash.getSecret('counted-07')).toBe('counted-07-2');
    expect(proxy.counts().requests).toEqual({ 'DynamoDB.Query': 1, 'KMS.Decrypt': 1 });
  });

  it('getSecret of a version sends one GetItem and one Decrypt', async () => {
    proxy.resetCounts();

    expect(await credstash.getSecret('counted-07', { version: 1 })).toBe('counted-07-1');
    expect(proxy.counts().requests).toEqual({ 'DynamoDB.GetItem': 1, 'KMS.Decrypt': 1 });
  });

  it('getAllSecrets sends one Scan and one Decrypt per name', async () => {
    proxy.resetCounts();

    const secrets = await credstash.getAllSecrets();

    expect(Object.keys(secrets)).toHaveLength(NAMES.length);
    expect(proxy.counts().requests).toEqual({ 'DynamoDB.Scan': 1, 'KMS.Decrypt': NAMES.length });
  });

  it('getAllSecrets sends one Scan per page', async () => {
    let pages = 0;
    for await (const _page of credstash.paginateSecrets({ pageSize: 10 })) {
      pages += 1;
    }
    proxy.resetCounts();

    await credstash.getAllSecrets({ pageSize: 10 });

    // 50 items in pages of 10; DynamoDB and moto may end with one empty page.
    expect(pages).toBeGreaterThanOrEqual(5);
    expect(proxy.counts().requests).toEqual({ 'DynamoDB.Scan': pages, 'KMS.Decrypt': NAMES.length });
  });

  it('getAllSecrets reuses keep-alive connections', async () => {
    await credstash.getAllSecrets();
    proxy.resetCounts();

    await credstash.getAllSecrets();

    const { requests, connections } = proxy.counts();
    const sent = Object.values(requests).reduce((sum, count) => sum + count, 0);
    expect(sent).toBe(NAMES.length + 1);
    expect(connections).toBeLessThan(sent);
  });

  describe.skipIf(python === null)('Python credstash 1.17.1 for comparison', () => {
    async function countPythonCall(args: readonly string[]): Promise<Readonly<Record<string, number>>> {
      const home = await makeTempDir('request-counts');
      try {
        proxy.resetCounts();
        const result = await runProcess(python as string, ['-c', PYTHON_CALL, table, ...args], { env: motoEnv(proxy.url, home.path), cwd: home.path });
        expect(result.stderr).toBe('');
        expect(result.status).toBe(0);
        return proxy.counts().requests;
      } finally {
        await home.remove();
      }
    }

    it('getSecret sends one Query and one Decrypt', async () => {
      expect(await countPythonCall(['getSecret', 'counted-07'])).toEqual({ 'DynamoDB.Query': 1, 'KMS.Decrypt': 1 });
    });

    it('getAllSecrets sends 2N+1 requests', async () => {
      expect(await countPythonCall(['getAllSecrets'])).toEqual({ 'DynamoDB.Scan': 1, 'DynamoDB.Query': NAMES.length, 'KMS.Decrypt': NAMES.length });
    });
  });
});
