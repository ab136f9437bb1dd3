import {
  CredstashError,
  EncryptionContextError,
  EnvironmentNameError,
  GetAllSecretsError,
  InvalidArgumentError,
  KeyProviderError,
  VersionExistsError,
} from '../../errors/index.js';
import { CliError } from './cli-error.js';

/** The message and exit status for an error that ended a command. */
export interface ErrorReport {
  readonly message: string;
  readonly exitCode: number;
}

/**
 * Turns an error into the line printed on standard error and the exit status: the shell's
 * codes for exec, 130 for a prompt interrupted with Ctrl-C, and 1 for everything else.
 * With `debug` the stack and the chain of causes follow, for bug reports.
 */
export function reportError(error: unknown, debug: boolean): ErrorReport {
  const message = `credstash-ts: ${describeError(error)}`;
  const exitCode = error instanceof CliError ? error.exitCode : 1;
  return { message: debug ? `${message}\n${describeStack(error)}` : message, exitCode };
}

// Library options that the CLI sets from a flag, so that a rejected value names the flag.
const FLAGS: Readonly<Record<string, string>> = {
  table: '-t/--table',
  tableName: '-t/--table',
  region: '-r/--region',
  profile: '-p/--profile',
  endpoint: '--endpoint-url',
  directory: '--offline',
  version: '-v/--version',
  comment: '-c/--comment',
  keyId: '-k/--key',
};

/**
 * Describes an error in the CLI's words: library messages are kept, except where they name
 * library options instead of flags. Used for the error that ends a command and for each
 * failure that `putall` lists.
 */
export function describeError(error: unknown): string {
  if (error instanceof VersionExistsError) {
    // Python credstash 1.17.1 words this message the same way, naming the highest version.
    return (
      `${error.secretName} version ${error.highestVersion ?? error.version} is already in the credential store. ` +
      'Use the -v flag to specify a new version, or -a to store the next one.'
    );
  }
  if (error instanceof InvalidArgumentError) {
    const flag = FLAGS[error.argument];
    const prefix = `invalid ${error.argument}`;
    return flag !== undefined && error.message.startsWith(prefix) ? `invalid ${flag}${error.message.slice(prefix.length)}` : error.message;
  }
  if (error instanceof EnvironmentNameError) {
    return describeEnvironmentNameError(error);
  }
  if (error instanceof CredstashError || error instanceof CliError) {
    return error.message;
  }
  const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return `unexpected error (${detail}). Run again with --debug and report it with the output.`;
}

/**
 * Adds to a {@link GetAllSecretsError} what the command that read the secrets can do about
 * its failures: pass the encryption context when one was missing or wrong, and the command's
 * own way to leave unreadable secrets out. Other errors are returned unchanged.
 */
export function explainUnreadableSecrets(error: unknown, command: 'getall' | 'get' | 'exec'): unknown {
  if (!(error instanceof GetAllSecretsError)) {
    return error;
  }
  const hints: string[] = [];
  if (error.failures.some((failure) => failure.error instanceof EncryptionContextError)) {
    hints.push('Every secret is read with the KEY=VALUE encryption context given on the command line, so pass the one they were stored with.');
  }
  const ways = {
    getall: 'getall --partial prints the readable secrets and lists the others.',
    get: 'Narrow the pattern to leave them out.',
    exec: 'exec starts its command only when every secret can be read, so leave the others out with --pattern.',
  } as const;
  hints.push(ways[command]);
  return new CliError('ERR_READ_SECRET', `${error.message}\n${hints.join(' ')}`, { cause: error });
}

/**
 * Names the secret in a key provider's error, whose message cannot know it, so that a
 * wrong or missing encryption context reads `cannot read secret "db" (latest version): ...`.
 * Other errors are returned unchanged.
 */
export function nameSecretInError(error: unknown, name: string, version: string | undefined): unknown {
  if (!(error instanceof KeyProviderError)) {
    return error;
  }
  const target = version === undefined ? 'latest version' : `version ${version}`;
  const hint = error instanceof EncryptionContextError ? ' The encryption context goes after the name as KEY=VALUE arguments.' : '';
  return new CliError('ERR_READ_SECRET', `cannot read secret "${name}" (${target}): ${error.message}${hint}`, { cause: error });
}

function describeEnvironmentNameError(error: EnvironmentNameError): string {
  const lines: string[] = [];
  if (error.invalidNames.length > 0) {
    const names = error.invalidNames.slice(0, 20).map((name) => JSON.stringify(name));
    const more = error.invalidNames.length > 20 ? ` and ${error.invalidNames.length - 20} more` : '';
    const subject = error.invalidNames.length === 1 ? `secret name ${names.join('')} is not an environment variable name` : `secret names ${names.join(', ')}${more} are not environment variable names`;
    lines.push(`${subject} (ASCII letters, digits and _, not starting with a digit). Pass --replace-invalid to map other characters to _.`);
  }
  for (const { variable, secretNames } of error.collisions) {
    lines.push(`secret names ${secretNames.map((name) => JSON.stringify(name)).join(', ')} all map to ${variable}; rename or leave out all but one.`);
  }
  return lines.join('\n');
}

function describeStack(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && depth < 10; depth += 1) {
    parts.push(current instanceof Error ? (current.stack ?? `${current.name}: ${current.message}`) : String(current));
    current = current instanceof Error ? current.cause : undefined;
    if (current !== undefined) {
      parts.push('Caused by:');
    }
  }
  return parts.join('\n');
}
