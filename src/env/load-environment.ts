import { CredstashError, EnvironmentConflictError, GetAllSecretsError, InvalidArgumentError, type SecretFailure } from '../errors/index.js';
import { padVersion } from '../format/version.js';
import type { EncryptionContext } from '../keys/key-provider.js';
import type { Credstash } from '../store/credstash.js';
import { mapConcurrent } from '../store/lib/map-concurrent.js';
import { validateFlag, validateName, validateOptions, validatePositiveInteger } from '../store/lib/validate.js';
import { compareKeys } from '../tables/lib/compare-keys.js';
import { toEnvironmentVariables, type InvalidNameHandling } from './environment-name.js';
import type { EnvironmentVariables } from './environment-variable-name.js';

/**
 * Handling of a variable that `assignTo` already has, with any value other than `undefined`
 * (an empty string counts as set). `"reject"` assigns nothing and throws
 * {@link EnvironmentConflictError}, `"keep"` leaves that variable as it is, and `"overwrite"`
 * replaces it with the secret.
 *
 * @example
 * ```ts
 * // A developer's own DB_PASSWORD wins over the stored one.
 * await loadEnvironment(credstash, { names: ['db_password'], assignTo: process.env, existing: 'keep' });
 * ```
 */
export type ExistingVariableHandling = 'reject' | 'keep' | 'overwrite';

/**
 * Options of {@link loadEnvironment}. `names` and `pattern` choose the secrets; without
 * either, every secret in the table is loaded.
 *
 * @example
 * ```ts
 * await loadEnvironment(credstash, { pattern: 'app_*', context: { env: 'prod' }, assignTo: process.env });
 * ```
 */
export interface LoadEnvironmentOptions<Name extends string = string, Handling extends InvalidNameHandling = 'reject'> {
  /**
   * Secret names to load. Each is read with `getSecret`, so the `Credstash` read cache
   * applies, and each must exist. Cannot be combined with `pattern`.
   */
  readonly names?: readonly Name[];
  /**
   * Only secrets whose names match, where `*` matches any run of characters. They are read
   * with one `getAllSecrets` scan. Cannot be combined with `names`.
   */
  readonly pattern?: string;
  /** Version to read of every secret; a secret without it is a failure. @default the latest version */
  readonly version?: string | number;
  /** Encryption context passed for every secret. @default {} */
  readonly context?: EncryptionContext;
  /** Handling of secret names that are not valid variable names, as in the CLI's `exec --replace-invalid`. @default "reject" */
  readonly invalidNames?: Handling;
  /**
   * Object to assign the variables to, usually `process.env`. Without it nothing outside
   * the returned object changes.
   */
  readonly assignTo?: Record<string, string | undefined>;
  /** Handling of variables that `assignTo` already has. @default "reject" */
  readonly existing?: ExistingVariableHandling;
  /**
   * When true, resolve with the secrets that could be read and the list of failures,
   * instead of rejecting with {@link GetAllSecretsError}. Names that cannot be mapped to
   * variables, and conflicts with `assignTo`, still reject. @default false
   */
  readonly allowPartial?: boolean;
  /** Maximum number of `names` read at once. @default 32 */
  readonly concurrency?: number;
}

/**
 * Result of {@link loadEnvironment} with `allowPartial: true`.
 *
 * @example
 * ```ts
 * const { variables, failures } = await loadEnvironment(credstash, { names: ['db_password'], allowPartial: true });
 * if (failures.length > 0) console.warn('not loaded:', failures.map((failure) => failure.name));
 * ```
 */
export interface PartialEnvironment<Name extends string = string, Handling extends InvalidNameHandling = 'reject'> {
  /** Variables of the secrets that were read. */
  readonly variables: Partial<EnvironmentVariables<Name, Handling>>;
  /** Every secret that could not be read, with its error. Empty when all were read. */
  readonly failures: readonly SecretFailure[];
}

// Default of LoadEnvironmentOptions.concurrency, the same as the store's for getAllSecrets.
const DEFAULT_NAME_CONCURRENCY = 32;
// The two Credstash methods loadEnvironment calls, so that a wrapper or a test double works too.
type Reader = Pick<Credstash, 'getSecret' | 'getAllSecrets'>;
const EXISTING_HANDLINGS: readonly ExistingVariableHandling[] = ['reject', 'keep', 'overwrite'];

/**
 * Loads secrets as environment variables, at the start of a service or a Lambda handler.
 * Names become variables by the rule of the CLI's `exec` command ({@link toEnvironmentName}):
 * `db_password` becomes `DB_PASSWORD`, other names are rejected unless `invalidNames` is
 * `"replace"`, and two names that give the same variable are rejected.
 *
 * It is all or nothing: every secret is read, every name mapped and every conflict with
 * `assignTo` checked before anything is assigned, so a failure leaves `assignTo` unchanged.
 * Nothing outside the returned object changes unless `assignTo` is given, and variables that
 * `assignTo` already has are only replaced with `existing: "overwrite"`. The returned object
 * always contains the values read from credstash, also for variables that `existing: "keep"` left.
 *
 * @returns An object that maps each variable name to its secret. With `names` given as
 * string literals, its type has one property per name.
 * @throws GetAllSecretsError listing every secret that could not be read (not found, wrong context, ...).
 * @throws EnvironmentNameError when a name is not a valid variable name, or two names give the same variable.
 * @throws EnvironmentConflictError when `assignTo` already has one of the variables and `existing` is `"reject"`.
 * @throws InvalidArgumentError for invalid options, before anything is read.
 * @example
 * ```ts
 * import { Credstash, loadEnvironment } from 'credstash-ts';
 *
 * const credstash = new Credstash({ region: 'eu-west-1' });
 * const { DB_PASSWORD, API_TOKEN } = await loadEnvironment(credstash, { names: ['db_password', 'api_token'] });
 * await loadEnvironment(credstash, { pattern: 'app_*', assignTo: process.env }); // APP_DB_URL, APP_MODE, ...
 * ```
 */
export function loadEnvironment<const Name extends string = string, const Handling extends InvalidNameHandling = 'reject'>(
  credstash: Pick<Credstash, 'getSecret' | 'getAllSecrets'>,
  options: LoadEnvironmentOptions<Name, Handling> & { readonly allowPartial: true },
): Promise<PartialEnvironment<Name, Handling>>;
export function loadEnvironment<const Name extends string = string, const Handling extends InvalidNameHandling = 'reject'>(
  credstash: Pick<Credstash, 'getSecret' | 'getAllSecrets'>,
  options?: LoadEnvironmentOptions<Name, Handling> & { readonly allowPartial?: false },
): Promise<EnvironmentVariables<Name, Handling>>;
export async function loadEnvironment(credstash: Reader, loadOptions?: LoadEnvironmentOptions): Promise<Record<string, string> | PartialEnvironment> {
  const options = validateOptions(loadOptions, 'loadEnvironment');
  const names = validateNames(options.names);
  if (names !== undefined && options.pattern !== undefined) {
    throw new InvalidArgumentError('pattern', 'pass either names or pattern, not both: names loads exactly those secrets, pattern every secret whose name matches.');
  }
  const allowPartial = validateFlag('allowPartial', options.allowPartial);
  const existing = validateExisting(options.existing);
  const assignTo = validateTarget(options.assignTo);
  const concurrency = validatePositiveInteger('concurrency', options.concurrency, DEFAULT_NAME_CONCURRENCY);
  const nameOptions = options.invalidNames === undefined ? {} : { invalidNames: options.invalidNames };
  // Mapping the requested names first rejects a bad name before any request is sent.
  if (names !== undefined) {
    toEnvironmentVariables(Object.fromEntries(names.map((name) => [name, ''])), nameOptions);
  }

  const read = names === undefined ? await readMatching(credstash, options) : await readNames(credstash, names, options, concurrency);
  if (read.failures.length > 0 && !allowPartial) {
    throw new GetAllSecretsError(read.failures, read.total);
  }
  const variables = toEnvironmentVariables(read.secrets, nameOptions);

  if (assignTo !== undefined) {
    assignVariables(assignTo, variables, existing);
  }
  return allowPartial ? { variables, failures: read.failures } : variables;
}

interface ReadResult {
  readonly secrets: Record<string, string>;
  readonly failures: SecretFailure[];
  readonly total: number;
}

async function readMatching(credstash: Reader, options: LoadEnvironmentOptions): Promise<ReadResult> {
  const { secrets, failures } = await credstash.getAllSecrets({
    allowPartial: true,
    ...(options.context === undefined ? {} : { context: options.context }),
    ...(options.version === undefined ? {} : { version: options.version }),
    ...(options.pattern === undefined ? {} : { pattern: options.pattern }),
  });
  return { secrets, failures: [...failures], total: Object.keys(secrets).length + failures.length };
}

// Reads every name to its end, so that a failure report lists all the names that failed.
async function readNames(credstash: Reader, names: readonly string[], options: LoadEnvironmentOptions, concurrency: number): Promise<ReadResult> {
  const version = options.version === undefined ? undefined : padVersion(options.version);
  const getOptions = {
    ...(options.context === undefined ? {} : { context: options.context }),
    ...(version === undefined ? {} : { version }),
  };

  const results = await mapConcurrent(names, concurrency, async (name) => {
    try {
      return { name, secret: await credstash.getSecret(name, getOptions) };
    } catch (error) {
      if (!(error instanceof CredstashError)) {
        throw error;
      }
      return { name, error };
    }
  });

  const secrets: Record<string, string> = {};
  const failures: SecretFailure[] = [];
  for (const result of results) {
    if ('secret' in result) {
      // defineProperty, because assigning to a name such as "__proto__" would not create a property.
      Object.defineProperty(secrets, result.name, { value: result.secret, enumerable: true, writable: true, configurable: true });
    } else {
      failures.push({ name: result.name, version, error: result.error });
    }
  }
  failures.sort((left, right) => compareKeys(left.name, right.name));
  return { secrets, failures, total: names.length };
}

function assignVariables(target: Record<string, string | undefined>, variables: Readonly<Record<string, string>>, existing: ExistingVariableHandling): void {
  const conflicts = Object.keys(variables)
    .filter((variable) => target[variable] !== undefined)
    .sort();
  if (existing === 'reject' && conflicts.length > 0) {
    throw new EnvironmentConflictError(conflicts);
  }

  for (const [variable, value] of Object.entries(variables)) {
    if (existing === 'keep' && target[variable] !== undefined) {
      continue;
    }
    target[variable] = value;
  }
}

function validateNames(names: unknown): string[] | undefined {
  if (names === undefined) {
    return undefined;
  }
  if (!Array.isArray(names)) {
    throw new InvalidArgumentError('names', `invalid names of type ${typeof names}: pass an array of secret names, such as ["db_password"].`);
  }
  // A name listed twice is read once.
  return [...new Set(names.map((name: unknown) => validateName(name)))];
}

function validateExisting(existing: unknown): ExistingVariableHandling {
  if (existing === undefined) {
    return 'reject';
  }
  if (!EXISTING_HANDLINGS.includes(existing as ExistingVariableHandling)) {
    throw new InvalidArgumentError('existing', `invalid existing ${JSON.stringify(existing)}: expected "reject", "keep" or "overwrite".`);
  }
  return existing as ExistingVariableHandling;
}

function validateTarget(target: unknown): Record<string, string | undefined> | undefined {
  if (target === undefined) {
    return undefined;
  }
  if (typeof target !== 'object' || target === null || Array.isArray(target)) {
    throw new InvalidArgumentError('assignTo', 'invalid assignTo: pass process.env or another object to assign the variables to, or leave it out.');
  }
  return target as Record<string, string | undefined>;
}
