import { spawn } from 'node:child_process';
import { constants } from 'node:os';

import { CliError } from './cli-error.js';

// Signals that reach credstash-ts are passed on, so that stopping the wrapper stops the
// command it runs. A Ctrl-C on a terminal reaches both, so the command receives it twice.
const FORWARDED_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT'] as const;

/**
 * Runs a command with the given environment and the caller's standard streams, and returns
 * its exit status. A command killed by a signal gives 128 plus the signal number, as in a
 * shell. A command that cannot be found or run gives 127 or 126, also as in a shell.
 */
export async function runChild(command: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  const [file, ...args] = command;
  if (file === undefined || file === '') {
    throw new CliError('ERR_USAGE', 'no command to run: put it after --, as in exec -- env.');
  }

  const child = spawn(file, args, { env, stdio: 'inherit' });
  const forward = (signal: NodeJS.Signals): void => {
    child.kill(signal);
  };
  for (const signal of FORWARDED_SIGNALS) {
    process.on(signal, forward);
  }

  try {
    return await new Promise<number>((resolve, reject) => {
      child.once('error', (error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') {
          reject(new CliError('ERR_COMMAND_NOT_FOUND', `command not found: ${file}. Check its name and PATH.`, { cause: error }));
        } else if (error.code === 'EACCES') {
          reject(new CliError('ERR_COMMAND_NOT_EXECUTABLE', `cannot run ${file}: permission denied.`, { cause: error }));
        } else {
          reject(new CliError('ERR_COMMAND_NOT_EXECUTABLE', `cannot run ${file}: ${error.message}`, { cause: error }));
        }
      });
      child.once('exit', (code, signal) => {
        resolve(code ?? 128 + (signal === null ? 0 : constants.signals[signal]));
      });
    });
  } finally {
    for (const signal of FORWARDED_SIGNALS) {
      process.removeListener(signal, forward);
    }
  }
}
