import { CliError } from './cli-error.js';

/** The part of standard input that a hidden prompt needs; `process.stdin` fits. */
export interface PromptInput {
  readonly isTTY?: boolean;
  setRawMode?(mode: boolean): unknown;
  setEncoding(encoding: BufferEncoding): unknown;
  on(event: 'data', listener: (chunk: string) => void): unknown;
  removeListener(event: 'data', listener: (chunk: string) => void): unknown;
  resume(): unknown;
  pause(): unknown;
}

const ENTER = new Set(['\r', '\n']);
const BACKSPACE = new Set(['\x7f', '\b']);
const CTRL_C = '\x03';
const CTRL_D = '\x04';
const CTRL_U = '\x15';

/**
 * Reads one line from the terminal without echoing it, like Python's getpass, which
 * Python credstash's `put -P` uses. Backspace and Ctrl-U edit the line, Enter ends it,
 * Ctrl-C and Ctrl-D abort. Without a terminal it throws at once instead of waiting for
 * input that never comes.
 */
export async function promptSecret(prompt: string, input: PromptInput, output: { write(text: string): unknown }): Promise<string> {
  if (input.isTTY !== true || input.setRawMode === undefined) {
    throw new CliError(
      'ERR_NO_TERMINAL',
      '-P prompts on a terminal, but standard input is not one. Pass the value as an argument, as @FILE, or as - to read standard input.',
    );
  }
  const setRawMode = input.setRawMode.bind(input);

  // Echo is off before the prompt shows, so keys typed right after it are never echoed.
  setRawMode(true);
  input.setEncoding('utf8');
  output.write(prompt);

  return new Promise<string>((resolve, reject) => {
    let characters: string[] = [];

    const finish = (result: { value: string } | { error: CliError }): void => {
      input.removeListener('data', onData);
      setRawMode(false);
      input.pause();
      output.write('\n');
      if ('value' in result) {
        resolve(result.value);
      } else {
        reject(result.error);
      }
    };

    // In raw mode every key arrives as typed, and a paste arrives as one chunk.
    const onData = (chunk: string): void => {
      for (const character of chunk) {
        if (ENTER.has(character)) {
          finish({ value: characters.join('') });
          return;
        }
        if (character === CTRL_C) {
          finish({ error: new CliError('ERR_INTERRUPTED', 'interrupted at the prompt; nothing was stored.') });
          return;
        }
        if (character === CTRL_D) {
          finish({ error: new CliError('ERR_INTERRUPTED', 'input ended at the prompt before Enter; nothing was stored.') });
          return;
        }
        if (BACKSPACE.has(character)) {
          characters = characters.slice(0, -1);
        } else if (character === CTRL_U) {
          characters = [];
        } else if (character >= ' ') {
          characters.push(character);
        }
      }
    };

    input.on('data', onData);
    input.resume();
  });
}
