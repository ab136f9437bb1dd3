import { CredstashError } from './credstash-error.js';

/**
 * Two or more secret names that map to the same environment variable.
 *
 * @example
 * ```ts
 * try {
 *   toEnvironmentVariables({ 'a-b': '1', a_b: '2' }, { invalidNames: 'replace' });
 * } catch (error) {
 *   if (error instanceof EnvironmentNameError) console.error(error.collisions);
 * }
 * ```
 */
export interface EnvironmentNameCollision {
  readonly variable: string;
  readonly secretNames: readonly string[];
}

// Long lists are cut so that a table with thousands of bad names gives a readable message.
const MAX_NAMES_IN_MESSAGE = 20;

/**
 * Secret names could not be turned into environment variable names: some are not valid
 * variable names, or several map to the same variable. Nothing was exported or run.
 *
 * @example
 * ```ts
 * try {
 *   toEnvironmentName('db/password');
 * } catch (error) {
 *   if (error instanceof EnvironmentNameError) console.error(error.message); // names the secret and the invalidNames: "replace" fix
 * }
 * ```
 */
export class EnvironmentNameError extends CredstashError {
  /** Secret names that are not valid variable names under the `"reject"` rule. */
  readonly invalidNames: readonly string[];
  readonly collisions: readonly EnvironmentNameCollision[];

  constructor(invalidNames: readonly string[], collisions: readonly EnvironmentNameCollision[]) {
    const problems: string[] = [];
    if (invalidNames.length > 0) {
      problems.push(
        `${listNames(invalidNames)} cannot be used as environment variable names, which contain only ASCII letters, digits and "_" ` +
          'and do not start with a digit. Rename the secrets, or map invalid characters to "_" with invalidNames: "replace".',
      );
    }
    for (const collision of collisions.slice(0, MAX_NAMES_IN_MESSAGE)) {
      problems.push(`${listNames(collision.secretNames)} all map to the variable ${collision.variable}; rename or leave out all but one.`);
    }
    super('ERR_ENVIRONMENT_NAME', problems.join('\n'));
    this.invalidNames = invalidNames;
    this.collisions = collisions;
  }
}

function listNames(names: readonly string[]): string {
  const listed = names.slice(0, MAX_NAMES_IN_MESSAGE).map((name) => JSON.stringify(name));
  const more = names.length > MAX_NAMES_IN_MESSAGE ? ` and ${names.length - MAX_NAMES_IN_MESSAGE} more` : '';
  return `secret names ${listed.join(', ')}${more}`;
}
