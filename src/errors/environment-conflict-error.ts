import { CredstashError } from './credstash-error.js';

// Long lists are cut so that a large environment gives a readable message.
const MAX_VARIABLES_IN_MESSAGE = 20;

/**
 * `loadEnvironment` was asked to assign variables that the target (usually `process.env`)
 * already has, with `existing: "reject"`, the default. Nothing was assigned. The message and
 * `variables` name the variables, never their values.
 *
 * @example
 * ```ts
 * try {
 *   await loadEnvironment(credstash, { names: ['db_password'], assignTo: process.env });
 * } catch (error) {
 *   if (error instanceof EnvironmentConflictError) console.error(error.variables); // ["DB_PASSWORD"]
 * }
 * ```
 */
export class EnvironmentConflictError extends CredstashError {
  /** Variables that are already set in the target, sorted. */
  readonly variables: readonly string[];

  constructor(variables: readonly string[]) {
    const listed = variables.slice(0, MAX_VARIABLES_IN_MESSAGE).join(', ');
    const more = variables.length > MAX_VARIABLES_IN_MESSAGE ? ` and ${variables.length - MAX_VARIABLES_IN_MESSAGE} more` : '';
    super(
      'ERR_ENVIRONMENT_CONFLICT',
      `the environment already sets ${listed}${more}, so no secret was assigned. ` +
        'Unset those variables, or pass existing: "overwrite" to replace them or existing: "keep" to leave them as they are.',
    );
    this.variables = variables;
  }
}
