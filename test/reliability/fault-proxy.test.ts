import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { TableProviderError } from '../../src/index.js';
import { credstashAt } from '../support/aws-clients.js';
import { FaultProxy } from '../support/fault-proxy.js';
import { createMotoCredstash, motoEndpoint } from '../support/moto.js';

const endpoint = motoEndpoint();
if (endpoint === null) {
  console.warn('*** SKIPPING fault proxy tests: moto is not installed ***');
}

describe.skipIf(endpoint === null)('fault proxy', () => {
  let proxy: FaultProxy;
  let names: { table: string; alias: string };

  beforeAll(async () => {
    const { table, alias } = await createMotoCredstash();
    names = { table, alias };
    proxy = await FaultProxy.start(endpoint as string);
  });

  afterAll(async () => {
    await proxy?.close();
  });

  it('counts requests per operation', async () => {
    const credstash = credstashAt(proxy.url, names);
    proxy.resetCounts();

    await credstash.putSecret('proxy/count', 'value', { version: 1 });
    await credstash.getSecret('proxy/count');
    await credstash.getSecret('proxy/count', { version: 1 });

    expect(proxy.counts().requests).toEqual({
      'KMS.GenerateDataKey': 1,
      'DynamoDB.PutItem': 1,
      'DynamoDB.Query': 1,
      'DynamoDB.GetItem': 1,
      'KMS.Decrypt': 2,
    });
    expect(proxy.counts().totalFaults).toBe(0);
    expect(proxy.counts().retries).toBe(0);
  });

  it('counts scripted faults and retries', async () => {
    const credstash = credstashAt(proxy.url, names);
    proxy.resetCounts();
    proxy.script('DynamoDB.Query', 'throttle', 'http503');

    await credstash.getSecret('proxy/count');

    expect(proxy.counts().requests['DynamoDB.Query']).toBe(3);
    expect(proxy.counts().retries).toBe(2);
    expect(proxy.counts().faults).toEqual({ throttle: { 'DynamoDB.Query': 1 }, http503: { 'DynamoDB.Query': 1 } });
  });

  it('adds the fixed delay to every request', async () => {
    const credstash = credstashAt(proxy.url, names, { maxAttempts: 1, requestTimeout: 200 });
    proxy.configure({ fixedDelayMs: 600 });

    try {
      // The delay is longer than the request timeout, so the request must time out.
      await expect(credstash.listSecrets()).rejects.toThrow(TableProviderError);
    } finally {
      proxy.configure({ fixedDelayMs: 0 });
    }
    await expect(credstash.listSecrets()).resolves.toContainEqual({ name: 'proxy/count', version: '0000000000000000001', comment: undefined });
  });

  it('forwards only to this host', async () => {
    await expect(FaultProxy.start('http://192.0.2.1:4566')).rejects.toThrow('only forwards to a server on this host');
  });
});
