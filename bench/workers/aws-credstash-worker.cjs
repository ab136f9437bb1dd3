// Benchmark worker for aws-credstash 3.0.1 (a fork of nodecredstash on the AWS SDK for
// JavaScript v2). Same line protocol as the other workers. aws-sdk v2 does not read
// AWS_ENDPOINT_URL, so the endpoint is passed as its `endpoint` option.
'use strict';

const { createInterface } = require('node:readline');

const createCredstash = require('aws-credstash');

const endpoint = process.env.BENCH_ENDPOINT;
if (endpoint === undefined || !endpoint.startsWith('http://127.0.0.1:')) {
  throw new Error('BENCH_ENDPOINT must be a moto server or proxy on 127.0.0.1');
}
const stores = new Map();

function storeFor(table) {
  let store = stores.get(table);
  if (store === undefined) {
    store = createCredstash({ table, awsOpts: { region: process.env.AWS_DEFAULT_REGION, endpoint } });
    stores.set(table, store);
  }
  return store;
}

async function timed(call) {
  const start = process.hrtime.bigint();
  const result = await call();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, result };
}

const operations = {
  async getAll({ table }) {
    const { ms, result } = await timed(() => storeFor(table).getAllSecrets({}));
    return { ms, count: Object.keys(result).length };
  },
  async get({ table, name }) {
    const { ms, result } = await timed(() => storeFor(table).getSecret({ name }));
    return { ms, length: result.length };
  },
  async list({ table }) {
    const { ms, result } = await timed(() => storeFor(table).listSecrets());
    return { ms, count: result.length, maxRssKiB: process.resourceUsage().maxRSS };
  },
};

(async () => {
  for await (const line of createInterface({ input: process.stdin })) {
    const command = JSON.parse(line);
    let result;
    try {
      const operation = operations[command.op];
      result = operation === undefined ? { error: `aws-credstash has no ${command.op} operation in this benchmark` } : await operation(command);
    } catch (error) {
      result = { error: `${error.name}: ${error.message}` };
    }
    process.stdout.write(`${JSON.stringify(result)}\n`);
  }
})();
