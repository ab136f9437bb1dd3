import { randomBytes } from 'node:crypto';

import { DynamoDBClient, GetItemCommand, PutItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  Credstash,
  CredstashError,
  DIGESTS,
  LocalKeyProvider,
  MemoryTableProvider,
  type Digest,
  type ItemAttributes,
} from '../../src/index.js';
import { credstashAt } from '../support/aws-clients.js';
import { recordFigure } from '../support/figures.js';
import { createMotoCredstash, motoEndpoint, TEST_CREDENTIALS } from '../support/moto.js';
import { SingleItemTable } from '../support/single-item-table.js';

const NAME = 'tamper/target';
const SECRET = 'tamper canary: Grüße 🔐 0123456789';
// Codes a changed item may produce. Anything else, a resolved read included, fails the test.
const DETECTED = new Set(['ERR_INTEGRITY', 'ERR_INVALID_ITEM', 'ERR_KEY_PROVIDER', 'ERR_ENCRYPTION_CONTEXT']);

/** Outcome of reading a changed item: an error code, `"plaintext"`, or `"untyped"`. */
async function readOutcome(credstash: Credstash): Promise<string> {
  try {
    const value = await credstash.getSecret(NAME);
    return value === SECRET ? 'plaintext' : 'wrong plaintext';
  } catch (error) {
    if (!(error instanceof CredstashError)) {
      return 'untyped';
    }
    if (error.message.includes(SECRET)) {
      return 'secret in message';
    }
    return error.code;
  }
}

/** Yields every string that differs from `text` in exactly one character, over the 256 Latin-1 values. */
function* textChanges(text: string): Generator<string> {
  for (let index = 0; index < text.length; index += 1) {
    for (let code = 0; code < 256; code += 1) {
      if (code !== text.charCodeAt(index)) {
        yield text.slice(0, index) + String.fromCharCode(code) + text.slice(index + 1);
      }
    }
  }
}

/** Yields every byte array that differs from `bytes` in exactly one byte. */
function* byteChanges(bytes: Uint8Array): Generator<Uint8Array> {
  for (let index = 0; index < bytes.length; index += 1) {
    for (let value = 0; value < 256; value += 1) {
      if (value !== bytes[index]) {
        const changed = Uint8Array.from(bytes);
        changed[index] = value;
        yield changed;
      }
    }
  }
}

// A hex letter in another case is the same HMAC: readers accept both cases, as credstash
// items written by Python 2 may use either.
function isHexCaseChange(original: Uint8Array, changed: Uint8Array): boolean {
  for (let index = 0; index < original.length; index += 1) {
    if (original[index] !== changed[index]) {
      const before = String.fromCharCode(original[index] as number);
      const after = String.fromCharCode(changed[index] as number);
      return /^[a-f]$/i.test(before) && before !== after && before.toLowerCase() === after.toLowerCase();
    }
  }
  return false;
}

class Tally {
  readonly outcomes = new Map<string, number>();
  cases = 0;

  add(outcome: string): void {
    this.outcomes.set(outcome, (this.outcomes.get(outcome) ?? 0) + 1);
    this.cases += 1;
  }

  undetected(): string[] {
    return [...this.outcomes.keys()].filter((outcome) => !DETECTED.has(outcome));
  }
}

async function sealedItem(digest: Digest): Promise<{ item: ItemAttributes; keyProvider: LocalKeyProvider }> {
  const keyProvider = new LocalKeyProvider({ masterKey: randomBytes(32) });
  const table = new MemoryTableProvider();
  await new Credstash({ keyProvider, tableProvider: table }).putSecret(NAME, SECRET, { digest });
  return { item: (await table.getItem(NAME, '0000000000000000001')) as ItemAttributes, keyProvider };
}

function withAttribute(item: ItemAttributes, attribute: string, value: unknown): ItemAttributes {
  return { ...item, [attribute]: value };
}

describe('every single-byte change is detected', () => {
  const totals = new Map<string, Tally>();

  afterAll(() => {
    for (const [what, tally] of totals) {
      recordFigure('tampering', `${what}: cases`, tally.cases);
      for (const [outcome, count] of tally.outcomes) {
        recordFigure('tampering', `${what}: ${outcome}`, count);
      }
    }
  });

  for (const digest of DIGESTS) {
    it(`contents and hmac with ${digest}`, { timeout: 60_000 }, async () => {
      const { item, keyProvider } = await sealedItem(digest);
      const table = new SingleItemTable(item);
      const credstash = new Credstash({ keyProvider, tableProvider: table });
      expect(await readOutcome(credstash)).toBe('plaintext');

      const contentsText = new Tally();
      for (const changed of textChanges((item['contents'] as { S: string }).S)) {
        table.item = withAttribute(item, 'contents', { S: changed });
        contentsText.add(await readOutcome(credstash));
      }
      const ciphertext = new Tally();
      for (const changed of byteChanges(Buffer.from((item['contents'] as { S: string }).S, 'base64'))) {
        table.item = withAttribute(item, 'contents', { S: Buffer.from(changed).toString('base64') });
        ciphertext.add(await readOutcome(credstash));
      }
      const hmac = new Tally();
      const equivalent = new Tally();
      const storedHmac = (item['hmac'] as { B: Uint8Array }).B;
      for (const changed of byteChanges(storedHmac)) {
        table.item = withAttribute(item, 'hmac', { B: changed });
        (isHexCaseChange(storedHmac, changed) ? equivalent : hmac).add(await readOutcome(credstash));
      }

      expect(contentsText.undetected()).toEqual([]);
      expect(ciphertext.undetected()).toEqual([]);
      expect([...ciphertext.outcomes.keys()]).toEqual(['ERR_INTEGRITY']);
      expect(hmac.undetected()).toEqual([]);
      expect([...hmac.outcomes.keys()]).toEqual(['ERR_INTEGRITY']);
      expect([...equivalent.outcomes.keys()]).toEqual(['plaintext']);
      expect(equivalent.cases).toBe([...Buffer.from(storedHmac).toString('latin1')].filter((char) => /[a-f]/.test(char)).length);

      for (const [what, tally] of [
        ['contents text', contentsText],
        ['ciphertext bytes', ciphertext],
        ['hmac bytes', hmac],
        ['hmac hex letters in the other case (same value, accepted)', equivalent],
      ] as const) {
        const total = totals.get(what) ?? new Tally();
        for (const [outcome, count] of tally.outcomes) {
          total.outcomes.set(outcome, (total.outcomes.get(outcome) ?? 0) + count);
        }
        total.cases += tally.cases;
        totals.set(what, total);
      }
    });
  }

  it('wrapped key with the local key provider', { timeout: 60_000 }, async () => {
    const { item, keyProvider } = await sealedItem('SHA256');
    const table = new SingleItemTable(item);
    const credstash = new Credstash({ keyProvider, tableProvider: table });

    const keyText = new Tally();
    for (const changed of textChanges((item['key'] as { S: string }).S)) {
      table.item = withAttribute(item, 'key', { S: changed });
      keyText.add(await readOutcome(credstash));
    }
    const keyBytes = new Tally();
    for (const changed of byteChanges(Buffer.from((item['key'] as { S: string }).S, 'base64'))) {
      table.item = withAttribute(item, 'key', { S: Buffer.from(changed).toString('base64') });
      keyBytes.add(await readOutcome(credstash));
    }

    expect(keyText.undetected()).toEqual([]);
    expect(keyBytes.undetected()).toEqual([]);
    totals.set('wrapped key text (local keys)', keyText);
    totals.set('wrapped key bytes (local keys)', keyBytes);
  });

  it('digest, truncation and extension', async () => {
    const { item, keyProvider } = await sealedItem('SHA256');
    const table = new SingleItemTable(item);
    const credstash = new Credstash({ keyProvider, tableProvider: table });
    const storedHmac = (item['hmac'] as { B: Uint8Array }).B;
    const tally = new Tally();

    const cases: ItemAttributes[] = [
      ...DIGESTS.filter((digest) => digest !== 'SHA256').map((digest) => withAttribute(item, 'digest', { S: digest })),
      withAttribute(item, 'digest', { S: 'sha256' }),
      withAttribute(item, 'digest', { S: 'SHA3' }),
      withAttribute(item, 'hmac', { B: storedHmac.subarray(0, storedHmac.length - 1) }),
      withAttribute(item, 'hmac', { B: storedHmac.subarray(0, 32) }),
      withAttribute(item, 'hmac', { B: new Uint8Array(0) }),
      withAttribute(item, 'hmac', { B: Buffer.concat([storedHmac, Buffer.from('0')]) }),
      withAttribute(item, 'contents', { S: (item['contents'] as { S: string }).S.slice(0, -4) }),
      withAttribute(item, 'contents', { S: '' }),
      withAttribute(item, 'key', { S: (item['key'] as { S: string }).S.slice(0, -4) }),
    ];
    for (const changed of cases) {
      table.item = changed;
      tally.add(await readOutcome(credstash));
    }

    expect(tally.undetected()).toEqual([]);
    expect(tally.cases).toBe(cases.length);
    totals.set('digest changed, hmac or contents truncated or extended', tally);
  });
});

describe('items from the wrong place', () => {
  it('another name from the provider is rejected', async () => {
    const { item, keyProvider } = await sealedItem('SHA256');
    const credstash = new Credstash({ keyProvider, tableProvider: new SingleItemTable(item) });

    const error = await credstash.getSecret('tamper/other').catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(CredstashError);
    expect((error as CredstashError).code).toBe('ERR_INVALID_ITEM');
    expect((error as Error).message).not.toContain(SECRET);
  });

  it('another version from the provider is rejected', async () => {
    const { item, keyProvider } = await sealedItem('SHA256');
    const credstash = new Credstash({ keyProvider, tableProvider: new SingleItemTable(item) });

    const error = await credstash.getSecret(NAME, { version: 2 }).catch((caught: unknown) => caught);

    expect((error as CredstashError).code).toBe('ERR_INVALID_ITEM');
    expect(await credstash.getSecret(NAME, { version: 1 })).toBe(SECRET);
  });
});

const endpoint = motoEndpoint();
if (endpoint === null) {
  console.warn('*** SKIPPING tampering tests on moto: moto is not installed ***');
}

describe.skipIf(endpoint === null)('tampering with items on DynamoDB and KMS (moto)', () => {
  let names: { table: string; alias: string };
  let dynamodb: DynamoDBClient;
  let credstash: Credstash;
  let original: Record<string, AttributeValue>;

  beforeAll(async () => {
    const { table, alias } = await createMotoCredstash();
    names = { table, alias };
    dynamodb = new DynamoDBClient({ endpoint: endpoint as string, region: 'us-east-1', credentials: TEST_CREDENTIALS });
    credstash = credstashAt(endpoint as string, names);
    await credstash.putSecret(NAME, SECRET);
    const read = await dynamodb.send(new GetItemCommand({ TableName: table, Key: { name: { S: NAME }, version: { S: '0000000000000000001' } } }));
    original = read.Item as Record<string, AttributeValue>;
  });

  afterAll(() => {
    dynamodb?.destroy();
  });

  async function store(item: Record<string, unknown>): Promise<void> {
    await dynamodb.send(new PutItemCommand({ TableName: names.table, Item: item as Record<string, AttributeValue> }));
  }

  it('every byte of the KMS blob', { timeout: 120_000 }, async () => {
    const blob = Buffer.from((original['key'] as { S: string }).S, 'base64');
    const tally = new Tally();

    // One change per byte (its bits inverted), since each read is a KMS Decrypt call.
    for (let index = 0; index < blob.length; index += 1) {
      const changed = Buffer.from(blob);
      changed[index] = (changed[index] as number) ^ 0xff;
      await store({ ...original, key: { S: changed.toString('base64') } });
      tally.add(await readOutcome(credstash));
    }
    await store(original);

    expect(tally.undetected()).toEqual([]);
    expect(tally.cases).toBe(blob.length);
    expect(await credstash.getSecret(NAME)).toBe(SECRET);
    for (const [outcome, count] of tally.outcomes) {
      recordFigure('tampering', `KMS blob bytes on moto (one change per byte): ${outcome}`, count);
    }
    recordFigure('tampering', 'KMS blob bytes on moto (one change per byte): cases', tally.cases);
  });

  it('contents and hmac stored in DynamoDB', { timeout: 60_000 }, async () => {
    const ciphertext = Buffer.from((original['contents'] as { S: string }).S, 'base64');
    const hmac = Buffer.from((original['hmac'] as { B: Uint8Array }).B);
    const tally = new Tally();

    for (let index = 0; index < ciphertext.length; index += 1) {
      const changed = Buffer.from(ciphertext);
      changed[index] = (changed[index] as number) ^ 0x01;
      await store({ ...original, contents: { S: changed.toString('base64') } });
      tally.add(await readOutcome(credstash));
    }
    for (const index of [0, hmac.length - 1]) {
      const changed = Buffer.from(hmac);
      changed[index] = changed[index] === 0x30 ? 0x31 : 0x30;
      await store({ ...original, hmac: { B: changed } });
      tally.add(await readOutcome(credstash));
    }
    await store(original);

    expect([...tally.outcomes.keys()]).toEqual(['ERR_INTEGRITY']);
    expect(await credstash.getSecret(NAME)).toBe(SECRET);
    recordFigure('tampering', 'contents and hmac bytes on moto: ERR_INTEGRITY', tally.outcomes.get('ERR_INTEGRITY') ?? 0);
  });
});
