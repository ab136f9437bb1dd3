import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { DynamoDBClient, ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { mapConcurrent } from '../../src/store/lib/map-concurrent.js';
import { makeTempDir, motoEnv, runCli, runPython, type ProcessResult } from '../cli/support/processes.js';
import { createKmsKey, TEST_CREDENTIALS } from '../support/moto.js';
import { bigValue, interopTools, pythonOk, uniqueTable } from './support/interop.js';

// credstash-ts writes every kind of secret with every way of putting it, and Python
// credstash 1.17.1 must read each back unchanged from items shaped like its own.

interface Expected {
  readonly name: string;
  readonly value: string;
  readonly context?: readonly string[];
  /** Version to read; the latest when undefined. */
  readonly version?: string;
}

const DIGESTS = ['SHA', 'SHA224', 'SHA256', 'SHA384', 'SHA512', 'MD5'];
const MULTI_LINE = 'first line\r\nsecond line\n\ttabbed\n\n';
const PUTALL_ARGUMENT = { 'putall/one': '1', 'putall/two': 'zwei ü', 'putall/empty': '' };
const PUTALL_FILE = { 'putall-file/a': 'from a file', 'putall-file/😀': 'emoji name' };
const PUTALL_STDIN = { 'putall-stdin/scoped': 'stdin with context' };

const tools = interopTools();

describe.skipIf(tools === null)('credstash-ts writes, Python credstash reads', { timeout: 180_000 }, () => {
  const { python, endpoint } = tools ?? { python: '', endpoint: '' };
  const table = uniqueTable('ts-writes');
  const expected: Expected[] = [];
  let home: { path: string; remove: () => Promise<void> };
  let env: NodeJS.ProcessEnv;
  let key: string;

  async function cliOk(args: readonly string[], input?: string): Promise<ProcessResult> {
    const result = await runCli(['-t', table, ...args], { env, ...(input === undefined ? {} : { input }) });
    if (result.status !== 0) {
      throw new Error(`credstash-ts ${args.join(' ')} exited with ${String(result.status)}: ${result.stderr}`);
    }
    return result;
  }

  beforeAll(async () => {
    home = await makeTempDir('ts-writes');
    env = motoEnv(endpoint, home.path);
    key = await createKmsKey();
    await cliOk(['setup']);

    // put with every digest, a context, a comment, -v, an empty value and non-ASCII text.
    const puts: { args: string[]; expect: Expected }[] = [
      ...DIGESTS.map((digest) => ({ args: ['-d', digest, `digest/${digest}`, `sealed with ${digest}`], expect: { name: `digest/${digest}`, value: `sealed with ${digest}` } })),
      { args: ['ctx/one', 'scoped', 'env=prod', 'team=payments'], expect: { name: 'ctx/one', value: 'scoped', context: ['team=payments', 'env=prod'] } },
      { args: ['-c', 'a comment, with commas', 'commented', 'v'], expect: { name: 'commented', value: 'v' } },
      { args: ['-v', '5', 'versioned', 'five'], expect: { name: 'versioned', value: 'five', version: '5' } },
      { args: ['empty', ''], expect: { name: 'empty', value: '' } },
      { args: ['ünïcødé/名前', 'héllo wörld — 日本語'], expect: { name: 'ünïcødé/名前', value: 'héllo wörld — 日本語' } },
      { args: ['🔑/emoji', '😀🎉 𝄞'], expect: { name: '🔑/emoji', value: '😀🎉 𝄞' } },
      { args: ['special', 'quote " backslash \\ $HOME \x01 \x7f'], expect: { name: 'special', value: 'quote " backslash \\ $HOME \x01 \x7f' } },
    ];
    await mapConcurrent(puts, 4, (put) => cliOk(['put', '-k', key, ...put.args]));
    expected.push(...puts.map((put) => put.expect));

    // -a three times gives versions 1, 2 and 3.
    for (const value of ['auto 1', 'auto 2', 'auto 3']) {
      await cliOk(['put', '-k', key, '-a', 'auto', value]);
    }
    expected.push({ name: 'auto', value: 'auto 3' }, { name: 'auto', value: 'auto 1', version: '1' });

    // @file with a 150 kB value, and - with CRLF line ends that must survive.
    const bigFile = join(home.path, 'big.txt');
    await writeFile(bigFile, bigValue());
    await cliOk(['put', '-k', key, 'big', `@${bigFile}`]);
    await cliOk(['put', '-k', key, 'from-stdin', '-'], MULTI_LINE);
    expected.push({ name: 'big', value: bigValue() }, { name: 'from-stdin', value: MULTI_LINE });

    // putall from an argument, from @file with -a -c -d, and from - with -v and a context.
    const putallFile = join(home.path, 'putall.json');
    await writeFile(putallFile, JSON.stringify(PUTALL_FILE));
    await cliOk(['putall', '-k', key, JSON.stringify(PUTALL_ARGUMENT)]);
    await cliOk(['putall', '-k', key, '-a', '-c', 'bulk', '-d', 'SHA224', `@${putallFile}`]);
    await cliOk(['putall', '-k', key, '-v', '3', '-', 'env=prod'], JSON.stringify(PUTALL_STDIN));
    expected.push(
      ...Object.entries(PUTALL_ARGUMENT).map(([name, value]) => ({ name, value, version: '0' })),
      ...Object.entries(PUTALL_FILE).map(([name, value]) => ({ name, value, version: '1' })),
      ...Object.entries(PUTALL_STDIN).map(([name, value]) => ({ name, value, version: '3', context: ['env=prod'] })),
    );

    // Both programs autoversion the same name in turn.
    const options = { env, cwd: home.path };
    await pythonOk(python, ['-t', table, 'put', '-k', key, 'mixed', 'python 1'], options);
    await cliOk(['put', '-k', key, '-a', 'mixed', 'credstash-ts 2']);
    await pythonOk(python, ['-t', table, 'put', '-k', key, '-a', 'mixed', 'python 3'], options);
    expected.push({ name: 'mixed', value: 'python 3' }, { name: 'mixed', value: 'credstash-ts 2', version: '2' });

    // Reference items written by Python, to compare item shapes with.
    await pythonOk(python, ['-t', table, 'put', '-k', key, 'reference/plain', 'x'], options);
    await pythonOk(python, ['-t', table, 'put', '-k', key, '-c', 'c', 'reference/commented', 'x'], options);
  });

  afterAll(async () => {
    await home?.remove();
  });

  it('every secret reads back unchanged in Python', async () => {
    const results = await mapConcurrent(expected, 4, (secret) =>
      runPython(python, ['-t', table, 'get', '-n', secret.name, ...(secret.context ?? []), ...(secret.version === undefined ? [] : ['-v', secret.version])], {
        env,
        cwd: home.path,
      }),
    );

    expect(expected).toHaveLength(25);
    for (const [index, secret] of expected.entries()) {
      const result = results[index] as ProcessResult;
      expect(result.status, `${secret.name}: ${result.stderr}`).toBe(0);
      expect(result.stdout.equals(Buffer.from(secret.value, 'utf8')), secret.name).toBe(true);
    }
  });

  it('list and keys print the same in both', async () => {
    for (const command of ['list', 'keys']) {
      const [py, ts] = await Promise.all([runPython(python, ['-t', table, command], { env, cwd: home.path }), runCli(['-t', table, command], { env })]);
      expect(py.status).toBe(0);
      expect(ts.status).toBe(0);
      expect(ts.text).toBe(py.text);
    }
  });

  it('list shows the stored versions and comments', async () => {
    const list = await runCli(['-t', table, 'list'], { env });

    expect(list.text).toMatch(/^commented +-- version 0000000000000000001 -- comment a comment, with commas$/m);
    expect(list.text).toMatch(/^putall\/one +-- version 0000000000000000000 -- comment $/m);
    expect(list.text).toMatch(/^putall-file\/a +-- version 0000000000000000001 -- comment bulk$/m);
    expect(list.text).toMatch(/^versioned +-- version 0000000000000000005 -- comment $/m);
  });

  it('items have the attributes and types Python writes', async () => {
    const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: TEST_CREDENTIALS });
    const items: Record<string, AttributeValue>[] = [];
    let startKey: Record<string, AttributeValue> | undefined;
    do {
      const page = await client.send(new ScanCommand({ TableName: table, ...(startKey === undefined ? {} : { ExclusiveStartKey: startKey }) }));
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey !== undefined);
    client.destroy();

    const shape = (item: Record<string, AttributeValue>): string[] => Object.entries(item).map(([name, value]) => `${name}:${Object.keys(value).join()}`).sort();
    const nameOf = (item: Record<string, AttributeValue>): string => item['name']?.S ?? '';
    const plain = items.find((item) => nameOf(item) === 'reference/plain');
    const commented = items.find((item) => nameOf(item) === 'reference/commented');
    const ours = items.filter((item) => !nameOf(item).startsWith('reference/') && nameOf(item) !== 'mixed');

    expect(plain).toBeDefined();
    expect(commented).toBeDefined();
    expect(shape(plain ?? {})).toEqual(['contents:S', 'digest:S', 'hmac:B', 'key:S', 'name:S', 'version:S']);
    expect(ours).toHaveLength(24);
    for (const item of ours) {
      const reference = item['comment'] === undefined ? plain : commented;
      expect(shape(item), nameOf(item)).toEqual(shape(reference ?? {}));
      expect(item['version']?.S, nameOf(item)).toMatch(/^\d{19}$/);
    }
  });
});
