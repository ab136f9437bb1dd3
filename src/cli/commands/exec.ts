import { toEnvironmentVariables, type InvalidNameHandling } from '../../env/environment-name.js';
import type { EncryptionContext } from '../../keys/key-provider.js';
import type { Credstash } from '../../store/credstash.js';
import { runChild } from '../lib/run-child.js';

/** Options of the `exec` command. */
export interface ExecOptions {
  readonly context: EncryptionContext;
  /** Version to read from every name; the latest when undefined. */
  readonly version: string | undefined;
  /** Only secrets whose names match, where `*` matches any run of characters; all when undefined. */
  readonly pattern: string | undefined;
  readonly invalidNames: InvalidNameHandling;
  /** The command and its arguments. */
  readonly command: readonly string[];
  /** Environment the command starts from; secrets are added to it and replace variables of the same name. */
  readonly env: NodeJS.ProcessEnv;
}

/**
 * Runs a command with secrets in its environment and returns its exit status. Every secret
 * is read, and every name mapped, before the command starts, so it never runs with only
 * part of its secrets.
 */
export async function execCommand(store: Credstash, options: ExecOptions): Promise<number> {
  const secrets = await store.getAllSecrets({
    context: options.context,
    ...(options.version === undefined ? {} : { version: options.version }),
    ...(options.pattern === undefined ? {} : { pattern: options.pattern }),
  });
  const variables = toEnvironmentVariables(secrets, { invalidNames: options.invalidNames });

  return runChild(options.command, { ...options.env, ...variables });
}
