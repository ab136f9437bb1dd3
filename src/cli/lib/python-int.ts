// What Python 3's int() skips around a number: ASCII whitespace, and the non-ASCII
// characters for which str.isspace() is true, which CPython turns into spaces first. The
// ASCII separators U+001C to U+001F are isspace() too, but int() rejects them.
const SPACE = '[ \\t\\n\\v\\f\\r\\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]';
// A sign, then decimal digits of any script with single underscores between them (PEP 515).
const PYTHON_INT = new RegExp(`^${SPACE}*([+-]?)(\\p{Nd}+(?:_\\p{Nd}+)*)${SPACE}*$`, 'u');
const DECIMAL_DIGIT = /^\p{Nd}$/u;

/**
 * Reads `text` as Python 3's `int(text)` does and returns the integer in ASCII decimal
 * (`" +007 "` gives `"7"`, `"٧"` gives `"7"`, `"-0"` gives `"0"`), or undefined where int()
 * raises ValueError.
 *
 * NOTE: which characters are digits follows the Unicode version of Node.js (17.0 in Node.js
 * 20.20), so digits of scripts added after Unicode 14.0 are read here while Python 3.11,
 * which has Unicode 14.0, rejects them.
 */
export function parsePythonInt(text: string): string | undefined {
  const match = PYTHON_INT.exec(text);
  if (match === null) {
    return undefined;
  }
  const [, sign, digits] = match as unknown as [string, string, string];

  const ascii = [...digits]
    .filter((character) => character !== '_')
    .map((character) => decimalValue(character))
    .join('');
  const magnitude = BigInt(ascii).toString();
  return sign === '-' && magnitude !== '0' ? `-${magnitude}` : magnitude;
}

// Unicode encodes every script's decimal digits as a contiguous run from 0 to 9, and runs
// that touch (the mathematical digits, say) are whole runs of ten. So a digit's value is its
// distance from the start of its contiguous stretch of digits, modulo 10.
function decimalValue(character: string): number {
  const codePoint = character.codePointAt(0) as number;
  let start = codePoint;
  while (start > 0 && DECIMAL_DIGIT.test(String.fromCodePoint(start - 1))) {
    start -= 1;
  }
  return (codePoint - start) % 10;
}
