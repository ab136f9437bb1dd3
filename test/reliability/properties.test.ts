import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  Credstash,
  CredstashError,
  DIGESTS,
  FileTableProvider,
  InvalidArgumentError,
  LocalKeyProvider,
  MemoryTableProvider,
  type ItemAttributes,
} from '../../src/index.js';
import { recordFigure } from '../support/figures.js';
import { SingleItemTable } from '../support/single-item-table.js';

// Runs per property; fast-check reports the seed and the shrunk counterexample on failure.
const RUNS = 300;
const keyProvider = new LocalKeyProvider({ masterKey: randomBytes(32) });

const LONE_SURROGATE = fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code));
const CONTEXT_TEXT = fc.string({ unit: 'binary', minLength: 1, maxLength: 12 });

/** Runs `call` and returns how it ended: `"resolved"`, a CredstashError code, or the untyped error. */
async function outcomeOf(call: () => Promise<unknown>): Promise<{ kind: 'resolved'; value: unknown } | { kind: 'typed'; code: string } | { kind: 'untyped'; error: unknown }> {
  try {
    return { kind: 'resolved', value: await call() };
  } catch (error) {
    return error instanceof CredstashError ? { kind: 'typed', code: error.code } : { kind: 'untyped', error };
  }
}

describe('random secrets round-trip', () => {
  it('any Unicode text with any digest', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 300 }), fc.constantFrom(...DIGESTS), async (secret, digest) => {
        const credstash = new Credstash({ keyProvider, tableProvider: new MemoryTableProvider() });

        await credstash.putSecret('property/secret', secret, { digest });

        const read = await credstash.getSecret('property/secret');
        expect(Buffer.from(read, 'utf8').equals(Buffer.from(secret, 'utf8'))).toBe(true);
      }),
      { numRuns: RUNS },
    );
    recordFigure('properties', 'random Unicode secrets round-tripped (all digests)', RUNS);
  });

  it('any name, context and bindName', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: 'binary', minLength: 1, maxLength: 60 }),
        fc.dictionary(CONTEXT_TEXT, CONTEXT_TEXT, { maxKeys: 4 }),
        fc.boolean(),
        fc.string({ unit: 'grapheme', maxLength: 40 }),
        async (name, context, bindName, secret) => {
          fc.pre(!(bindName && Object.hasOwn(context, 'credstash_name')));
          const credstash = new Credstash({ keyProvider, tableProvider: new MemoryTableProvider(), bindName });

          await credstash.putSecret(name, secret, { context, autoVersion: true });

          expect(await credstash.getSecret(name, { context })).toBe(secret);
          expect(await credstash.getAllSecrets({ context })).toEqual({ [name]: secret });
        },
      ),
      { numRuns: RUNS },
    );
    recordFigure('properties', 'random names and contexts round-tripped', RUNS);
  });

  it('lone surrogates are rejected before writing', async () => {
    const table = new MemoryTableProvider();
    const credstash = new Credstash({ keyProvider, tableProvider: table });

    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 10 }), LONE_SURROGATE, fc.string({ maxLength: 10 }), fc.constantFrom('name', 'secret', 'context'), async (before, surrogate, after, where) => {
        fc.pre(!/[\uDC00-\uDFFF]/.test(after.slice(0, 1)) && !/[\uD800-\uDBFF]$/.test(before));
        const text = `${before}${surrogate}${after}`;
        const call =
          where === 'name'
            ? () => credstash.putSecret(text, 'x')
            : where === 'secret'
              ? () => credstash.putSecret('n', text)
              : () => credstash.putSecret('n', 'x', { context: { k: text } });

        const error = await call().catch((caught: unknown) => caught);

        expect(error).toBeInstanceOf(InvalidArgumentError);
        expect((error as InvalidArgumentError).argument).toBe(where);
      }),
      { numRuns: RUNS },
    );
    expect(await credstash.listSecrets()).toEqual([]);
  });
});

// Attribute values of every DynamoDB type, plus values no DynamoDB item could hold.
const ATTRIBUTE_VALUE = fc.oneof(
  fc.record({ S: fc.string({ maxLength: 40 }) }),
  fc.record({ S: fc.constantFrom('', '====', 'A', 'AB', 'ABC=', '!!!!', 'QQ==\n', 'Zm9v', 'SHA3', 'sha256', 'SHA256') }),
  fc.record({ B: fc.uint8Array({ maxLength: 80 }) }),
  fc.record({ N: fc.integer().map(String) }),
  fc.record({ BOOL: fc.boolean() }),
  fc.constant({ NULL: true }),
  fc.record({ L: fc.array(fc.record({ S: fc.string() }), { maxLength: 2 }) }),
  fc.record({ M: fc.constant({}) }),
  fc.record({ S: fc.oneof(fc.integer(), fc.constant(null), fc.uint8Array()) }),
  fc.record({ B: fc.oneof(fc.string(), fc.integer(), fc.constant(null)) }),
  fc.constantFrom(null, undefined, 0, 'S', [], true),
);

const ATTRIBUTES = ['name', 'version', 'key', 'contents', 'hmac', 'digest', 'comment'] as const;
const MUTATION = fc.oneof(
  fc.constant({ kind: 'keep' as const }),
  fc.constant({ kind: 'delete' as const }),
  fc.record({ kind: fc.constant('replace' as const), value: ATTRIBUTE_VALUE }),
  fc.record({ kind: fc.constant('truncate' as const), length: fc.nat({ max: 100 }) }),
);

describe('malformed items give typed errors', () => {
  const SECRET = 'property canary';
  let valid: ItemAttributes;
  const codes = new Map<string, number>();

  beforeAll(async () => {
    const table = new MemoryTableProvider();
    await new Credstash({ keyProvider, tableProvider: table }).putSecret('malformed', SECRET);
    valid = (await table.getItem('malformed', '0000000000000000001')) as ItemAttributes;
  });

  afterAll(() => {
    for (const [code, count] of codes) {
      recordFigure('properties', `malformed items: ${code}`, count);
    }
  });

  function mutate(mutations: readonly { kind: string; value?: unknown; length?: number }[]): ItemAttributes {
    const item: Record<string, unknown> = { ...valid };
    mutations.forEach((mutation, index) => {
      const attribute = ATTRIBUTES[index] as string;
      const current = item[attribute] as { S?: string; B?: Uint8Array } | undefined;
      if (mutation.kind === 'delete') {
        delete item[attribute];
      } else if (mutation.kind === 'replace') {
        item[attribute] = mutation.value;
      } else if (mutation.kind === 'truncate' && current?.S !== undefined) {
        item[attribute] = { S: current.S.slice(0, mutation.length) };
      } else if (mutation.kind === 'truncate' && current?.B !== undefined) {
        item[attribute] = { B: current.B.subarray(0, mutation.length) };
      }
    });
    return item;
  }

  function count(code: string): void {
    codes.set(code, (codes.get(code) ?? 0) + 1);
  }

  it('mutated items through every read', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(MUTATION, { minLength: ATTRIBUTES.length, maxLength: ATTRIBUTES.length }), async (mutations) => {
        const table = new SingleItemTable(mutate(mutations));
        const credstash = new Credstash({ keyProvider, tableProvider: table });

        const single = await outcomeOf(() => credstash.getSecret('malformed'));
        const all = await outcomeOf(() => credstash.getAllSecrets({ allowPartial: true }));
        const listed = await outcomeOf(() => credstash.listSecrets());

        expect(single.kind).not.toBe('untyped');
        expect(all.kind).not.toBe('untyped');
        expect(listed.kind).not.toBe('untyped');
        if (single.kind === 'resolved') {
          expect(single.value).toBe(SECRET);
        } else if (single.kind === 'typed') {
          count(single.code);
        }
        if (all.kind === 'resolved') {
          const { secrets, failures } = all.value as { secrets: Record<string, string>; failures: { error: unknown }[] };
          expect(Object.values(secrets).every((value) => value === SECRET)).toBe(true);
          expect(failures.every((failure) => failure.error instanceof CredstashError)).toBe(true);
        }
      }),
      { numRuns: RUNS * 3 },
    );
    recordFigure('properties', 'mutated items read by getSecret, getAllSecrets and listSecrets', RUNS * 3);
  });

  it('arbitrary objects through every read', async () => {
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.constantFrom(...ATTRIBUTES, 'extra'), fc.oneof(ATTRIBUTE_VALUE, fc.anything())), async (item) => {
        const credstash = new Credstash({ keyProvider, tableProvider: new SingleItemTable(item) });

        for (const call of [() => credstash.getSecret('malformed'), () => credstash.getAllSecrets({ allowPartial: true }), () => credstash.listSecrets()]) {
          const outcome = await outcomeOf(call);
          expect(outcome.kind).not.toBe('untyped');
        }
      }),
      { numRuns: RUNS },
    );
    recordFigure('properties', 'arbitrary objects read as items', RUNS);
  });
});

describe('damaged file tables give typed errors', () => {
  let folder: string;

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'credstash-properties-'));
  });

  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('random lines after the header', async () => {
    const header = JSON.stringify({ format: 'credstash-ts/file-table', version: 1 });
    let run = 0;

    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(fc.json(), fc.string(), fc.constant('{"name":{"S":"a"},"version":{"S":"1"},"hmac":{"B":"!!"}}')), { maxLength: 4 }), async (lines) => {
        run += 1;
        const path = join(folder, `table-${run}.jsonl`);
        await writeFile(path, `${header}\n${lines.join('\n')}\n`, { mode: 0o600 });
        const credstash = new Credstash({ keyProvider, tableProvider: new FileTableProvider({ path }) });

        for (const call of [
          () => credstash.getSecret('a'),
          () => credstash.getAllSecrets({ allowPartial: true }),
          () => credstash.listSecrets(),
          () => credstash.putSecret('b', 'value', { autoVersion: true }),
          () => credstash.deleteSecrets('a'),
        ]) {
          const outcome = await outcomeOf(call);
          expect(outcome.kind).not.toBe('untyped');
        }
      }),
      { numRuns: 100 },
    );
    recordFigure('properties', 'damaged file tables read and written', 100);
  });
});
