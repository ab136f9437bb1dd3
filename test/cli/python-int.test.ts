import { describe, expect, it } from 'vitest';

import { parsePythonInt } from '../../src/cli/lib/python-int.js';
import { runProcess } from './support/processes.js';

// parsePythonInt must read every string as the installed Python 3's int() does. The expected
// values come from running Python on the same strings.

const PYTHON = process.env['PYTHON'] ?? 'python3';

const PYTHON_INT = `
import json, sys
def read(text):
    try:
        return str(int(text))
    except ValueError:
        return None
print(json.dumps([read(text) for text in json.load(sys.stdin)]))
`;

const DECIMAL_DIGITS = `
import json, sys, unicodedata
digits = {c: unicodedata.decimal(chr(c)) for c in range(0x110000) if unicodedata.decimal(chr(c), None) is not None}
categories = {c: unicodedata.category(chr(c)) for c in json.load(sys.stdin)}
print(json.dumps({"digits": digits, "categories": categories}))
`;

async function runPython(script: string, input: unknown): Promise<unknown> {
  const result = await runProcess(PYTHON, ['-c', script], { env: { PATH: process.env['PATH'], PYTHONIOENCODING: 'utf-8' }, input: JSON.stringify(input) });
  if (result.status !== 0) {
    throw new Error(`${PYTHON} failed: ${result.stderr}`);
  }
  return JSON.parse(result.text);
}

const CASES = [
  '7', ' 7', '+7', '-7', '-0', '+0', '007', '0_7', '1_0', '1_000_000', '\t7\n', ' \v\f\r7 ',
  '\u0667', '\uff17', '\u{1d7d5}', '\u0667_\u0667', '\u3000 7\u00a0', '\u00857\u2029',
  '7_', '_7', '1__0', '+_7', '- 7', '+-7', '', ' ', '\x1c7', '7\x1f', '7\ufeff', '\u200b7',
  '0x7', '7.0', '1e1', 'abc', 'v1', '٧a', '9999999999999999999999', '-00012',
];

describe('parsePythonInt', () => {
  it('reads the cases as int() does', async () => {
    const expected = (await runPython(PYTHON_INT, CASES)) as (string | null)[];

    for (const [index, text] of CASES.entries()) {
      expect(parsePythonInt(text) ?? null, JSON.stringify(text)).toBe(expected[index]);
    }
  });

  it('skips the whitespace int() skips', async () => {
    const texts = Array.from({ length: 0x3001 }, (_, codePoint) => String.fromCodePoint(codePoint)).map((character) => `${character}7${character}`);
    const expected = (await runPython(PYTHON_INT, texts)) as (string | null)[];

    const mismatches = texts.filter((text, index) => (parsePythonInt(text) ?? null) !== expected[index]).map((text) => text.codePointAt(0)?.toString(16));
    expect(mismatches).toEqual([]);
  });

  it('gives every Python digit its value', async () => {
    const ourDigits = Array.from({ length: 0x110000 }, (_, codePoint) => codePoint).filter((codePoint) => /^\p{Nd}$/u.test(String.fromCodePoint(codePoint)));
    const { digits, categories } = (await runPython(DECIMAL_DIGITS, ourDigits)) as { digits: Record<string, number>; categories: Record<string, string> };

    for (const [codePoint, value] of Object.entries(digits)) {
      expect(parsePythonInt(String.fromCodePoint(Number(codePoint))), `U+${Number(codePoint).toString(16)}`).toBe(String(value));
    }
    // Digits that only Node.js reads are characters Python's older Unicode database has not assigned.
    const onlyOurs = ourDigits.filter((codePoint) => digits[codePoint] === undefined);
    expect(onlyOurs.map((codePoint) => categories[codePoint])).toEqual(onlyOurs.map(() => 'Cn'));
  });
});
