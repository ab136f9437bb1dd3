import { compareKeys } from '../../tables/lib/compare-keys.js';

// The escapes YAML defines for characters that are written by name in double quotes.
const NAMED_ESCAPES: Readonly<Record<string, string>> = {
  '"': '\\"',
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};

/**
 * Formats secrets as a YAML map sorted by name, every key and value a double-quoted
 * scalar. Python credstash 1.17.1 uses PyYAML, which reads YAML 1.1. There a plain `yes`,
 * `=` or `1:20` is not a string, so every scalar is quoted, which means a string in YAML
 * 1.1 and 1.2 alike. Everything outside printable ASCII is escaped, as PyYAML's own output
 * does, because PyYAML rejects raw control characters such as U+007F. The bytes differ from
 * PyYAML's, which quotes only where needed, but both parse to the same map.
 */
export function formatYaml(secrets: Readonly<Record<string, string>>): string {
  const names = Object.keys(secrets).sort(compareKeys);
  if (names.length === 0) {
    return '{}\n';
  }

  return names.map((name) => `${quoteYaml(name)}: ${quoteYaml(secrets[name] as string)}\n`).join('');
}

function quoteYaml(text: string): string {
  let quoted = '"';
  for (const character of text) {
    const code = character.codePointAt(0) as number;
    const named = NAMED_ESCAPES[character];
    if (named !== undefined) {
      quoted += named;
    } else if (code >= 0x20 && code <= 0x7e) {
      quoted += character;
    } else if (code <= 0xff) {
      quoted += `\\x${hex(code, 2)}`;
    } else if (code <= 0xffff) {
      quoted += `\\u${hex(code, 4)}`;
    } else {
      quoted += `\\U${hex(code, 8)}`;
    }
  }
  return `${quoted}"`;
}

function hex(code: number, width: number): string {
  return code.toString(16).toUpperCase().padStart(width, '0');
}
