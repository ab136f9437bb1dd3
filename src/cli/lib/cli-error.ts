/**
 * Stable codes of the errors the CLI itself raises (library errors keep their own codes).
 * `ERR_USAGE` is a command line that cannot be run as typed.
 */
export type CliErrorCode =
  | 'ERR_USAGE'
  | 'ERR_NO_TERMINAL'
  | 'ERR_INTERRUPTED'
  | 'ERR_INPUT_ENDED'
  | 'ERR_INVALID_INPUT'
  | 'ERR_CONFIG_FILE'
  | 'ERR_PUTALL'
  | 'ERR_COMMAND_NOT_FOUND'
  | 'ERR_COMMAND_NOT_EXECUTABLE'
  | 'ERR_ASSUME_ROLE'
  | 'ERR_PROFILE_NOT_FOUND'
  | 'ERR_READ_SECRET';

// Every failure exits with 1, usage errors included, so scripts test one status. Python
// credstash's argparse uses 2 for usage errors. Exec uses the shell's 127 and 126 for a
// command that cannot be found or run, and a prompt interrupted with Ctrl-C gives 130.
const EXIT_CODES: Readonly<Partial<Record<CliErrorCode, number>>> = {
  ERR_INTERRUPTED: 130,
  ERR_COMMAND_NOT_FOUND: 127,
  ERR_COMMAND_NOT_EXECUTABLE: 126,
};

/** A failure the CLI reports in its own words, with the exit status it ends with. */
export class CliError extends Error {
  readonly code: CliErrorCode;
  readonly exitCode: number;

  constructor(code: CliErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CliError';
    this.code = code;
    this.exitCode = EXIT_CODES[code] ?? 1;
  }
}

/** Creates the error for a command line that cannot be run as typed (exit status 1). */
export function usageError(message: string): CliError {
  return new CliError('ERR_USAGE', message);
}
