import { CredstashError } from './credstash-error.js';

/**
 * A stored item does not have the credstash layout: an attribute is missing or has the
 * wrong DynamoDB type, its base64 or hex is malformed, or its digest name is unknown.
 *
 * @example
 * ```ts
 * const { failures } = await credstash.getAllSecrets({ allowPartial: true });
 * const damaged = failures.filter((failure) => failure.error instanceof InvalidItemError);
 * ```
 */
export class InvalidItemError extends CredstashError {
  readonly secretName: string | undefined;
  readonly version: string | undefined;
  /** Attribute that failed validation, for example `"hmac"`. */
  readonly attribute: string;

  constructor(attribute: string, problem: string, secretName?: string, version?: string) {
    const where =
      secretName === undefined
        ? 'a stored item'
        : version === undefined
          ? `the item of secret "${secretName}"`
          : `version "${version}" of secret "${secretName}"`;
    super('ERR_INVALID_ITEM', `${where} is not a valid credstash item: attribute "${attribute}" ${problem}.`);
    this.secretName = secretName;
    this.version = version;
    this.attribute = attribute;
  }
}
