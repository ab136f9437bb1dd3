import type { Digest } from '../../format/digest.js';
import type { EncryptionContext } from '../../keys/key-provider.js';
import type { Credstash } from '../../store/credstash.js';
import type { PutSecretOptions, PutSecretResult } from '../../store/put-secret.js';

/** Storage options that `put` and `putall` share. */
export interface StoreOptions {
  readonly context: EncryptionContext;
  /** KMS key for the new data key; the store's default key when undefined. */
  readonly keyId: string | undefined;
  readonly comment: string | undefined;
  /** Version to store; ignored with `autoVersion`. */
  readonly version: string;
  /** Store the highest version plus one. */
  readonly autoVersion: boolean;
  readonly digest: Digest;
}

/** Options of the `put` command. */
export interface PutOptions extends StoreOptions {
  readonly name: string;
  readonly secret: string;
}

/** Encrypts and stores one secret as a new version. */
export async function putCommand(store: Credstash, options: PutOptions): Promise<PutSecretResult> {
  return store.putSecret(options.name, options.secret, toPutSecretOptions(options));
}

/** Maps the CLI's store options to the library's put options. */
export function toPutSecretOptions(options: StoreOptions): PutSecretOptions {
  return {
    context: options.context,
    digest: options.digest,
    ...(options.autoVersion ? { autoVersion: true } : { version: options.version }),
    ...(options.keyId === undefined ? {} : { keyId: options.keyId }),
    ...(options.comment === undefined ? {} : { comment: options.comment }),
  };
}
