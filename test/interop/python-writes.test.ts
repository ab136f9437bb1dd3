import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { mapConcurrent } from '../../src/store/lib/map-concurrent.js';
import { makeTempDir, motoEnv, runCli, runPython, runProcess, type ProcessResult } from '../cli/support/processes.js';
import { createKmsKey } from '../support/moto.js';
import { bigValue, interopTools, parseCsvWithPython, parseYamlWithPython, pythonOk, uniqueTable, writeWithPythonLibrary } from './support/interop.js';

// Python credstash 1.17.1 writes every kind of secret, and credstash-ts must print exactly
// what Python prints for the same command.

interface PythonCase {
  readonly name: string;
  readonly value: string;
  readonly digest?: string;
  readonly comment?: string;
  /** Written with `@file`, because it is too large for one argument. */
  readonly viaFile?: boolean;
}

const DIGESTS = ['SHA', 'SHA224', 'SHA256', 'SHA384', 'SHA512', 'MD5'];

const CASES: readonly PythonCase[] = [
  ...DIGESTS.map((digest) => ({ name: `digest/${digest}`, value: `sealed with ${digest}`, digest })),
  { name: 'commented', value: 'has a comment', comment: 'rotated 2024-01-02, ticket #12' },
  { name: 'ünïcødé/名前', value: 'héllo wörld — 日本語' },
  { name: '🔑/emoji', value: '😀🎉 emoji 𝄞 mixed' },
  { name: 'empty', value: '' },
  { name: 'multi-line', value: 'line one\nline two\n\ttabbed\r\nwindows line\n\n' },
  { name: 'special/json', value: 'quote " backslash \\ slash / control \x01\x1f del \x7f </script>' },
  { name: 'big', value: bigValue(), viaFile: true },
  { name: 'dotenv_plain', value: 'plain value' },
  { name: 'dotenv_dollar', value: '$HOME ${PATH} $(echo injected) `echo injected`' },
  { name: 'dotenv_backslash', value: 'back\\slash \\n \\' },
  { name: 'dotenv_multiline', value: 'first\nsecond' },
  { name: 'dotenv_quote', value: "it's" },
  { name: 'dotenv_unicode', value: 'ünï 😀' },
];

// Written through the Python library, whose default version pads to nineteen zeros.
const LIBRARY_CASES = [
  { name: 'library/default-version', value: 'written by putSecret' },
  { name: 'library/with-comment', value: 'library, SHA384', digest: 'SHA384', comment: 'from the library' },
];

const VERSIONED = 'twelve-versions';
const CONTEXT_CASES = [
  { name: 'ctx/a', value: 'scoped a', context: ['env=prod'] },
  { name: 'ctx/b', value: 'scoped b', context: ['env=prod'], extra: ['-d', 'SHA512', '-c', 'scoped'] },
  { name: 'ctx2/multi', value: 'two keys', context: ['env=prod', 'team=payments'] },
];

const tools = interopTools();

describe.skipIf(tools === null)('Python credstash writes, credstash-ts reads', { timeout: 180_000 }, () => {
  const { python, endpoint } = tools ?? { python: '', endpoint: '' };
  const plainTable = uniqueTable('py-writes');
  const contextTable = uniqueTable('py-writes-ctx');
  let home: { path: string; remove: () => Promise<void> };
  let env: NodeJS.ProcessEnv;

  const both = (args: readonly string[]): Promise<[ProcessResult, ProcessResult]> =>
    Promise.all([runPython(python, args, { env, cwd: home.path }), runCli(args, { env })]);

  /** Runs the same command in both programs and checks status and output bytes are equal. */
  async function expectSameOutput(args: readonly string[], status = 0): Promise<ProcessResult> {
    const [py, ts] = await both(args);
    expect(py.status, `python ${args.join(' ')}: ${py.stderr}`).toBe(status);
    expect(ts.status, `credstash-ts ${args.join(' ')}: ${ts.stderr}`).toBe(status);
    expect(ts.text, args.join(' ')).toBe(py.text);
    expect(ts.stdout.equals(py.stdout), args.join(' ')).toBe(true);
    return ts;
  }

  beforeAll(async () => {
    home = await makeTempDir('py-writes');
    env = motoEnv(endpoint, home.path);
    const key = await createKmsKey();
    const options = { env, cwd: home.path };

    await pythonOk(python, ['-t', plainTable, 'setup'], options);
    await pythonOk(python, ['-t', contextTable, 'setup'], options);

    await mapConcurrent(CASES, 4, async (secret) => {
      let value = secret.value;
      if (secret.viaFile === true) {
        value = `@${join(home.path, 'big-value.txt')}`;
        await writeFile(join(home.path, 'big-value.txt'), secret.value);
      }
      const flags = [...(secret.digest === undefined ? [] : ['-d', secret.digest]), ...(secret.comment === undefined ? [] : ['-c', secret.comment])];
      await pythonOk(python, ['-t', plainTable, 'put', '-k', key, ...flags, secret.name, value], options);
    });

    const explicit = Array.from({ length: 10 }, (_, index) => index + 1);
    await mapConcurrent(explicit, 4, (version) =>
      pythonOk(python, ['-t', plainTable, 'put', '-k', key, '-v', String(version), VERSIONED, `version ${version}`], options),
    );
    await pythonOk(python, ['-t', plainTable, 'put', '-k', key, '-a', VERSIONED, 'version 11'], options);
    await pythonOk(python, ['-t', plainTable, 'put', '-k', key, '-a', VERSIONED, 'version 12'], options);

    await writeWithPythonLibrary(python, options, plainTable, key, LIBRARY_CASES);

    await mapConcurrent(CONTEXT_CASES, 3, (secret) =>
      pythonOk(python, ['-t', contextTable, 'put', '-k', key, ...(secret.extra ?? []), secret.name, secret.value, ...secret.context], options),
    );
  });

  afterAll(async () => {
    await home?.remove();
  });

  describe('get', () => {
    for (const secret of CASES) {
      it(`prints ${secret.name} as Python does`, async () => {
        const raw = await expectSameOutput(['-t', plainTable, 'get', '-n', secret.name]);
        await expectSameOutput(['-t', plainTable, 'get', secret.name]);
        await expectSameOutput(['-t', plainTable, 'get', secret.name, '-v', '1']);

        expect(raw.stdout.equals(Buffer.from(secret.value, 'utf8'))).toBe(true);
      });
    }

    it('reads each of twelve versions', async () => {
      const latest = await expectSameOutput(['-t', plainTable, 'get', VERSIONED]);
      for (const version of ['1', '2', '9', '10', '0000000000000000011', '12']) {
        await expectSameOutput(['-t', plainTable, 'get', '-n', VERSIONED, '-v', version]);
      }

      expect(latest.text).toBe('version 12\n');
    });

    it('reads -v as Python int() does', async () => {
      const forms = [' 7', '+7', '07', '0_7', '\t7\n', '\u0667', '\uff17', '\u{1d7d5}', '\u3000 7\u00a0', '1_0', '+0_0_10'];
      for (const form of forms) {
        const output = await expectSameOutput(['-t', plainTable, 'get', '-n', VERSIONED, '-v', form]);
        expect(output.text, JSON.stringify(form)).toBe(form.includes('1') ? 'version 10' : 'version 7');
      }
    });

    it('fails alike where int() fails', async () => {
      for (const form of ['7_', '- 7', 'seven', '7.0']) {
        const [py, ts] = await both(['-t', plainTable, 'get', '-n', VERSIONED, '-v', form]);
        expect(py.status, JSON.stringify(form)).toBe(1);
        expect(ts.status, JSON.stringify(form)).toBe(1);
        expect(ts.text, JSON.stringify(form)).toBe('');
        expect(ts.stderr, JSON.stringify(form)).toContain(form);
      }
    });

    it('reads library items at version 0', async () => {
      for (const secret of LIBRARY_CASES) {
        const latest = await expectSameOutput(['-t', plainTable, 'get', '-n', secret.name]);
        await expectSameOutput(['-t', plainTable, 'get', secret.name, '-v', '0']);
        await expectSameOutput(['-t', plainTable, 'get', secret.name, '-v', '0000000000000000000']);

        expect(latest.text).toBe(secret.value);
      }
    });

    it('fails alike for a missing name or version', async () => {
      const [pyName, tsName] = await both(['-t', plainTable, 'get', 'no/such/name']);
      const [pyVersion, tsVersion] = await both(['-t', plainTable, 'get', 'empty', '-v', '99']);

      expect(pyName.status).toBe(1);
      expect(tsName.status).toBe(1);
      expect(tsName.text).toBe('');
      expect(tsName.stderr).toContain('secret "no/such/name" not found');
      expect(pyVersion.status).toBe(1);
      expect(tsVersion.status).toBe(1);
      expect(tsVersion.stderr).toContain('version "0000000000000000099" of secret "empty" not found');
    });

    it('fails alike for a missing table', async () => {
      const [py, ts] = await both(['-t', uniqueTable('missing'), 'get', 'x']);

      expect(py.status).toBe(1);
      expect(ts.status).toBe(1);
      expect(ts.stderr).toMatch(/table "missing-[^"]+" not found/);
    });
  });

  describe('maps of secrets', () => {
    it('getall prints the same JSON', async () => {
      const ts = await expectSameOutput(['-t', plainTable, 'getall']);

      expect(ts.text.endsWith('\n}\n')).toBe(true);
    });

    it('pattern get prints the same JSON', async () => {
      const all = await expectSameOutput(['-t', plainTable, 'get', '*']);
      await expectSameOutput(['-t', plainTable, 'get', 'digest/*']);
      await expectSameOutput(['-t', plainTable, 'get', 'library/*']);

      expect(all.text.endsWith('\n}')).toBe(true);
    });

    it('getall csv gives the same rows, sorted', async () => {
      const [py, ts] = await both(['-t', plainTable, 'getall', '-f', 'csv']);
      const pythonRows = await parseCsvWithPython(python, py.text);
      const ourRows = await parseCsvWithPython(python, ts.text);
      const byBytes = (left: string[], right: string[]): number => Buffer.compare(Buffer.from(left[0] ?? ''), Buffer.from(right[0] ?? ''));

      expect(ts.status).toBe(0);
      expect([...ourRows].sort(byBytes)).toEqual([...pythonRows].sort(byBytes));
      // getall prints with print(), so the last line is empty and reads as an empty row.
      const secretRows = ourRows.filter((row) => row.length > 0);
      expect(secretRows).toEqual([...secretRows].sort(byBytes));
      expect(secretRows).toHaveLength(CASES.length + LIBRARY_CASES.length + 1);
    });

    it('getall yaml parses to the same map in PyYAML', async () => {
      const [py, ts] = await both(['-t', plainTable, 'getall', '-f', 'yaml']);
      const pythonMap = await parseYamlWithPython(python, py.text);
      const ourMap = await parseYamlWithPython(python, ts.text);

      expect(ts.status).toBe(0);
      expect(ourMap).toEqual(pythonMap);
      expect((ourMap as Record<string, string>)['big']).toBe(bigValue());
    });

    it('dotenv lines match Python and source exactly', async () => {
      const [py, ts] = await both(['-t', plainTable, 'get', 'dotenv_*', '-f', 'dotenv']);
      const file = join(home.path, 'python-writes.env');
      await writeFile(file, ts.text);

      expect(ts.status).toBe(0);
      for (const secret of CASES.filter(({ name }) => name.startsWith('dotenv_'))) {
        const variable = secret.name.toUpperCase();
        const sourced = await runProcess('sh', ['-c', `. "$0" && printf %s "$${variable}"`, file], { env: { PATH: process.env['PATH'] } });
        expect(sourced.text, variable).toBe(secret.value);
        if (!secret.value.includes("'")) {
          expect(py.text, variable).toContain(`${variable}='${secret.value}'\n`);
          expect(ts.text).toContain(`${variable}='${secret.value}'\n`);
        }
      }
    });

    it('getall dotenv rejects names Python writes as invalid shell', async () => {
      const ts = await runCli(['-t', plainTable, 'getall', '-f', 'dotenv'], { env });

      expect(ts.status).toBe(1);
      expect(ts.text).toBe('');
      expect(ts.stderr).toContain('"digest/SHA"');
      expect(ts.stderr).toContain('"🔑/emoji"');
    });
  });

  describe('list and keys', () => {
    it('print the same lines', async () => {
      const list = await expectSameOutput(['-t', plainTable, 'list']);
      await expectSameOutput(['-t', plainTable, 'keys']);

      expect(list.text).toContain('commented ');
      expect(list.text).toContain('-- comment rotated 2024-01-02, ticket #12\n');
      expect(list.text.split('\n').filter((line) => line.startsWith(`${VERSIONED} `))).toHaveLength(12);
    });
  });

  describe('encryption context', () => {
    for (const secret of CONTEXT_CASES) {
      it(`reads ${secret.name} with its context`, async () => {
        const ts = await expectSameOutput(['-t', contextTable, 'get', '-n', secret.name, ...secret.context]);

        expect(ts.text).toBe(secret.value);
      });
    }

    it('fails alike without or with a wrong context', async () => {
      const [pyMissing, tsMissing] = await both(['-t', contextTable, 'get', 'ctx/a']);
      const [pyWrong, tsWrong] = await both(['-t', contextTable, 'get', 'ctx2/multi', 'env=prod', 'team=other']);

      expect(pyMissing.status).toBe(1);
      expect(tsMissing.status).toBe(1);
      expect(tsMissing.stderr).toContain('cannot read secret "ctx/a"');
      expect(pyWrong.status).toBe(1);
      expect(tsWrong.status).toBe(1);
      expect(tsWrong.stderr).toContain('cannot read secret "ctx2/multi"');
    });

    it('pattern get with a context prints the same', async () => {
      await expectSameOutput(['-t', contextTable, 'get', 'ctx/*', 'env=prod']);
    });

    it('list and keys print the same', async () => {
      await expectSameOutput(['-t', contextTable, 'list']);
      await expectSameOutput(['-t', contextTable, 'keys']);
    });

    // Python's getall hangs when a secret fails to decrypt, so only credstash-ts runs here.
    it('getall names each unreadable secret', async () => {
      const strict = await runCli(['-t', contextTable, 'getall', 'env=prod'], { env });
      const partial = await runCli(['-t', contextTable, 'getall', '--partial', 'env=prod'], { env });

      expect(strict.status).toBe(1);
      expect(strict.text).toBe('');
      expect(strict.stderr).toContain('ctx2/multi');
      expect(partial.status).toBe(0);
      expect(JSON.parse(partial.text)).toEqual({ 'ctx/a': 'scoped a', 'ctx/b': 'scoped b' });
    });
  });
});
