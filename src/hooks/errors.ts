import { CredstashError } from '../errors/credstash-error.js';

/**
 * A hook config file is missing, unreadable, unsafe or invalid. The message names the file,
 * the setting and the value, and explains the fix.
 */
export class HookConfigError extends CredstashError {
  /** Path of the config file. */
  readonly path: string;
  /** Setting that was rejected, such as `"log.file"`, or undefined for the file as a whole. */
  readonly setting: string | undefined;

  constructor(path: string, setting: string | undefined, message: string, options?: { cause?: unknown }) {
    super('ERR_HOOK_CONFIG', `${path}: ${message}`, options);
    this.path = path;
    this.setting = setting;
  }
}

/** A hook step did not finish within the configured `timeout`. */
export class HookTimeoutError extends CredstashError {
  /** The limit that ran out, in milliseconds. */
  readonly timeout: number;

  constructor(action: string, timeout: number) {
    super('ERR_HOOK_TIMEOUT', `${action} timed out after ${timeout / 1000} s. Check that the key and table providers are reachable, or raise "timeout" in the hook config.`);
    this.timeout = timeout;
  }
}

/**
 * A stored passphrase cannot be handed to the web server: it is empty, contains a line
 * break or a NUL byte, or is longer than the server accepts. The message names the secret
 * and the problem, never the passphrase.
 */
export class InvalidPassphraseError extends CredstashError {
  readonly secretName: string;

  constructor(secretName: string, problem: string) {
    super('ERR_INVALID_PASSPHRASE', `the passphrase stored in secret "${secretName}" ${problem}`);
    this.secretName = secretName;
  }
}
