import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';

import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

import {
  Credstash,
  CredstashError,
  FileTableProvider,
  InsecureKeyFileError,
  LocalKeyProvider,
  MemoryTableProvider,
  offlineProviders,
  type CredstashItem,
  type ItemAttributes,
  type KeyProvider,
} from '../../src/index.js';
import { concatAndZero, sealContents } from '../../src/format/envelope.js';
import { credstashAt } from '../support/aws-clients.js';
import { CountingKeyProvider } from '../support/counting-providers.js';
import { FaultProxy } from '../support/fault-proxy.js';
import { recordFigure } from '../support/figures.js';
import { createMotoCredstash, motoEndpoint } from '../support/moto.js';
import { SingleItemTable } from '../support/single-item-table.js';

// A fixed canary keeps the snapshot below stable, so a leak into it would be committed where
// the scan finds it. A random canary guards the in-memory scans against a lucky match.
const CANARY = 'canary-secret-5b1d0e7f-hygiene';
const RANDOM_CANARY = `canary-${randomBytes(12).toString('hex')}`;
const TEST_FOLDER = new URL('..', import.meta.url);

/** Returns every text form in which a secret or key might leak. */
function forms(bytes: Uint8Array): string[] {
  const buffer = Buffer.from(bytes);
  return [buffer.toString('hex'), buffer.toString('base64'), buffer.toString('latin1')].filter((form) => form.length >= 8);
}

/** Renders a value every way a caller might print or serialize it. */
function renderings(value: unknown): string[] {
  const results = [inspect(value, { depth: 8, showHidden: true, getters: true }), String(value)];
  try {
    results.push(JSON.stringify(value) ?? '');
  } catch {
    // Circular values cannot be serialized; inspect above covers them.
  }
  if (value instanceof Error) {
    results.push(value.message, value.stack ?? '');
    let cause = value.cause;
    for (let depth = 0; depth < 5 && cause !== undefined; depth += 1) {
      results.push(...renderings(cause));
      cause = cause instanceof Error ? cause.cause : undefined;
    }
  }
  return results;
}

// Values are rendered only when scanned, so that inspecting them (whose getters may emit
// Node.js deprecation warnings) happens outside the window in which output is recorded.
class LeakScanner {
  readonly #needles = new Map<string, string>();
  readonly #values: { label: string; value: unknown }[] = [];

  watch(label: string, bytes: Uint8Array): void {
    for (const form of forms(bytes)) {
      this.#needles.set(form, label);
    }
  }

  add(label: string, value: unknown): void {
    this.#values.push({ label, value });
  }

  get surfaces(): { label: string; text: string }[] {
    return this.#values.flatMap(({ label, value }) => renderings(value).map((text) => ({ label, text })));
  }

  leaks(): string[] {
    const found: string[] = [];
    for (const { label, text } of this.surfaces) {
      for (const [needle, what] of this.#needles) {
        if (text.includes(needle)) {
          found.push(`${what} in ${label}`);
        }
      }
    }
    return found;
  }
}

async function caught(call: () => unknown): Promise<unknown> {
  try {
    await call();
  } catch (error) {
    return error;
  }
  throw new Error('the call was expected to fail');
}

describe('secrets and keys never leak', () => {
  const scanner = new LeakScanner();
  const masterKey = randomBytes(32);
  let keys: CountingKeyProvider;
  let credstash: Credstash;
  let table: MemoryTableProvider;
  let folder: string;
  const output: string[] = [];

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'credstash-hygiene-'));
    for (const canary of [CANARY, RANDOM_CANARY]) {
      scanner.watch('the canary secret', Buffer.from(canary));
    }
    scanner.watch('the master key', masterKey);
    keys = new CountingKeyProvider(new LocalKeyProvider({ masterKey }));
    table = new MemoryTableProvider();
    credstash = new Credstash({ keyProvider: keys, tableProvider: table });
  });

  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('errors, results and objects contain no secret', async () => {
    const print = spyOnOutput(output);
    const cwd = process.cwd();
    process.chdir(folder);
    try {
      await exerciseStore(scanner, credstash, table, keys);
    } finally {
      process.chdir(cwd);
      print.restore();
    }

    for (const key of keys.copies) {
      scanner.watch('a data key', key);
    }
    expect(keys.copies.length).toBeGreaterThan(5);
    expect(scanner.leaks()).toEqual([]);
    expect(output).toEqual([]);
    expect(await readdir(folder)).toEqual([]);
    recordFigure('hygiene', 'surfaces scanned (messages, stacks, inspect, JSON, causes)', scanner.surfaces.length);
    recordFigure('hygiene', 'data keys watched for', keys.copies.length);
    recordFigure('hygiene', 'secrets, data keys or master keys found', scanner.leaks().length);
    recordFigure('hygiene', 'lines printed by the library', output.length);
  });

  it('scanner finds a planted canary', () => {
    const planted = new LeakScanner();
    planted.watch('the canary secret', Buffer.from(RANDOM_CANARY));
    planted.watch('the master key', masterKey);

    planted.add('an error with the secret as cause', new Error('outer', { cause: { detail: RANDOM_CANARY } }));
    planted.add('an object with the key as hex', { key: masterKey.toString('hex') });

    expect(new Set(planted.leaks())).toEqual(new Set(['the canary secret in an error with the secret as cause', 'the master key in an object with the key as hex']));
  });

  it('zeroes the parts of decrypted buffers', () => {
    const parts = [Buffer.from('secret '), Buffer.from('bytes')];

    const joined = concatAndZero(parts);

    expect(joined.toString()).toBe('secret bytes');
    expect(parts.every((part) => part.every((byte) => byte === 0))).toBe(true);
  });

  it('zeroes every data key after use', () => {
    expect(keys.handedOut.length).toBe(keys.copies.length);
    const nonZero = keys.handedOut.filter((key) => key.some((byte) => byte !== 0));
    expect(nonZero).toEqual([]);
    recordFigure('hygiene', 'data keys checked zeroed after use (local keys)', keys.handedOut.length);
  });

  it('error messages match the snapshot', async () => {
    const snapshotStore = new Credstash({ keyProvider: new LocalKeyProvider({ masterKey: randomBytes(32) }), tableProvider: new MemoryTableProvider() });
    await snapshotStore.putSecret('snap/db', CANARY, { context: { env: 'prod' } });
    const failures = [
      await caught(() => snapshotStore.putSecret('snap/db', CANARY, { context: { env: 'prod' } })),
      await caught(() => snapshotStore.getSecret('snap/db')),
      await caught(() => snapshotStore.getSecret('snap/db', { context: { env: 'dev' } })),
      await caught(() => snapshotStore.getAllSecrets()),
      await caught(() => snapshotStore.putSecret('snap/big', `${CANARY}${'x'.repeat(400 * 1024)}`)),
      await caught(() => snapshotStore.putSecret('snap/surrogate', `${CANARY}\uD800`)),
    ];

    const report = failures.map((error) => `${(error as CredstashError).code}: ${(error as Error).message}`);

    expect(report.join('\n')).not.toContain(CANARY);
    expect(report).toMatchSnapshot();
  });

  it('snapshot files contain no canary', async () => {
    const snapshots = await findSnapshotFiles(TEST_FOLDER.pathname);

    expect(snapshots.length).toBeGreaterThan(0);
    for (const path of snapshots) {
      const text = await readFile(path, 'utf8');
      expect(text.includes(CANARY), path).toBe(false);
      expect(text.includes(RANDOM_CANARY), path).toBe(false);
    }
    recordFigure('hygiene', 'snapshot files scanned for the canary', snapshots.length);
  });
});

/** Runs successes and failures of every kind with the canary secrets and scans what they return. */
async function exerciseStore(scanner: LeakScanner, credstash: Credstash, table: MemoryTableProvider, keys: CountingKeyProvider): Promise<void> {
  scanner.add('putSecret result', await credstash.putSecret('hygiene/db', CANARY, { comment: 'rotated', context: { env: 'prod' } }));
  scanner.add('putSecret result', await credstash.putSecret('hygiene/random', RANDOM_CANARY, { autoVersion: true }));
  scanner.add('listSecrets result', await credstash.listSecrets());
  scanner.add('the Credstash object', credstash);
  scanner.add('the key provider', keys);
  scanner.add('the table provider', table);

  scanner.add('VersionExistsError', await caught(() => credstash.putSecret('hygiene/db', CANARY, { context: { env: 'prod' } })));
  scanner.add('EncryptionContextError', await caught(() => credstash.getSecret('hygiene/db')));
  scanner.add('EncryptionContextError', await caught(() => credstash.getSecret('hygiene/db', { context: { env: 'dev' } })));
  scanner.add('GetAllSecretsError', await caught(() => credstash.getAllSecrets()));
  const partial = await credstash.getAllSecrets({ allowPartial: true, context: { env: 'prod' } });
  scanner.add('getAllSecrets failures', partial.failures);
  scanner.add('InvalidArgumentError (oversized secret)', await caught(() => credstash.putSecret('hygiene/big', `${CANARY}${'x'.repeat(400 * 1024)}`)));
  scanner.add('InvalidArgumentError (lone surrogate)', await caught(() => credstash.putSecret('hygiene/bad', `${RANDOM_CANARY}\uDFFF`)));
  scanner.add('SecretNotFoundError', await caught(() => credstash.getSecret('hygiene/missing')));

  // An item whose HMAC was changed: IntegrityError, and the data key was still unwrapped.
  const stored = (await table.getItem('hygiene/random', '0000000000000000001')) as ItemAttributes;
  const hmac = Buffer.from((stored['hmac'] as { B: Uint8Array }).B);
  hmac[0] = hmac[0] === 0x30 ? 0x31 : 0x30;
  const damaged = new Credstash({ keyProvider: keys, tableProvider: new SingleItemTable({ ...stored, hmac: { B: hmac } }) });
  scanner.add('IntegrityError', await caught(() => damaged.getSecret('hygiene/random')));
  scanner.add('GetAllSecretsError (integrity)', await caught(() => damaged.getAllSecrets()));

  // Bytes that decrypt and pass the HMAC but are not UTF-8: InvalidPlaintextError.
  scanner.add('InvalidPlaintextError', await caught(() => readNonUtf8(keys)));

  // A key provider that hands out a 32-byte key: InvalidDataKeyError, and the key is zeroed.
  const shortKeys = new CountingKeyProvider(shortKeyProvider());
  scanner.add('InvalidDataKeyError', await caught(() => new Credstash({ keyProvider: shortKeys, tableProvider: table }).putSecret('hygiene/short', CANARY)));
  keys.handedOut.push(...shortKeys.handedOut);
  keys.copies.push(...shortKeys.copies);

  // A table that fails after the data key was made: the key is zeroed all the same.
  const failingTable = new FileTableProvider({ path: join(process.cwd(), 'missing-folder', 'never-created.jsonl') });
  scanner.add('TableNotFoundError', await caught(() => new Credstash({ keyProvider: keys, tableProvider: failingTable }).putSecret('hygiene/lost', CANARY)));
}

async function readNonUtf8(keys: KeyProvider): Promise<string> {
  const { plaintext, ciphertextBlob } = await keys.generateDataKey({ numberOfBytes: 64, context: {} });
  const sealed = sealContents(Buffer.concat([Buffer.from(CANARY), Buffer.from([0xff, 0xfe])]), plaintext, 'SHA256');
  plaintext.fill(0);
  const item: CredstashItem = {
    name: { S: 'hygiene/binary' },
    version: { S: '0000000000000000001' },
    key: { S: Buffer.from(ciphertextBlob).toString('base64') },
    contents: { S: sealed.ciphertext.toString('base64') },
    hmac: { B: sealed.hmacHex },
    digest: { S: 'SHA256' },
  };
  return new Credstash({ keyProvider: keys, tableProvider: new SingleItemTable(item as unknown as ItemAttributes) }).getSecret('hygiene/binary');
}

function shortKeyProvider(): KeyProvider {
  return {
    async generateDataKey() {
      return { plaintext: randomBytes(32), ciphertextBlob: randomBytes(40) };
    },
    async decryptDataKey() {
      return randomBytes(32);
    },
  };
}

/** Records every write to stdout and stderr, every console call and every process warning. */
function spyOnOutput(output: string[]): { restore: () => void } {
  const spies = [
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      output.push(`stdout: ${String(chunk)}`);
      return true;
    }),
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      output.push(`stderr: ${String(chunk)}`);
      return true;
    }),
    ...(['log', 'info', 'warn', 'error', 'debug', 'trace'] as const).map((method) =>
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
        output.push(`console.${method}: ${args.map(String).join(' ')}`);
      }),
    ),
    vi.spyOn(process, 'emitWarning').mockImplementation((warning: string | Error) => {
      output.push(`warning: ${String(warning)}`);
    }),
  ];
  return { restore: () => spies.forEach((spy) => spy.mockRestore()) };
}

async function findSnapshotFiles(folder: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(folder, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith('.snap')) {
      found.push(join(entry.parentPath, entry.name));
    }
  }
  return found;
}

const endpoint = motoEndpoint();
if (endpoint === null) {
  console.warn('*** SKIPPING hygiene tests on moto: moto is not installed ***');
}

describe.skipIf(endpoint === null)('KMS data keys and AWS errors (moto)', () => {
  it('zeroes KMS data keys and leaks nothing', { timeout: 60_000 }, async () => {
    const { table, alias } = await createMotoCredstash();
    const proxy = await FaultProxy.start(endpoint as string);
    const scanner = new LeakScanner();
    scanner.watch('the canary secret', Buffer.from(RANDOM_CANARY));
    const direct = credstashAt(proxy.url, { table, alias }, { maxAttempts: 2 });
    const keys = new CountingKeyProvider(direct.keyProvider);
    const credstash = new Credstash({ keyProvider: keys, tableProvider: direct.tableProvider });
    const output: string[] = [];

    // The AWS SDK warns once per process about Node.js versions it will stop supporting.
    // That warning is emitted when the first client is built, before the spies start.
    await credstash.listSecrets();
    const print = spyOnOutput(output);
    try {
      scanner.add('putSecret result', await credstash.putSecret('kms/db', RANDOM_CANARY, { context: { env: 'prod' } }));
      scanner.add('EncryptionContextError from KMS', await caught(() => credstash.getSecret('kms/db')));
      proxy.script('DynamoDB.PutItem', 'http500', 'http500');
      scanner.add('TableProviderError after KMS', await caught(() => credstash.putSecret('kms/lost', RANDOM_CANARY)));
      proxy.script('KMS.Decrypt', 'http503', 'http503');
      scanner.add('KeyProviderError from KMS', await caught(() => credstash.getSecret('kms/db', { context: { env: 'prod' } })));
      expect(await credstash.getSecret('kms/db', { context: { env: 'prod' } })).toBe(RANDOM_CANARY);
    } finally {
      print.restore();
      await proxy.close();
    }

    for (const key of keys.copies) {
      scanner.watch('a KMS data key', key);
    }
    expect(keys.handedOut.filter((key) => key.some((byte) => byte !== 0))).toEqual([]);
    expect(scanner.leaks()).toEqual([]);
    expect(output).toEqual([]);
    recordFigure('hygiene', 'data keys checked zeroed after use (KMS on moto)', keys.handedOut.length);
    recordFigure('hygiene', 'AWS error surfaces scanned', scanner.surfaces.length);
  });
});

describe('file permissions', () => {
  let folder: string;
  let umask: number;

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'credstash-modes-'));
    // Umask 000 masks nothing, so the modes checked below must come from the code.
    umask = process.umask(0);
  });

  afterAll(async () => {
    process.umask(umask);
    await rm(folder, { recursive: true, force: true });
  });

  it('creates key, table and folder private', async () => {
    const directory = join(folder, 'offline');
    const credstash = new Credstash(offlineProviders({ directory }));

    await credstash.setup();
    const afterSetup = (await stat(join(directory, 'credential-store.jsonl'))).mode & 0o777;
    await credstash.putSecret('modes/a', 'value');
    await credstash.putSecret('modes/b', 'value');
    await credstash.deleteSecret('modes/a', 1);

    expect((await stat(directory)).mode & 0o777).toBe(0o700);
    expect((await stat(join(directory, 'master.key'))).mode & 0o777).toBe(0o600);
    expect(afterSetup).toBe(0o600);
    expect((await stat(join(directory, 'credential-store.jsonl'))).mode & 0o777).toBe(0o600);
    expect((await readdir(directory)).sort()).toEqual(['credential-store.jsonl', 'master.key']);
    recordFigure('hygiene', 'file modes under umask 000', 'folder 0700, master key 0600, table 0600 after setup, put and delete');
  });

  for (const mode of [0o640, 0o604, 0o660, 0o620, 0o602, 0o644, 0o666]) {
    it(`rejects a master key with mode 0${mode.toString(8)}`, async () => {
      const directory = join(folder, `insecure-${mode.toString(8)}`);
      const writer = new Credstash(offlineProviders({ directory }));
      await writer.setup();
      await writer.putSecret('modes/kept', 'value');
      const keyFile = join(directory, 'master.key');
      await chmod(keyFile, mode);
      const tableBefore = await readFile(join(directory, 'credential-store.jsonl'));

      const reader = new Credstash(offlineProviders({ directory }));
      const readError = await caught(() => reader.getSecret('modes/kept'));
      const writeError = await caught(() => reader.putSecret('modes/new', 'value'));

      for (const error of [readError, writeError]) {
        expect(error).toBeInstanceOf(InsecureKeyFileError);
        expect((error as InsecureKeyFileError).code).toBe('ERR_INSECURE_KEY_FILE');
        expect((error as Error).message).toContain(keyFile);
        expect((error as Error).message).toContain(`mode 0${mode.toString(8)}`);
        expect((error as Error).message).toContain(`chmod 600 ${keyFile}`);
      }
      expect((await readFile(join(directory, 'credential-store.jsonl'))).equals(tableBefore)).toBe(true);
    });
  }

  it('reads a master key again after chmod 600', async () => {
    const directory = join(folder, 'repaired');
    const writer = new Credstash(offlineProviders({ directory }));
    await writer.setup();
    await writer.putSecret('modes/kept', 'value');
    await chmod(join(directory, 'master.key'), 0o644);
    await expect(new Credstash(offlineProviders({ directory })).getSecret('modes/kept')).rejects.toBeInstanceOf(InsecureKeyFileError);

    await chmod(join(directory, 'master.key'), 0o600);

    expect(await new Credstash(offlineProviders({ directory })).getSecret('modes/kept')).toBe('value');
    recordFigure('hygiene', 'master key modes rejected', 7);
  });

  it('keeps a key file it did not create', async () => {
    const keyFile = join(folder, 'existing.key');
    await writeFile(keyFile, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
    const credstash = new Credstash({ keyProvider: new LocalKeyProvider({ keyFile, create: false }), tableProvider: new MemoryTableProvider() });

    await credstash.putSecret('modes/existing', 'value');

    expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
    expect(await credstash.getSecret('modes/existing')).toBe('value');
  });
});
