import type { Credstash } from '../../store/credstash.js';
import type { GlobalOptions } from '../lib/global-options.js';
import type { Progress, ProgressStream } from '../lib/progress.js';
import type { PromptInput } from '../lib/prompt-secret.js';

/** The streams and environment a CLI run works with. */
export interface CliIo {
  readonly stdin: PromptInput & AsyncIterable<Buffer | string>;
  readonly stdout: { write(text: string): boolean };
  readonly stderr: ProgressStream;
  /** Environment of the run; `exec` passes it on to its command. */
  readonly env: NodeJS.ProcessEnv;
}

/** Result of a run besides its output. */
export interface CliOutcome {
  exitCode: number;
}

/** Streams, options and store of a run, shared by every command definition; the store opens on demand. */
export interface ProgramRuntime {
  readonly io: CliIo;
  readonly outcome: CliOutcome;
  /** Writes to standard output, after erasing a progress line that would run into it. */
  write(text: string): void;
  /** Creates the progress line of a command on standard error; `write` erases it first. */
  startProgress(label: string): Progress;
  /** Checks and returns the global options. */
  globals(): GlobalOptions;
  /** Opens the store the global options describe and runs `action` with it. */
  withStore<T>(action: (store: Credstash) => Promise<T>): Promise<T>;
}
