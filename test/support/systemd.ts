import { readFile } from 'node:fs/promises';

/** One Exec line of a unit: its argv and whether a failure is ignored (the `-` prefix). */
export interface ExecLine {
  readonly argv: string[];
  readonly ignoreFailure: boolean;
}

/** The Exec settings of a service after its drop-ins, in the order systemd applies them. */
export type ExecSettings = Record<string, ExecLine[]>;

/**
 * Reads the Exec* settings of a unit file followed by its drop-ins, as systemd merges
 * them: each line appends, and an empty assignment clears the list so far. It covers what
 * the shipped units use (single and double quotes, the `-` prefix), not every systemd rule.
 */
export async function readExecSettings(files: readonly string[]): Promise<ExecSettings> {
  const settings: ExecSettings = {};
  for (const file of files) {
    const text = await readFile(file, 'utf8');
    for (const rawLine of text.split('\n')) {
      const line = rawLine.trim();
      const match = /^(Exec[A-Za-z]+)=(.*)$/.exec(line);
      if (match === null) {
        continue;
      }
      const [, key = '', value = ''] = match;
      if (value.trim() === '') {
        settings[key] = [];
        continue;
      }
      const ignoreFailure = value.startsWith('-');
      (settings[key] ??= []).push({ argv: splitCommandLine(value.replace(/^[-@+!:]+/, '')), ignoreFailure });
    }
  }
  return settings;
}

function splitCommandLine(text: string): string[] {
  const words: string[] = [];
  let current = '';
  let quote: string | undefined;
  let inWord = false;
  for (const character of text) {
    if (quote !== undefined) {
      if (character === quote) {
        quote = undefined;
      } else {
        current += character;
      }
    } else if (character === "'" || character === '"') {
      quote = character;
      inWord = true;
    } else if (/\s/.test(character)) {
      if (inWord) {
        words.push(current);
      }
      current = '';
      inWord = false;
    } else {
      current += character;
      inWord = true;
    }
  }
  if (inWord) {
    words.push(current);
  }
  return words;
}

/**
 * Replaces whole words of an argv, and inserts arguments after each word that names a
 * program, at any position, because a hook may run the program itself after "--".
 */
export function rewriteArgv(argv: readonly string[], replace: Readonly<Record<string, string>>, insertAfter: Readonly<Record<string, readonly string[]>> = {}): string[] {
  const result: string[] = [];
  for (const word of argv) {
    const replaced = replace[word] ?? word;
    result.push(replaced);
    if (insertAfter[word] !== undefined) {
      result.push(...(insertAfter[word] as string[]));
    }
  }
  return result;
}
