import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { makeTempDir, motoEnv, runCli, runPython, type ProcessResult } from '../cli/support/processes.js';
import { createKmsKey } from '../support/moto.js';
import { interopTools, uniqueTable } from './support/interop.js';

// The success messages of setup, put and delete, which scripts may read, must be the same
// bytes in both programs. Each program works on a table of its own, with the same steps.

const tools = interopTools();

describe.skipIf(tools === null)('success messages match Python credstash', { timeout: 120_000 }, () => {
  const { python, endpoint } = tools ?? { python: '', endpoint: '' };
  const pythonTable = uniqueTable('messages-py');
  const ourTable = uniqueTable('messages-ts');
  let pythonHome: { path: string; remove: () => Promise<void> };
  let ourHome: { path: string; remove: () => Promise<void> };
  let key: string;

  /** Runs the same arguments in both programs, each on its own table and home folder. */
  async function both(args: readonly string[]): Promise<{ py: ProcessResult; ts: ProcessResult }> {
    const [py, ts] = await Promise.all([
      runPython(python, ['-t', pythonTable, ...args], { env: motoEnv(endpoint, pythonHome.path), cwd: pythonHome.path }),
      runCli(['-t', ourTable, ...args], { env: motoEnv(endpoint, ourHome.path) }),
    ]);
    return { py, ts };
  }

  async function expectSame(args: readonly string[], status = 0): Promise<string> {
    const { py, ts } = await both(args);
    expect(py.status, `python: ${py.stderr}`).toBe(status);
    expect(ts.status, `credstash-ts: ${ts.stderr}`).toBe(status);
    expect(ts.text).toBe(py.text);
    return ts.text;
  }

  beforeAll(async () => {
    pythonHome = await makeTempDir('messages-py');
    ourHome = await makeTempDir('messages-ts');
    key = await createKmsKey();
  });

  afterAll(async () => {
    await pythonHome?.remove();
    await ourHome?.remove();
  });

  it('setup prints the same, new and existing', async () => {
    const created = await expectSame(['setup', '--save-kms-region', 'us-east-1', '--tags', 'team=payments']);
    const existing = await expectSame(['setup']);

    expect(created).toBe(
      'KMS region set to us-east-1\nCreating table...\nWaiting for table to be created...\nAdding tags...\n' +
        'Table has been created. Go read the README about how to create your KMS key\n',
    );
    expect(existing).toBe('Credential Store table already exists\n');
  });

  it('setup --tags without pairs prints the same', async () => {
    const tables = [uniqueTable('bare-tags-py'), uniqueTable('bare-tags-ts')];

    const [py, ts] = await Promise.all([
      runPython(python, ['-t', tables[0] as string, 'setup', '--tags'], { env: motoEnv(endpoint, pythonHome.path), cwd: pythonHome.path }),
      runCli(['-t', tables[1] as string, 'setup', '--tags'], { env: motoEnv(endpoint, ourHome.path) }),
    ]);

    expect(py.status, py.stderr).toBe(0);
    expect(ts.status, ts.stderr).toBe(0);
    expect(ts.text).toBe(py.text);
  });

  it('put and put -a print the same', async () => {
    const first = await expectSame(['put', '-k', key, 'message/name', 'one']);
    await expectSame(['put', '-k', key, '-a', 'message/name', 'two']);
    await expectSame(['put', '-k', key, '-v', '7', '-c', 'note', 'message/name', 'seven']);
    await expectSame(['put', '-k', key, 'message/name', 'again'], 1);

    expect(first).toBe('message/name has been stored\n');
  });

  it('putall prints the same', async () => {
    const output = await expectSame(['putall', '-k', key, '{"message/bulk-a": "a", "message/bulk-b": "b"}']);

    expect(output).toBe('message/bulk-a has been stored\nmessage/bulk-b has been stored\n');
  });

  it('delete prints the same lines', async () => {
    const output = await expectSame(['delete', 'message/name']);
    await expectSame(['delete', 'message/name']);

    expect(output).toBe(
      'Deleting message/name -- version 0000000000000000001\n' +
        'Deleting message/name -- version 0000000000000000002\n' +
        'Deleting message/name -- version 0000000000000000007\n',
    );
  });
});
