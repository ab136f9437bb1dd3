import { closeSync, openSync, writeSync } from 'node:fs';

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

/** Output stream of the prompt: the controlling terminal, or standard error without one. */
export interface PromptOutput {
  write(text: string): unknown;
  close?(): void;
}

const ENTER = new Set(['\r', '\n']);
const BACKSPACE = new Set(['\x7f', '\b']);
const CTRL_C = '\x03';
const CTRL_D = '\x04';
const CTRL_U = '\x15';

/**
 * Opens the controlling terminal for the prompt, as Python's getpass does, so that the
 * prompt shows even when standard error is redirected. Returns undefined when the process
 * has no controlling terminal (or the system has no /dev/tty).
 */
export function openControllingTerminal(): PromptOutput | undefined {
  let fd: number;
  try {
    fd = openSync('/dev/tty', 'w');
  } catch {
    return undefined;
  }
  return {
    write: (text) => writeSync(fd, text),
    close: () => closeSync(fd),
  };
}

/**
 * Reads one line from the terminal without echoing it, like Python's getpass, which
 * Python credstash's `put -P` uses. Backspace and Ctrl-U edit the line and Enter ends it.
 * Ctrl-C aborts with exit status 130, and Ctrl-D (end of input) with 1, as in Python.
 * The prompt goes to the controlling terminal, else to `fallbackOutput`. Without a terminal
 * on standard input it throws at once instead of waiting for input that never comes.
 */
export async function promptSecret(
  prompt: string,
  input: PromptInput,
  fallbackOutput: PromptOutput,
  openTerminal: () => PromptOutput | undefined = openControllingTerminal,
): Promise<string> {
  if (input.isTTY !== true || input.setRawMode === undefined) {
    throw new CliError(
      'ERR_NO_TERMINAL',
      '-P prompts on a terminal, but standard input is not one. Pass the value as an argument, as @FILE, or as - to read standard input.',
    );
  }
  const setRawMode = input.setRawMode.bind(input);
  const output = openTerminal() ?? fallbackOutput;

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
      output.close?.();
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
        // Python credstash exits with 1 when getpass reaches end of input. Python stores what
        // was typed when Ctrl-D follows it twice, because the terminal then sends the text
        // without a line end. Here any Ctrl-D ends the prompt without storing.
        if (character === CTRL_D) {
          finish({ error: new CliError('ERR_INPUT_ENDED', 'input ended at the prompt (Ctrl-D) before Enter; nothing was stored.') });
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
