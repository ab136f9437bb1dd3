import { chmod, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';

import packageJson from '../../package.json' with { type: 'json' };
import { makeTempDir, offlineEnv, runCli, runProcess, type ProcessResult } from './support/processes.js';

// Every test here uses the offline store, so no AWS account, server or network is involved.
let home: { path: string; remove: () => Promise<void> };
let store: string;

function cli(args: readonly string[], options: { input?: string | Buffer; env?: Record<string, string> } = {}): Promise<ProcessResult> {
  return runCli(['--offline', store, ...args], { env: offlineEnv(home.path, options.env), ...(options.input === undefined ? {} : { input: options.input }) });
}

type TableRunner = ((args: readonly string[], options?: { input?: string | Buffer }) => Promise<ProcessResult>) & { readonly table: string };

/** Runs the CLI against a fresh offline table of its own, so tests do not see each other's secrets. */
async function freshTable(): Promise<TableRunner> {
  const table = `table-${Math.random().toString(36).slice(2)}`;
  const setup = await cli(['-t', table, 'setup']);
  expect(setup.status, setup.stderr).toBe(0);
  return Object.assign((args: readonly string[], options: { input?: string | Buffer } = {}) => cli(['-t', table, ...args], options), { table });
}

beforeAll(async () => {
  home = await makeTempDir('offline-home');
  store = join(home.path, 'store');
});

afterAll(async () => {
  await home.remove();
});

describe('setup', () => {
  it('names the table and master key it creates', async () => {
    const directory = join(home.path, 'setup-messages');
    const created = await runCli(['--offline', directory, 'setup'], { env: offlineEnv(home.path) });
    const again = await runCli(['--offline', directory, 'setup'], { env: offlineEnv(home.path) });

    expect(created.status, created.stderr).toBe(0);
    expect(created.text).toBe(
      `Table has been created: ${join(directory, 'credential-store.jsonl')}\n` +
        `Master key has been created: ${join(directory, 'master.key')}\n` +
        'Back it up: without it, no secret stored with it can be read.\n',
    );
    expect(again.status).toBe(0);
    expect(again.text).toBe('Credential Store table already exists\n');
  });

  it('creates the master key with mode 0600', async () => {
    const directory = join(home.path, 'setup-key-mode');
    await runCli(['--offline', directory, 'setup'], { env: offlineEnv(home.path) });

    const key = await readFile(join(directory, 'master.key'), 'utf8');
    expect(Buffer.from(key.trim(), 'base64')).toHaveLength(32);
    expect((await stat(join(directory, 'master.key'))).mode & 0o777).toBe(0o600);
  });

  it('accepts --tags without pairs, as Python does', async () => {
    const result = await cli(['-t', 'bare-tags', 'setup', '--tags']);

    expect(result.status, result.stderr).toBe(0);
    expect(result.text).toContain('Table has been created');
  });

  it('rejects --save-kms-region offline', async () => {
    const result = await cli(['-t', 'saved-region', 'setup', '--save-kms-region', 'us-west-2']);

    expect(result.status).toBe(1);
    expect(result.stderr).toContain('--save-kms-region saves the KMS region of AWS commands in ~/.credstash');
    expect(result.text).toBe('');
    await expect(stat(join(home.path, '.credstash'))).rejects.toThrow();
    await expect(stat(join(store, 'saved-region.jsonl'))).rejects.toThrow();
  });

  it('leaves no folder behind when a command fails before setup', async () => {
    const directory = join(home.path, 'never-set-up');
    const commands = [['put', 'x', 'y'], ['put', '-a', 'x', 'y'], ['putall', '{"x": "y"}'], ['get', 'x'], ['getall'], ['keys'], ['delete', 'x']];

    for (const args of commands) {
      const result = await runCli(['--offline', directory, ...args], { env: offlineEnv(home.path) });
      expect(result.status, args.join(' ')).toBe(1);
      expect(result.stderr, args.join(' ')).toContain('Run setup to create it');
      await expect(stat(directory), args.join(' ')).rejects.toThrow();
    }
  });
  it('selects the offline store from CREDSTASH_OFFLINE_DIR', async () => {
    const env = offlineEnv(home.path, { CREDSTASH_OFFLINE_DIR: join(home.path, 'from-env') });
    const setup = await runCli(['setup'], { env });
    const put = await runCli(['put', 'env_store', 'value'], { env });
    const get = await runCli(['get', 'env_store'], { env });

    expect(setup.status, setup.stderr).toBe(0);
    expect(put.status, put.stderr).toBe(0);
    expect(get.text).toBe('value\n');
  });
});

describe('lost master key', () => {
  it('is never replaced by a new one', async () => {
    const directory = join(home.path, 'lost-key');
    const keyFile = join(directory, 'master.key');
    const tableFile = join(directory, 'credential-store.jsonl');
    const offline = (args: readonly string[]) => runCli(['--offline', directory, ...args], { env: offlineEnv(home.path) });
    await offline(['setup']);
    await offline(['put', 'a', 'x']);
    await rm(keyFile);

    const get = await offline(['get', 'a']);
    const put = await offline(['put', 'b', 'y']);
    const partial = await offline(['getall', '--partial']);
    const setup = await offline(['setup']);

    expect(get.status).toBe(1);
    expect(get.stderr).toBe(`credstash-ts: cannot read secret "a" (latest version): the master key file ${keyFile} is missing, and the secrets stored with it cannot be read without it. Restore it from a backup.\n`);
    for (const result of [put, setup]) {
      expect(result.status).toBe(1);
      expect(result.stderr).toContain(`the master key file ${keyFile} is missing, but the table ${tableFile} already contains secrets`);
      expect(result.stderr).toContain(`Restore ${keyFile} from a backup`);
    }
    expect(partial.status).toBe(1);
    expect(partial.text).toBe('');
    await expect(stat(keyFile)).rejects.toThrow();
    expect((await readFile(tableFile, 'utf8')).split('\n').filter((line) => line.includes('"name"'))).toHaveLength(1);
  });
});

describe('put and get', () => {
  it('round-trips a secret with and without newline', async () => {
    const run = await freshTable();

    const put = await run(['put', 'app_token', 's3cret']);
    const get = await run(['get', 'app_token']);
    const noline = await run(['get', '-n', 'app_token']);

    expect(put.text).toBe('app_token has been stored\n');
    expect(get.text).toBe('s3cret\n');
    expect(noline.text).toBe('s3cret');
  });

  it('stores version 1, then rejects it again', async () => {
    const run = await freshTable();
    await run(['put', 'db', 'first']);

    const again = await run(['put', 'db', 'second']);

    expect(again.status).toBe(1);
    expect(again.stderr).toContain('db version 0000000000000000001 is already in the credential store');
    expect(again.stderr).not.toContain('second');
    expect((await run(['get', 'db'])).text).toBe('first\n');
  });

  it('autoversions and reads old versions', async () => {
    const run = await freshTable();
    await run(['put', 'db', 'one']);
    await run(['put', 'db', 'two', '-a']);
    await run(['put', 'db', 'ten', '-v', '10']);
    const auto = await run(['put', '-a', '-v', '3', 'db', 'eleven']);

    expect(auto.status).toBe(0);
    expect(auto.stderr).toContain('-v is ignored with -a');
    expect((await run(['get', 'db'])).text).toBe('eleven\n');
    expect((await run(['get', 'db', '-v', '2'])).text).toBe('two\n');
    expect((await run(['get', 'db', '-v', '0000000000000000010'])).text).toBe('ten\n');
    expect((await run(['list'])).text).toBe(
      [1, 2, 10, 11].map((version) => `db -- version ${String(version).padStart(19, '0')} -- comment \n`).join(''),
    );
  });

  it('reads @file and standard input byte for byte', async () => {
    const run = await freshTable();
    const value = '\uFEFFline one\r\nline two\rend\n\u{1F600}';
    const file = join(home.path, 'value.txt');
    await writeFile(file, value);

    await run(['put', 'from_file', `@${file}`]);
    await run(['put', 'from_stdin', '-'], { input: value });

    expect((await run(['get', '-n', 'from_file'])).stdout.equals(Buffer.from(value))).toBe(true);
    expect((await run(['get', '-n', 'from_stdin'])).stdout.equals(Buffer.from(value))).toBe(true);
  });

  it('rejects unreadable and non-UTF-8 input with status 1', async () => {
    const run = await freshTable();
    const binary = join(home.path, 'binary.bin');
    await writeFile(binary, Buffer.from([0xff, 0xfe, 0x00]));

    const missing = await run(['put', 'x', `@${join(home.path, 'no-such-file')}`]);
    const notUtf8 = await run(['put', 'x', `@${binary}`]);

    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('no-such-file');
    expect(notUtf8.status).toBe(1);
    expect(notUtf8.stderr).toContain('is not valid UTF-8');
    expect((await run(['keys'])).text).toBe('');
  });

  it('stores an empty secret when no value is given, as Python does', async () => {
    const run = await freshTable();

    const put = await run(['put', 'empty']);

    expect(put.status).toBe(0);
    expect((await run(['get', 'empty'])).text).toBe('\n');
  });

  it('stores comments and digests', async () => {
    const run = await freshTable();

    await run(['put', 'commented', 'x', '-c', 'rotated, see #12', '-d', 'SHA512']);

    expect((await run(['list'])).text).toBe('commented -- version 0000000000000000001 -- comment rotated, see #12\n');
    expect((await run(['get', 'commented'])).text).toBe('x\n');
  });

  it('rejects -P without a terminal', async () => {
    const run = await freshTable();

    const result = await run(['put', 'prompted', '-P'], { input: 'typed\n' });

    expect(result.status).toBe(1);
    expect(result.stderr).toContain('-P prompts on a terminal, but standard input is not one');
    expect((await run(['keys'])).text).toBe('');
  });

  it('rejects -k offline', async () => {
    const put = await cli(['put', '-k', 'alias/credstash', 'x', 'y']);
    const putall = await cli(['putall', '-k', 'alias/credstash', '{"x": "y"}']);

    expect(put.status).toBe(1);
    expect(put.stderr).toContain('Leave -k out');
    expect(putall.status).toBe(1);
  });

  it('rejects a value together with -P', async () => {
    const result = await cli(['put', 'x', 'value', '-P']);

    expect(result.status).toBe(1);
    expect(result.stderr).toContain('either as VALUE or with -P');
  });
});

describe('encryption context', () => {
  it('is needed again to read', async () => {
    const run = await freshTable();
    await run(['put', 'scoped', 'ctx-secret', 'env=prod', 'team=pay']);

    const missing = await run(['get', 'scoped']);
    const wrong = await run(['get', 'scoped', 'env=dev', 'team=pay']);
    const right = await run(['get', 'scoped', 'team=pay', 'env=prod']);

    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('cannot read secret "scoped" (latest version)');
    expect(missing.stderr).not.toContain('ctx-secret');
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toContain('does not match');
    expect(right.text).toBe('ctx-secret\n');
  });

  it('accepts = inside a value and rejects malformed pairs', async () => {
    const run = await freshTable();
    await run(['put', 'eq', 'v', 'query=a=b']);

    const good = await run(['get', 'eq', 'query=a=b']);
    const noValue = await run(['get', 'eq', 'query=']);
    const noKey = await run(['get', 'eq', '=x']);
    const bare = await run(['get', 'eq', 'word']);

    expect(good.text).toBe('v\n');
    for (const result of [noValue, noKey, bare]) {
      expect(result.status).toBe(1);
      expect(result.stderr).toContain('use KEY=VALUE');
    }
  });
});

describe('getall and patterns', () => {
  it('prints sorted JSON with a newline after it', async () => {
    const run = await freshTable();
    await run(['put', 'b', 'two']);
    await run(['put', 'a', 'one "quoted" é']);

    const all = await run(['getall']);

    expect(all.text).toBe('{\n    "a": "one \\"quoted\\" \\u00e9",\n    "b": "two"\n}\n');
  });

  it('prints {} for an empty table', async () => {
    const run = await freshTable();

    expect((await run(['getall'])).text).toBe('{}\n');
    expect((await run(['get', 'nothing*'])).text).toBe('{}');
  });

  it('matches * patterns literally otherwise', async () => {
    const run = await freshTable();
    await run(['put', 'app.db', '1']);
    await run(['put', 'appxdb', '2']);
    await run(['put', 'app.cache', '3']);

    const dotted = await run(['get', 'app.*']);

    expect(dotted.text).toBe('{\n    "app.cache": "3",\n    "app.db": "1"\n}');
  });

  it('fails listing every unreadable secret', async () => {
    const run = await freshTable();
    await run(['put', 'open', 'o']);
    await run(['put', 'scoped1', 's', 'env=prod']);
    await run(['put', 'scoped2', 's', 'env=prod']);

    const strict = await run(['getall']);

    expect(strict.status).toBe(1);
    expect(strict.text).toBe('');
    expect(strict.stderr).toContain('2 of 3 secrets could not be read');
    expect(strict.stderr).toContain('scoped1');
    expect(strict.stderr).toContain('scoped2');
  });

  it('gives only the hints that fit the failures', async () => {
    const run = await freshTable();
    await run(['put', 'damaged', 'd']);
    await run(['put', 'fine', 'f']);
    const tableFile = join(store, `${run.table}.jsonl`);
    const lines = (await readFile(tableFile, 'utf8')).split('\n');
    // Flips one hex digit of the stored HMAC of "damaged", so its integrity check fails.
    const damaged = lines.map((line) => (line.includes('"damaged"') ? line.replace(/("hmac":\{"B":")(.)/, (_, head: string, digit: string) => `${head}${digit === '0' ? '1' : '0'}`) : line));
    await writeFile(tableFile, damaged.join('\n'));

    const getall = await run(['getall']);
    const pattern = await run(['get', 'd*']);

    expect(getall.status).toBe(1);
    expect(getall.stderr).toContain('integrity check failed for version "0000000000000000001" of secret "damaged"');
    expect(getall.stderr).toContain('getall --partial prints the readable secrets and lists the others.');
    expect(getall.stderr).not.toContain('KEY=VALUE');
    expect(pattern.status).toBe(1);
    expect(pattern.stderr).toContain('Narrow the pattern to leave them out.');
    expect(pattern.stderr).not.toContain('--partial');
  });

  it('prints readable secrets with --partial', async () => {
    const run = await freshTable();
    await run(['put', 'open', 'o']);
    await run(['put', 'scoped', 's', 'env=prod']);

    const partial = await run(['getall', '--partial']);

    expect(partial.status).toBe(0);
    expect(partial.text).toBe('{\n    "open": "o"\n}\n');
    expect(partial.stderr).toContain('skipped scoped');
  });

  it('reads one version of every name with -v', async () => {
    const run = await freshTable();
    await run(['put', 'a', 'a1']);
    await run(['put', 'a', 'a2', '-a']);
    await run(['put', 'b', 'b1']);

    expect((await run(['getall', '-v', '1'])).text).toBe('{\n    "a": "a1",\n    "b": "b1"\n}\n');
    expect((await run(['getall', '-v', ' +1'])).text).toBe('{\n    "a": "a1",\n    "b": "b1"\n}\n');
    expect((await run(['exec', '-v', '\u0661', '--', 'sh', '-c', 'printf %s "$A"'])).text).toBe('a1');
    const missing = await run(['getall', '-v', '2']);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('b: version "0000000000000000002" of secret "b" not found');
  });

  it('writes CSV rows sorted, quoting where needed', async () => {
    const run = await freshTable();
    await run(['put', 'b', 'plain']);
    await run(['put', 'a', 'has,comma "and" quotes\nand a line']);

    const csv = await run(['getall', '-f', 'csv']);

    expect(csv.text).toBe('a,"has,comma ""and"" quotes\nand a line"\nb,plain\n\n');
  });

  it('writes YAML that parses to the same map', async () => {
    const run = await freshTable();
    const values: Record<string, string> = {
      yes: 'yes',
      number: '012',
      colon: '1:20',
      equals: '=',
      merge: '<<',
      multi: 'a\nb\n',
      spaces: '  padded  ',
      empty: '',
      control: '\x01\x7f\x85\u2028\ufeff',
      emoji: '😀 é',
    };
    for (const [name, value] of Object.entries(values)) {
      await run(['put', name, value]);
    }

    const yaml = await run(['getall', '-f', 'yaml']);

    expect(parseYaml(yaml.text)).toEqual(values);
    expect(parseYaml(yaml.text, { version: '1.1' })).toEqual(values);
  });
});

describe('dotenv format', () => {
  const values: Record<string, string> = {
    quote: "it's \"quoted\"",
    dollar: '$HOME ${PATH} $(echo injected) `echo injected`',
    backslash: 'back\\slash \\n \\',
    newline: 'first\nsecond\n',
    unicode: 'héllo 😀',
    empty: '',
  };

  it('is valid shell for every value', async () => {
    const run = await freshTable();
    for (const [name, value] of Object.entries(values)) {
      await run(['put', name, value]);
    }
    const dotenv = await run(['getall', '-f', 'dotenv']);
    const file = join(home.path, 'secrets.env');
    await writeFile(file, dotenv.text);

    expect(dotenv.text).toContain("QUOTE='it'\\''s \"quoted\"'\n");
    for (const [name, value] of Object.entries(values)) {
      const sourced = await runProcess('sh', ['-c', `. "$0" && printf %s "$${name.toUpperCase()}"`, file], { env: { PATH: process.env['PATH'] } });
      expect(sourced.status).toBe(0);
      expect(sourced.text).toBe(value);
    }
  });

  it('rejects names that are not variables unless asked', async () => {
    const run = await freshTable();
    await run(['put', 'db.password', 'x']);
    await run(['put', 'plain', 'y']);

    const strict = await run(['getall', '-f', 'dotenv']);
    const replaced = await run(['getall', '-f', 'dotenv', '--replace-invalid']);

    expect(strict.status).toBe(1);
    expect(strict.text).toBe('');
    expect(strict.stderr).toContain('"db.password"');
    expect(strict.stderr).toContain('--replace-invalid');
    expect(replaced.text).toBe("DB_PASSWORD='x'\nPLAIN='y'\n\n");
  });
});

describe('keys, list and delete', () => {
  it('prints names once, and versions padded to the longest name', async () => {
    const run = await freshTable();
    await run(['put', 'short', '1', '-c', 'first']);
    await run(['put', 'short', '2', '-a']);
    await run(['put', 'ünïcode-name', '3']);

    expect((await run(['keys'])).text).toBe('short\nünïcode-name\n');
    expect((await run(['list'])).text).toBe(
      'short        -- version 0000000000000000001 -- comment first\n' +
        'short        -- version 0000000000000000002 -- comment \n' +
        'ünïcode-name -- version 0000000000000000001 -- comment \n',
    );
  });

  it('deletes every version and reports each', async () => {
    const run = await freshTable();
    await run(['put', 'gone', '1']);
    await run(['put', 'gone', '2', '-a']);
    await run(['put', 'kept', '3']);

    const deleted = await run(['delete', 'gone']);
    const again = await run(['delete', 'gone']);

    expect(deleted.text).toBe('Deleting gone -- version 0000000000000000001\nDeleting gone -- version 0000000000000000002\n');
    expect(again.status).toBe(0);
    expect(again.text).toBe('');
    expect(again.stderr).toContain('has no versions');
    expect((await run(['keys'])).text).toBe('kept\n');
  });
});

describe('putall', () => {
  it('stores from an argument, a file and standard input', async () => {
    const run = await freshTable();
    const file = join(home.path, 'putall.json');
    await writeFile(file, JSON.stringify({ from_file: 'f' }));

    const argument = await run(['putall', '{"first": "1", "second": "2"}']);
    const fromFile = await run(['putall', `@${file}`, '-c', 'bulk']);
    const fromStdin = await run(['putall', '-', '-v', '7', '-d', 'MD5'], { input: '{"from_stdin": "s"}' });

    expect(argument.text).toBe('first has been stored\nsecond has been stored\n');
    expect(fromFile.text).toBe('from_file has been stored\n');
    expect(fromStdin.text).toBe('from_stdin has been stored\n');
    expect((await run(['list'])).text).toBe(
      'first      -- version 0000000000000000000 -- comment \n' +
        'from_file  -- version 0000000000000000000 -- comment bulk\n' +
        'from_stdin -- version 0000000000000000007 -- comment \n' +
        'second     -- version 0000000000000000000 -- comment \n',
    );
    expect((await run(['get', 'from_stdin'])).text).toBe('s\n');
  });

  it('rejects bad JSON without echoing it', async () => {
    const run = await freshTable();

    const broken = await run(['putall', '{"name": "hunter2-secret",}']);
    const notObject = await run(['putall', '["a"]']);
    const notString = await run(['putall', '{"ok": "x", "count": 3}']);

    expect(broken.status).toBe(1);
    expect(broken.stderr).toContain('is not valid JSON');
    expect(broken.stderr).not.toContain('hunter2');
    expect(notObject.status).toBe(1);
    expect(notString.status).toBe(1);
    expect(notString.stderr).toContain('"count"');
    expect((await run(['keys'])).text).toBe('');
  });

  it('stores the others when one fails, and exits 1', async () => {
    const run = await freshTable();
    await run(['putall', '{"taken": "old"}']);

    const result = await run(['putall', '{"taken": "new", "free": "ok"}']);

    expect(result.status).toBe(1);
    expect(result.text).toBe('free has been stored\n');
    expect(result.stderr).toBe(
      'credstash-ts: 1 of 2 secrets were not stored:\n' +
        '  taken version 0000000000000000000 is already in the credential store. Use the -v flag to specify a new version, or -a to store the next one.\n',
    );
    expect((await run(['get', 'taken'])).text).toBe('old\n');
  });

  it('autoversions each name with -a', async () => {
    const run = await freshTable();
    await run(['put', 'one', 'v1']);

    await run(['putall', '-a', '{"one": "v2", "two": "v1"}']);

    expect((await run(['list'])).text).toBe(
      'one -- version 0000000000000000001 -- comment \none -- version 0000000000000000002 -- comment \ntwo -- version 0000000000000000001 -- comment \n',
    );
  });
});

describe('exec', () => {
  it('passes secrets as variables and the exit status back', async () => {
    const run = await freshTable();
    await run(['put', 'db_password', 'pa$$ word\nline']);
    await run(['put', 'api_key', 'k']);

    const result = await run(['exec', '--', 'sh', '-c', 'printf "%s|%s" "$DB_PASSWORD" "$API_KEY"; exit 7']);

    expect(result.status).toBe(7);
    expect(result.text).toBe('pa$$ word\nline|k');
  });

  it('keeps the environment and lets secrets replace it', async () => {
    const run = await freshTable();
    await run(['put', 'kept_var', 'from-secret']);

    const result = await runCli(['--offline', store, '-t', run.table, 'exec', 'sh', '-c', 'printf "%s %s" "$KEPT_VAR" "$OTHER"'], {
      env: offlineEnv(home.path, { KEPT_VAR: 'inherited', OTHER: 'untouched' }),
    });

    expect(result.text).toBe('from-secret untouched');
  });

  it('selects secrets with --pattern and passes a context', async () => {
    const run = await freshTable();
    await run(['put', 'app_one', '1', 'env=prod']);
    await run(['put', 'other', '2']);

    const result = await run(['exec', '--pattern', 'app_*', 'env=prod', '--', 'sh', '-c', 'printf "%s:%s" "$APP_ONE" "${OTHER-unset}"']);

    expect(result.status, result.stderr).toBe(0);
    expect(result.text).toBe('1:unset');
  });

  it('rejects invalid names unless told to replace them', async () => {
    const run = await freshTable();
    await run(['put', 'app.db-password', 'x']);

    const strict = await run(['exec', '--', 'true']);
    const replaced = await run(['exec', '--replace-invalid', '--', 'sh', '-c', 'printf %s "$APP_DB_PASSWORD"']);
    await run(['put', 'other.name', 'y']);
    const two = await run(['exec', '--', 'true']);

    expect(strict.status).toBe(1);
    expect(strict.stderr).toBe(
      'credstash-ts: secret name "app.db-password" is not an environment variable name ' +
        '(ASCII letters, digits and _, not starting with a digit). Pass --replace-invalid to map other characters to _.\n',
    );
    expect(replaced.text).toBe('x');
    expect(two.stderr).toContain('secret names "app.db-password", "other.name" are not environment variable names');
  });

  it('points unreadable secrets at --pattern', async () => {
    const run = await freshTable();
    await run(['put', 'app_one', '1']);
    await run(['put', 'scoped', 's', 'env=prod']);

    const result = await run(['exec', '--', 'true']);

    expect(result.status).toBe(1);
    expect(result.stderr).toContain('1 of 2 secrets could not be read');
    expect(result.stderr).toContain('pass the one they were stored with');
    expect(result.stderr).toContain('exec starts its command only when every secret can be read, so leave the others out with --pattern.');
    expect(result.stderr).not.toContain('--partial');
  });

  it('rejects names that collide', async () => {
    const run = await freshTable();
    await run(['put', 'token', 'a']);
    await run(['put', 'TOKEN', 'b']);

    const result = await run(['exec', '--', 'true']);

    expect(result.status).toBe(1);
    expect(result.stderr).toContain('all map to TOKEN');
  });

  it('reports a signal, a missing command and a missing context', async () => {
    const run = await freshTable();
    await run(['put', 'scoped', 'x', 'env=prod']);

    const killed = await run(['exec', 'env=prod', '--', 'sh', '-c', 'kill -TERM $$']);
    const missing = await run(['exec', 'env=prod', '--', 'no-such-command-credstash-ts']);
    const noContext = await run(['exec', '--', 'true']);
    const noCommand = await run(['exec', 'env=prod']);

    expect(killed.status).toBe(128 + 15);
    expect(missing.status).toBe(127);
    expect(missing.stderr).toContain('command not found: no-such-command-credstash-ts');
    expect(noContext.status).toBe(1);
    expect(noCommand.status).toBe(1);
  });

  it('rejects a secret with a NUL character', async () => {
    const run = await freshTable();
    const file = join(home.path, 'nul.txt');
    await writeFile(file, 'a\0b');
    await run(['put', 'nul_value', `@${file}`]);

    const result = await run(['exec', '--', 'true']);

    expect(result.status).toBe(1);
    expect(result.stderr).toContain('secret "nul_value" contains a NUL character');
  });
});

describe('command line', () => {
  it('prints help for every command', async () => {
    for (const command of ['get', 'getall', 'keys', 'list', 'put', 'putall', 'delete', 'setup', 'exec']) {
      const help = await runCli([command, '--help'], { env: offlineEnv(home.path) });
      expect(help.status).toBe(0);
      expect(help.text).toContain(`Usage: credstash-ts ${command}`);
    }
  });

  it('prints the version', async () => {
    const result = await runCli(['--version'], { env: offlineEnv(home.path) });

    expect(result.text).toBe(`${packageJson.version}\n`);
  });

  it('exits 1 on usage errors', async () => {
    const cases = [['bogus'], ['get'], ['get', 'x', '-f', 'xml'], ['put', 'x', 'y', '-d', 'sha256'], ['-p', 'dev', '-n', 'arn:aws:iam::1:role/x', 'keys'], ['-r', 'eu-west-1', 'keys']];
    for (const args of cases) {
      const result = await cli(args);
      expect(result.status, args.join(' ')).toBe(1);
      expect(result.stderr, args.join(' ')).toMatch(/^credstash-ts: /);
    }
  });

  it('names the flag of an invalid table', async () => {
    const result = await runCli(['-t', 'ab', 'keys'], { env: offlineEnv(home.path) });

    expect(result.status).toBe(1);
    expect(result.stderr).toBe(
      'credstash-ts: invalid -t/--table "ab": DynamoDB table names have 3 to 255 characters from A-Z, a-z, 0-9, "_", "-" and ".", or are a table ARN.\n',
    );
  });

  it('points usage errors at the right help', async () => {
    const missingValue = await cli(['get', 'x', '--version']);
    const missingTable = await cli(['-t']);

    expect(missingValue.stderr).toContain('Run "credstash-ts get --help" for usage.');
    expect(missingTable.stderr).toContain('Run "credstash-ts --help" for usage.');
  });

  it('prints a stack trace only with --debug', async () => {
    const run = await freshTable();

    const plain = await run(['get', 'missing']);
    const debug = await run(['--debug', 'get', 'missing']);

    expect(plain.stderr).toBe('credstash-ts: secret "missing" not found. Check the name, version and table.\n');
    expect(debug.stderr).toContain('SecretNotFoundError');
    expect(debug.stderr).toMatch(/\n\s+at /);
  });

  it('accepts the Python log options and writes no log', async () => {
    const run = await freshTable();

    const result = await run(['--log-level', 'DEBUG', '--log-file', join(home.path, 'never.log'), 'keys']);

    expect(result.status).toBe(0);
    await expect(readFile(join(home.path, 'never.log'))).rejects.toThrow();
  });

  it('rejects an insecure master key file', async () => {
    const dir = join(home.path, 'insecure');
    await runCli(['--offline', dir, 'setup'], { env: offlineEnv(home.path) });
    await runCli(['--offline', dir, 'put', 'x', 'y'], { env: offlineEnv(home.path) });
    await chmod(join(dir, 'master.key'), 0o644);

    const result = await runCli(['--offline', dir, 'get', 'x'], { env: offlineEnv(home.path) });

    expect(result.status).toBe(1);
    expect(result.stderr).toContain('chmod 600');
  });
});

