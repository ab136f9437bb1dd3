import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { makeTempDir, motoEnv, runCli, runPython, type ProcessResult } from '../cli/support/processes.js';
import { createKmsKey } from '../support/moto.js';
import { interopTools, pythonOk, uniqueTable } from './support/interop.js';

// What each program stores for `put NAME -` and `put NAME @FILE`, byte for byte, with the
// line ends and encodings that docs/cli.md describes.

const LINE_ENDS = 'a\r\nb\rc\n';
const NOT_UTF8 = Buffer.from([0xff, 0xfe]);

const tools = interopTools();

describe.skipIf(tools === null)('input bytes of - and @FILE', { timeout: 120_000 }, () => {
  const { python, endpoint } = tools ?? { python: '', endpoint: '' };
  const table = uniqueTable('input-bytes');
  let home: { path: string; remove: () => Promise<void> };
  let env: NodeJS.ProcessEnv;
  let key: string;

  const pythonCli = (args: readonly string[], input?: string | Buffer, extraEnv: NodeJS.ProcessEnv = env): Promise<ProcessResult> =>
    runPython(python, ['-t', table, ...args], { env: extraEnv, cwd: home.path, ...(input === undefined ? {} : { input }) });
  const ourCli = (args: readonly string[], input?: string | Buffer): Promise<ProcessResult> =>
    runCli(['-t', table, ...args], { env, ...(input === undefined ? {} : { input }) });

  /** Reads a secret with both programs and returns the two outputs. */
  async function readBoth(name: string): Promise<Buffer[]> {
    const [py, ts] = await Promise.all([pythonCli(['get', '-n', name]), ourCli(['get', '-n', name])]);
    expect(py.status, py.stderr).toBe(0);
    expect(ts.status, ts.stderr).toBe(0);
    return [py.stdout, ts.stdout];
  }

  beforeAll(async () => {
    home = await makeTempDir('input-bytes');
    env = motoEnv(endpoint, home.path);
    key = await createKmsKey();
    await pythonOk(python, ['-t', table, 'setup'], { env, cwd: home.path });
  });

  afterAll(async () => {
    await home?.remove();
  });

  it('both keep CRLF and CR from -', async () => {
    const py = await pythonCli(['put', '-k', key, 'stdin/python', '-'], LINE_ENDS);
    const ts = await ourCli(['put', '-k', key, 'stdin/credstash-ts', '-'], LINE_ENDS);
    expect(py.status, py.stderr).toBe(0);
    expect(ts.status, ts.stderr).toBe(0);

    for (const name of ['stdin/python', 'stdin/credstash-ts']) {
      for (const output of await readBoth(name)) {
        expect(output.toString('latin1'), name).toBe(LINE_ENDS);
      }
    }
  });

  it('only credstash-ts keeps them from @FILE', async () => {
    const file = join(home.path, 'line-ends.txt');
    await writeFile(file, LINE_ENDS);

    await pythonOk(python, ['-t', table, 'put', '-k', key, 'file/python', `@${file}`], { env, cwd: home.path });
    const ts = await ourCli(['put', '-k', key, 'file/credstash-ts', `@${file}`]);
    expect(ts.status, ts.stderr).toBe(0);

    const [pythonWrote] = await readBoth('file/python');
    const [, oursWrote] = await readBoth('file/credstash-ts');
    expect(pythonWrote?.toString('latin1')).toBe('a\nb\nc\n');
    expect(oursWrote?.toString('latin1')).toBe(LINE_ENDS);
  });

  it('both reject input that is not UTF-8', async () => {
    const file = join(home.path, 'not-utf8.bin');
    await writeFile(file, NOT_UTF8);
    // Without PYTHONIOENCODING, Python 3.11 under LANG=C.UTF-8 reads the bytes with surrogateescape,
    // and fails only when it encodes the secret. With it, the strict read is an argparse error.
    const { PYTHONIOENCODING: _, ...plainEnv } = env;

    const pythonStdin = await pythonCli(['put', '-k', key, 'binary/python-stdin', '-'], NOT_UTF8, plainEnv);
    const pythonStrict = await pythonCli(['put', '-k', key, 'binary/python-strict', '-'], NOT_UTF8);
    const pythonFile = await pythonCli(['put', '-k', key, 'binary/python-file', `@${file}`]);
    const oursStdin = await ourCli(['put', '-k', key, 'binary/ours-stdin', '-'], NOT_UTF8);
    const oursFile = await ourCli(['put', '-k', key, 'binary/ours-file', `@${file}`]);

    expect(pythonStdin.status).toBe(1);
    expect(pythonStdin.stderr).toContain('surrogates not allowed');
    expect(pythonStrict.status).toBe(2);
    expect(pythonFile.status).toBe(2);
    expect(pythonFile.stderr).toContain('invalid value_or_filename value');
    expect(oursStdin.status).toBe(1);
    expect(oursStdin.stderr).toContain('standard input is not valid UTF-8');
    expect(oursFile.status).toBe(1);
    expect(oursFile.stderr).toContain(`file ${file} is not valid UTF-8`);
    expect((await ourCli(['keys'])).text).not.toContain('binary/');
  });
});
