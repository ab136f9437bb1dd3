import { EnvironmentNameError, InvalidArgumentError, type EnvironmentNameCollision } from '../errors/index.js';

/**
 * Handling of a secret name that is not a valid environment variable name:
 * `"reject"` throws {@link EnvironmentNameError}, `"replace"` maps each invalid character to `_`.
 *
 * @example
 * ```ts
 * toEnvironmentName('app/db-url', { invalidNames: 'replace' }); // "APP_DB_URL"
 * ```
 */
export type InvalidNameHandling = 'reject' | 'replace';

/**
 * Options of {@link toEnvironmentName} and {@link toEnvironmentVariables}.
 *
 * @example
 * ```ts
 * const variables = toEnvironmentVariables(await credstash.getAllSecrets(), { invalidNames: 'replace' });
 * ```
 */
export interface EnvironmentNameOptions {
  /** @default "reject" */
  readonly invalidNames?: InvalidNameHandling;
}

// POSIX shells accept exactly these names in assignments and `export`.
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const INVALID_CHARACTER = /[^A-Za-z0-9_]/gu;

/**
 * Tells whether a secret name can be used as an environment variable name as it is:
 * ASCII letters, digits and `_`, not starting with a digit.
 *
 * @example
 * ```ts
 * isEnvironmentName('db_password'); // true
 * isEnvironmentName('db.password'); // false
 * ```
 */
export function isEnvironmentName(secretName: string): boolean {
  return VARIABLE_NAME.test(secretName);
}

/**
 * Turns a secret name into an environment variable name. This is the rule of the CLI's
 * `exec` command and `dotenv` format:
 *
 * 1. A name of ASCII letters, digits and `_` that does not start with a digit is upper-cased,
 *    as Python credstash's dotenv output does: `db_password` becomes `DB_PASSWORD`.
 * 2. Any other name is rejected, unless `invalidNames` is `"replace"`. Then each character
 *    other than an ASCII letter, digit or `_` becomes `_` (one per code point), and a leading
 *    digit gets a `_` in front. The result is upper-cased, so `db.password` becomes
 *    `DB_PASSWORD` and `2fa-key` becomes `_2FA_KEY`.
 *
 * @throws EnvironmentNameError when the name is invalid and `invalidNames` is `"reject"`.
 * @example
 * ```ts
 * toEnvironmentName('api_token'); // "API_TOKEN"
 * toEnvironmentName('app.api-token', { invalidNames: 'replace' }); // "APP_API_TOKEN"
 * ```
 */
export function toEnvironmentName(secretName: string, options: EnvironmentNameOptions = {}): string {
  const variable = mapName(secretName, validateHandling(options.invalidNames));
  if (variable === undefined) {
    throw new EnvironmentNameError([secretName], []);
  }
  return variable;
}

/**
 * Maps secrets (name to value) to environment variables (variable name to value) with the
 * rule of {@link toEnvironmentName}. Every name is checked before anything is returned, and
 * names that map to the same variable (`db_pw` and `DB_PW`, or `db.pw` and `db-pw` with
 * `"replace"`) are rejected, so no secret silently hides another.
 *
 * @throws EnvironmentNameError listing every invalid name and every collision.
 * @throws InvalidArgumentError when a value contains a NUL character, which no environment variable can hold.
 * @example
 * ```ts
 * const variables = toEnvironmentVariables(await credstash.getAllSecrets());
 * spawn('my-app', { env: { ...process.env, ...variables } });
 * ```
 */
export function toEnvironmentVariables(secrets: Readonly<Record<string, string>>, options: EnvironmentNameOptions = {}): Record<string, string> {
  const handling = validateHandling(options.invalidNames);
  const invalidNames: string[] = [];
  const sources = new Map<string, string[]>();

  for (const [secretName, value] of Object.entries(secrets)) {
    const variable = mapName(secretName, handling);
    if (variable === undefined) {
      invalidNames.push(secretName);
      continue;
    }
    if (value.includes('\0')) {
      throw new InvalidArgumentError('secrets', `secret "${secretName}" contains a NUL character, which an environment variable cannot hold.`);
    }
    sources.set(variable, [...(sources.get(variable) ?? []), secretName]);
  }

  const collisions: EnvironmentNameCollision[] = [...sources]
    .filter(([, secretNames]) => secretNames.length > 1)
    .map(([variable, secretNames]) => ({ variable, secretNames }));
  if (invalidNames.length > 0 || collisions.length > 0) {
    throw new EnvironmentNameError(invalidNames, collisions);
  }

  const variables: Record<string, string> = {};
  for (const [variable, [secretName]] of sources) {
    variables[variable] = secrets[secretName as string] as string;
  }
  return variables;
}

function mapName(secretName: string, handling: InvalidNameHandling): string | undefined {
  if (VARIABLE_NAME.test(secretName)) {
    return secretName.toUpperCase();
  }
  if (handling === 'reject' || secretName === '') {
    return undefined;
  }

  const replaced = secretName.replace(INVALID_CHARACTER, '_');
  return (/^[0-9]/.test(replaced) ? `_${replaced}` : replaced).toUpperCase();
}

function validateHandling(handling: unknown): InvalidNameHandling {
  if (handling === undefined) {
    return 'reject';
  }
  if (handling !== 'reject' && handling !== 'replace') {
    throw new InvalidArgumentError('invalidNames', `invalid invalidNames ${JSON.stringify(handling)}: expected "reject" or "replace".`);
  }
  return handling;
}
