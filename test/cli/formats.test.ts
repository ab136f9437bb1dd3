import { fileURLToPath } from 'node:url';

import fc from 'fast-check';
import { describe, expect, inject, it } from 'vitest';

import { formatCsv } from '../../src/cli/format/csv.js';
import { formatDotenv } from '../../src/cli/format/dotenv.js';
import { formatList } from '../../src/cli/format/list.js';
import { formatPythonJson } from '../../src/cli/format/python-json.js';
import { formatYaml } from '../../src/cli/format/yaml.js';
import { compareKeys } from '../../src/tables/lib/compare-keys.js';
import { runProcess } from './support/processes.js';

// Each output format is compared with what Python produces for the same random input,
// using the same standard-library calls as Python credstash 1.17.1.

const REFERENCE = fileURLToPath(new URL('./support/python-formats.py', import.meta.url));
const python = inject('pythonCredstash');

// Secrets are decoded UTF-8, so any code point but a lone surrogate can occur.
const text = fc.string({ unit: 'binary', maxLength: 40 });
const secretMaps = fc.array(fc.dictionary(text, text, { maxKeys: 6 }), { minLength: 100, maxLength: 100 });

async function reference(format: string, cases: unknown[]): Promise<unknown[]> {
  const result = await runProcess(python ?? 'python3', [REFERENCE], {
    env: { PATH: process.env['PATH'], PYTHONIOENCODING: 'utf-8' },
    input: JSON.stringify({ format, cases }),
  });
  if (result.status !== 0) {
    throw new Error(`the Python reference failed: ${result.stderr}`);
  }
  return JSON.parse(result.text) as unknown[];
}

function sample<T>(arbitrary: fc.Arbitrary<T>): T {
  return fc.sample(arbitrary, { numRuns: 1, seed: 20240601 })[0] as T;
}

describe.skipIf(python === null)('output formats against Python', () => {
  it('json matches json.dumps byte for byte', async () => {
    const maps = sample(secretMaps);
    maps.push({}, { 'é\u{1F600}\x7f': '\x00\b\f\n\r\t"\\\u2028' });

    const expected = await reference('json', maps);

    maps.forEach((map, index) => {
      expect(formatPythonJson(map), JSON.stringify(map)).toBe(expected[index]);
    });
  });

  it('csv matches csv.writer for sorted rows', async () => {
    // Python leaves a lone carriage return unquoted, where credstash-ts quotes it.
    const maps = sample(secretMaps).map((map) => Object.fromEntries(Object.entries(map).filter(([name, value]) => !`${name}${value}`.includes('\r'))));
    maps.push({ a: 'has,comma', b: 'has "quotes"', c: 'line\nbreak', d: 'crlf\r\nend', e: '' });
    const rows = maps.map((map) => Object.keys(map).sort(compareKeys).map((name) => [name, map[name]]));

    const expected = await reference('csv', rows);

    maps.forEach((map, index) => {
      expect(formatCsv(map), JSON.stringify(map)).toBe(expected[index]);
    });
  });

  it('csv quotes a lone carriage return', () => {
    expect(formatCsv({ name: 'a\rb' })).toBe('name,"a\rb"\n');
  });

  it('list matches the Python format string', async () => {
    const entries = fc.array(fc.tuple(text.filter((name) => name !== ''), fc.stringMatching(/^\d{19}$/), text), { minLength: 1, maxLength: 5 });
    const cases = fc.sample(entries, { numRuns: 50, seed: 7 });
    cases.push([['short', '0000000000000000001', ''], ['😀😀😀', '0000000000000000002', 'c']]);

    const expected = await reference('list', cases);

    cases.forEach((entry, index) => {
      const summaries = entry.map(([name, version, comment]) => ({ name, version, comment: comment === '' ? undefined : comment }));
      expect(formatList(summaries), JSON.stringify(entry)).toBe(expected[index]);
    });
  });

  it('yaml reads back through PyYAML unchanged', async () => {
    const maps = sample(secretMaps);
    maps.push({}, { yes: 'no', '=': '<<', '1:20': '~', null: '0o17', '- a': '? b', '#': '%', '\x7f': '\x85\u2028\ufeff' });

    const parsed = await reference('yaml', maps.map((map) => formatYaml(map)));

    maps.forEach((map, index) => {
      expect(parsed[index], JSON.stringify(map)).toEqual(map);
    });
  });
});

describe('dotenv format', () => {
  it('sources every value back unchanged', async () => {
    const values = fc.sample(fc.string({ unit: 'binary', maxLength: 60 }).filter((value) => !value.includes('\0')), { numRuns: 200, seed: 11 });
    values.push("'", "''", "'\\''", '$(id)', '`id`', '\\', '\n', '"$HOME"', '!', '%s');
    const secrets = Object.fromEntries(values.map((value, index) => [`v${index}`, value]));
    const script = `${formatDotenv(secrets, 'reject')}printf '%s\\0' ${values.map((_, index) => `"$V${index}"`).join(' ')}`;

    const result = await runProcess('sh', ['-c', script], { env: { PATH: process.env['PATH'] } });

    expect(result.status, result.stderr).toBe(0);
    expect(result.text.split('\0').slice(0, -1)).toEqual(values);
  });

  it('matches Python where the value has no single quote', () => {
    expect(formatDotenv({ db_password: 'p$ss "w" \\ \n end' }, 'reject')).toBe("DB_PASSWORD='p$ss \"w\" \\ \n end'\n");
  });
});
