import { compareKeys } from '../../tables/lib/compare-keys.js';

// The escapes of Python's json module for the characters it escapes by name.
const NAMED_ESCAPES: Readonly<Record<string, string>> = {
  '"': '\\"',
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
};

/**
 * Formats a map of secrets exactly as Python credstash 1.17.1 does with
 * `json.dumps(secrets, sort_keys=True, indent=4, separators=(',', ': '))`. Keys are in code
 * point order with a four-space indent. Because `ensure_ascii` is on, every character
 * outside printable ASCII is a lower-case `\uXXXX` escape, and a character above U+FFFF is
 * a surrogate pair of them. The result has no trailing newline.
 */
export function formatPythonJson(secrets: Readonly<Record<string, string>>): string {
  const names = Object.keys(secrets).sort(compareKeys);
  if (names.length === 0) {
    return '{}';
  }

  const lines = names.map((name) => `    ${quotePython(name)}: ${quotePython(secrets[name] as string)}`);
  return `{\n${lines.join(',\n')}\n}`;
}

/** Quotes a string as Python's `json.dumps` does with `ensure_ascii=True`. */
export function quotePython(text: string): string {
  let quoted = '"';
  // Walks UTF-16 code units, so characters above U+FFFF come out as surrogate pairs, as in Python.
  for (let index = 0; index < text.length; index += 1) {
    const character = text[index] as string;
    const code = text.charCodeAt(index);
    const named = NAMED_ESCAPES[character];
    if (named !== undefined) {
      quoted += named;
    } else if (code < 0x20 || code > 0x7e) {
      quoted += `\\u${code.toString(16).padStart(4, '0')}`;
    } else {
      quoted += character;
    }
  }
  return `${quoted}"`;
}
