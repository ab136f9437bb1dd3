import { Option } from 'commander';

import { DIGESTS, DEFAULT_DIGEST, parseDigestOption, type Digest } from '../../format/digest.js';
import { VERSION_WIDTH } from '../../format/version.js';
import type { EncryptionContext } from '../../keys/key-provider.js';
import type { StoreOptions } from '../commands/put.js';
import { formatSecrets, SECRETS_FORMATS, type SecretsFormat } from '../format/secrets-format.js';
import { usageError } from '../lib/cli-error.js';
import { parsePythonInt } from '../lib/python-int.js';
import type { CliIo, ProgramRuntime } from './program-runtime.js';

/** Flags of the commands that print a map of secrets. */
export interface SecretsOutputOptions {
  readonly format: SecretsFormat;
  readonly replaceInvalid?: boolean;
}

/** Flags that `put` and `putall` share, as commander parses them. */
export interface StoreFlags {
  readonly key?: string;
  readonly comment?: string;
  readonly version?: string;
  readonly autoversion?: boolean;
  readonly digest: Digest;
}

/** Maps the shared flags to the commands' store options, with the command's default version. */
export function storeOptions(flags: StoreFlags, context: EncryptionContext, defaultVersion: string): StoreOptions {
  const version = flags.version ?? defaultVersion;
  return {
    context,
    keyId: flags.key,
    comment: flags.comment,
    // Python pads an empty version to nineteen zeros; "0" pads to the same.
    version: version === '' ? '0' : version,
    autoVersion: flags.autoversion === true,
    digest: flags.digest,
  };
}

/** Notes on standard error that -v has no effect next to -a. */
export function warnIgnoredVersion(io: CliIo, flags: StoreFlags): void {
  if (flags.autoversion === true && flags.version !== undefined) {
    io.stderr.write('credstash-ts: -v is ignored with -a, as in Python credstash.\n');
  }
}

/**
 * Reads a -v value of get, getall or exec as Python credstash 1.17.1 reads it. An empty
 * value is the latest version. A value shorter than 19 characters goes through Python's
 * `int()`, so `" 7"`, `"+7"`, `"0_7"` and `"٧"` all read version 7. Any other value is
 * padded as given, where Python fails with `invalid literal for int()`.
 */
export function readVersion(version: string | undefined): string | undefined {
  if (version === undefined || version === '') {
    return undefined;
  }
  // Python's len() counts code points, not UTF-16 units.
  if ([...version].length >= VERSION_WIDTH) {
    return version;
  }
  return parsePythonInt(version) ?? version;
}

/** Creates the -f option of the commands that print a map of secrets. */
export function formatOption(): Option {
  return new Option('-f, --format <format>', 'output format of a map of secrets').choices(SECRETS_FORMATS).default('json');
}

/** Creates the -d option of put and putall. */
export function digestOption(): Option {
  // The library's check names the exact spelling when only the case is wrong ("sha256").
  return new Option('-d, --digest <digest>', `HMAC digest: ${DIGESTS.join(', ')}`)
    .argParser((value) => {
      try {
        return parseDigestOption(value);
      } catch (error) {
        throw usageError(`option -d: ${(error as Error).message}`);
      }
    })
    .default(DEFAULT_DIGEST);
}

/** Formats a map of secrets as the -f and --replace-invalid flags ask. */
export function formatSecretsOutput(secrets: Record<string, string>, options: SecretsOutputOptions): string {
  return formatSecrets(secrets, options.format, options.replaceInvalid === true ? 'replace' : 'reject');
}

/** Rejects -k with the offline store, which has one local master key, so no KMS key can be chosen. */
export function rejectKeyOffline(runtime: ProgramRuntime, flags: StoreFlags): void {
  if (flags.key !== undefined && runtime.globals().backend.kind === 'offline') {
    throw usageError('-k names a KMS key, but the offline store wraps every secret with its local master key. Leave -k out.');
  }
}
