// Benchmark worker for credstash-ts, loading the built package from dist/ as users do.
// Reads one JSON command per line on standard input and writes one JSON result per line,
// timing each operation inside this process. One Credstash per table serves every call,
// as in a long-running service; the AWS SDK reads AWS_ENDPOINT_URL, which the harness
// points at a moto server or proxy on 127.0.0.1.
import { createCipheriv, createDecipheriv, createHmac, timingSafeEqual } from 'node:crypto';
import { createInterface } from 'node:readline';

import { Credstash } from '../../dist/index.js';
import { fixedKey, fixedKeys } from './fixed-keys.mjs';

const stores = new Map();

function storeFor(table) {
  let store = stores.get(table);
  if (store === undefined) {
    store = new Credstash({ table });
    stores.set(table, store);
  }
  return store;
}

async function timed(call) {
  const start = process.hrtime.bigint();
  const result = await call();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, result };
}

// Table provider that keeps the last item put and returns it for every read, so that the
// seal and open loops measure no table work.
function singleItemTable() {
  let stored;
  return {
    tableName: 'single-item',
    async createTable() {
      return 'exists';
    },
    async putItem(item) {
      stored = item;
      return 'created';
    },
    async getItem() {
      return stored;
    },
    async getLatestItem() {
      return stored;
    },
    async *queryVersions() {},
    async *scanItems() {},
    async deleteItem() {
      return 'deleted';
    },
  };
}

// The node:crypto calls that any credstash implementation on Node.js makes for one secret,
// with nothing else: the lower bound of seal and open here.
const COUNTER = Buffer.from('00000000000000000000000000000001', 'hex');
function sealFloor(plaintext, key) {
  const cipher = createCipheriv('aes-256-ctr', key.subarray(0, 32), COUNTER);
  const ciphertext = cipher.update(plaintext);
  cipher.final();
  const hmac = createHmac('sha256', key.subarray(32)).update(ciphertext).digest('hex');
  return { contents: ciphertext.toString('base64'), hmac };
}
function openFloor(sealed, key) {
  const ciphertext = Buffer.from(sealed.contents, 'base64');
  const expected = Buffer.from(createHmac('sha256', key.subarray(32)).update(ciphertext).digest('hex'), 'latin1');
  if (!timingSafeEqual(expected, Buffer.from(sealed.hmac, 'latin1'))) {
    throw new Error('HMAC mismatch');
  }
  const decipher = createDecipheriv('aes-256-ctr', key.subarray(0, 32), COUNTER);
  const plaintext = decipher.update(ciphertext);
  decipher.final();
  return plaintext.toString('utf8');
}

const operations = {
  async cryptoFloor({ size, iterations, mode }) {
    const key = Buffer.from(fixedKey);
    const plaintext = Buffer.from('s'.repeat(size), 'utf8');
    const sealed = sealFloor(plaintext, key);
    const start = process.hrtime.bigint();
    for (let index = 0; index < iterations; index += 1) {
      if (mode === 'seal') {
        sealFloor(plaintext, key);
      } else {
        openFloor(sealed, key);
      }
    }
    return { usPerOp: Number(process.hrtime.bigint() - start) / 1e3 / iterations };
  },
  async getAll({ table, concurrency }) {
    const { ms, result } = await timed(() => storeFor(table).getAllSecrets(concurrency === undefined ? {} : { concurrency }));
    return { ms, count: Object.keys(result).length };
  },
  async get({ table, name }) {
    const { ms, result } = await timed(() => storeFor(table).getSecret(name));
    return { ms, length: result.length };
  },
  async scanAll({ table }) {
    let count = 0;
    const { ms } = await timed(async () => {
      for await (const page of storeFor(table).tableProvider.scanItems({ attributes: 'all' })) {
        count += page.items.length;
      }
    });
    return { ms, count };
  },
  async list({ table }) {
    const { ms, result } = await timed(() => storeFor(table).listSecrets());
    return { ms, count: result.length, maxRssKiB: process.resourceUsage().maxRSS };
  },
  async fill({ table, prefix, start, count, value, concurrency = 16 }) {
    const store = storeFor(table);
    let next = start;
    const end = start + count;
    async function worker() {
      while (next < end) {
        const index = next;
        next += 1;
        await store.putSecret(`${prefix}${String(index).padStart(5, '0')}`, value, { version: 1 });
      }
    }
    await Promise.all(Array.from({ length: concurrency }, worker));
    return { stored: count };
  },
  async sealOpen({ size, iterations, mode }) {
    const store = new Credstash({ keyProvider: fixedKeys, tableProvider: singleItemTable() });
    const secret = 's'.repeat(size);
    await store.putSecret('bench', secret);
    const start = process.hrtime.bigint();
    if (mode === 'seal') {
      for (let index = 0; index < iterations; index += 1) {
        await store.putSecret('bench', secret);
      }
    } else {
      for (let index = 0; index < iterations; index += 1) {
        await store.getSecret('bench');
      }
    }
    return { usPerOp: Number(process.hrtime.bigint() - start) / 1e3 / iterations };
  },
};

for await (const line of createInterface({ input: process.stdin })) {
  const command = JSON.parse(line);
  let result;
  try {
    result = await operations[command.op](command);
  } catch (error) {
    result = { error: `${error.name}: ${error.message}` };
  }
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
