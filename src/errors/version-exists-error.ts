import { CredstashError } from './credstash-error.js';

/**
 * A put did not write because the name and version already exist. Stored items are
 * never overwritten: choose a new version, or use `autoVersion`.
 *
 * @example
 * ```ts
 * try {
 *   await credstash.putSecret('db', 'new', { version: 1 });
 * } catch (error) {
 *   if (error instanceof VersionExistsError) console.error(error.highestVersion);
 * }
 * ```
 */
export class VersionExistsError extends CredstashError {
  readonly secretName: string;
  /** Padded version that the put tried to write. */
  readonly version: string;
  /** Highest padded version stored for the name when the conflict was reported. */
  readonly highestVersion: string | undefined;

  constructor(secretName: string, version: string, highestVersion: string | undefined) {
    const highest = highestVersion === undefined ? '' : ` The highest stored version is "${highestVersion}".`;
    super(
      'ERR_VERSION_EXISTS',
      `version "${version}" of secret "${secretName}" already exists.${highest} ` +
        'Put a higher version, or use autoVersion.',
    );
    this.secretName = secretName;
    this.version = version;
    this.highestVersion = highestVersion;
  }
}
