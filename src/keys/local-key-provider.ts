import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

import { EncryptionContextError, InvalidArgumentError, KeyProviderError, MasterKeyNotFoundError } from '../errors/index.js';
import type { CreateKeyOptions, DataKey, DecryptDataKeyRequest, EncryptionContext, GenerateDataKeyRequest, KeyProvider } from './key-provider.js';
import { concatAndZero } from '../format/envelope.js';
import { createMasterKeyFile, MASTER_KEY_LENGTH, readMasterKeyFile } from './lib/master-key-file.js';
import { requireOptionsObject } from '../lib/constructor-options.js';

/**
 * Options of {@link LocalKeyProvider}: a master key file, or the key itself.
 *
 * @example
 * ```ts
 * new LocalKeyProvider({ keyFile: '/etc/credstash/master.key', create: false });
 * new LocalKeyProvider({ masterKey: keyFromSecretsManager });
 * ```
 */
export type LocalKeyProviderOptions =
  | {
      /** Path of the master key file (base64 of 32 bytes, mode 0600). */
      readonly keyFile: string;
      /**
       * Create the file with a random key when a write (`generateDataKey`) finds none. A read
       * (`decryptDataKey`) never creates it, because a new key cannot unwrap the data keys
       * already stored. @default true
       */
      readonly create?: boolean;
      /**
       * Runs before the provider creates the key file, from `createKey` or from a write. Throw
       * to stop the creation. The error then reaches the caller, and no file or folder is created.
       * {@link offlineProviders} uses it to reject a new key next to a table that already
       * contains secrets.
       */
      readonly beforeCreate?: (request: LocalKeyCreateRequest) => Promise<void> | void;
    }
  | {
      /** The 32-byte master key. The provider keeps its own copy. */
      readonly masterKey: Uint8Array;
    };

/**
 * Argument of {@link LocalKeyProviderOptions}' `beforeCreate`: the file about to be created and the
 * method that creates it.
 *
 * @example
 * ```ts
 * const beforeCreate = ({ keyFile, operation }: LocalKeyCreateRequest) => console.log(`${operation} creates ${keyFile}`);
 * ```
 */
export interface LocalKeyCreateRequest {
  readonly keyFile: string;
  /** `"createKey"` for {@link LocalKeyProvider.createKey} (as `setup({ createKey: true })` calls it), `"generateDataKey"` for a write. */
  readonly operation: 'createKey' | 'generateDataKey';
}

// Wrapped key layout: magic "CSL1" | flags (1 byte) | key id (8) | nonce (12) | tag (16) | wrapped key.
// The header is authenticated together with the encryption context, so neither can be
// changed without the tag check failing.
const MAGIC = Buffer.from('CSL1', 'latin1');
const FLAG_HAS_CONTEXT = 0x01;
const HEADER_LENGTH = MAGIC.length + 1 + 8;
const NONCE_LENGTH = 12;
const TAG_LENGTH = 16;

type KeyFileOptions = Extract<LocalKeyProviderOptions, { keyFile: string }>;

interface LoadedKey {
  readonly key: Buffer;
  readonly keyId: Buffer;
}

/**
 * Key provider that needs no AWS account: data keys are random bytes wrapped with
 * AES-256-GCM under a local master key, and the encryption context is authenticated as
 * in KMS. Together with {@link FileTableProvider} it is the embedded offline default.
 *
 * > [!WARNING]
 * > Anyone who can read the master key file can decrypt every secret wrapped with it. Keep it
 * > on the host that needs it, mode 0600, and back it up: without it the secrets are lost.
 *
 * @example
 * ```ts
 * const keys = new LocalKeyProvider({ keyFile: '/etc/credstash/master.key' });
 * ```
 */
export class LocalKeyProvider implements KeyProvider {
  readonly #source: LocalKeyProviderOptions;
  // The loaded key. A missing file or a failed read is not kept, so a later call finds a
  // file that was restored or created in the meantime.
  #ready: Promise<LoadedKey | undefined> | undefined;

  constructor(localOptions: LocalKeyProviderOptions) {
    const options = requireOptionsObject(localOptions, 'LocalKeyProvider', '{ keyFile } or { masterKey }');
    if ('masterKey' in options && !(options.masterKey instanceof Uint8Array)) {
      throw new InvalidArgumentError('masterKey', 'invalid masterKey: pass the 32-byte key as a Uint8Array or Buffer.');
    }
    if (!('masterKey' in options) && !('keyFile' in options)) {
      throw new InvalidArgumentError('options', 'invalid options for LocalKeyProvider: pass { keyFile } or { masterKey }.');
    }
    if ('masterKey' in options && options.masterKey.byteLength !== MASTER_KEY_LENGTH) {
      throw new InvalidArgumentError('masterKey', `invalid masterKey: expected ${MASTER_KEY_LENGTH} bytes, received ${options.masterKey.byteLength}.`);
    }
    if ('keyFile' in options && (typeof options.keyFile !== 'string' || options.keyFile === '')) {
      throw new InvalidArgumentError('keyFile', 'invalid keyFile: pass the path of the master key file.');
    }
    if ('keyFile' in options && options.beforeCreate !== undefined && typeof options.beforeCreate !== 'function') {
      throw new InvalidArgumentError('beforeCreate', 'invalid beforeCreate: pass a function, or leave the option out.');
    }
    this.#source = 'masterKey' in options ? { masterKey: Buffer.from(options.masterKey) } : options;
  }

  async generateDataKey(request: GenerateDataKeyRequest): Promise<DataKey> {
    if (request.keyId !== undefined) {
      throw new InvalidArgumentError('keyId', 'the local key provider has a single master key; leave keyId out.');
    }
    const { key, keyId } = await this.#loadForWrite();

    const plaintext = randomBytes(request.numberOfBytes);
    const flags = Object.keys(request.context).length > 0 ? FLAG_HAS_CONTEXT : 0;
    const header = Buffer.concat([MAGIC, Buffer.from([flags]), keyId]);
    const nonce = randomBytes(NONCE_LENGTH);

    const cipher = createCipheriv('aes-256-gcm', key, nonce);
    cipher.setAAD(Buffer.concat([header, canonicalContext(request.context)]));
    const wrapped = Buffer.concat([cipher.update(plaintext), cipher.final()]);

    return { plaintext, ciphertextBlob: Buffer.concat([header, nonce, cipher.getAuthTag(), wrapped]) };
  }

  async decryptDataKey(request: DecryptDataKeyRequest): Promise<Uint8Array> {
    const loaded = await this.#load();
    if (loaded === undefined) {
      throw new MasterKeyNotFoundError((this.#source as KeyFileOptions).keyFile, 'read');
    }
    const { key, keyId } = loaded;
    const blob = Buffer.from(request.ciphertextBlob);

    if (blob.length <= HEADER_LENGTH + NONCE_LENGTH + TAG_LENGTH || !blob.subarray(0, MAGIC.length).equals(MAGIC)) {
      throw new KeyProviderError(
        'the wrapped data key was not made by the local key provider (it may be an AWS KMS key blob), or it is damaged.',
      );
    }
    if (!blob.subarray(MAGIC.length + 1, HEADER_LENGTH).equals(keyId)) {
      throw new KeyProviderError('the data key was wrapped with a different local master key. Use the master key file it was stored with.');
    }

    const header = blob.subarray(0, HEADER_LENGTH);
    const nonce = blob.subarray(HEADER_LENGTH, HEADER_LENGTH + NONCE_LENGTH);
    const tag = blob.subarray(HEADER_LENGTH + NONCE_LENGTH, HEADER_LENGTH + NONCE_LENGTH + TAG_LENGTH);
    const wrapped = blob.subarray(HEADER_LENGTH + NONCE_LENGTH + TAG_LENGTH);

    // GCM's update() returns the data key before final() has checked the tag, so that buffer
    // is zeroed whether or not the check passes.
    let unverified: Buffer | undefined;
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, nonce);
      decipher.setAAD(Buffer.concat([header, canonicalContext(request.context)]));
      decipher.setAuthTag(tag);
      unverified = decipher.update(wrapped);
      return concatAndZero([unverified, decipher.final()]);
    } catch (error) {
      unverified?.fill(0);
      throw contextError(((header[MAGIC.length] as number) & FLAG_HAS_CONTEXT) !== 0, Object.keys(request.context).length > 0, error);
    }
  }

  /**
   * Creates the master key file unless it exists, even with `create: false`, and returns
   * which. `beforeCreate` runs first when the file is missing. A provider given `masterKey`
   * has its key already and returns `"exists"`. Tags do not apply to a file and are ignored.
   */
  async createKey(options: CreateKeyOptions = {}): Promise<'created' | 'exists'> {
    if (options.keyId !== undefined) {
      throw new InvalidArgumentError('keyId', 'the local key provider has a single master key; leave keyId out.');
    }
    const source = this.#source;
    if ('masterKey' in source) {
      return 'exists';
    }
    const existing = await readMasterKeyFile(source.keyFile);
    if (existing !== undefined) {
      existing.fill(0);
      return 'exists';
    }
    await source.beforeCreate?.({ keyFile: source.keyFile, operation: 'createKey' });
    return (await createMasterKeyFile(source.keyFile)) ? 'created' : 'exists';
  }

  // A write may create the missing file, after `beforeCreate` agrees.
  async #loadForWrite(): Promise<LoadedKey> {
    const loaded = await this.#load();
    if (loaded !== undefined) {
      return loaded;
    }
    const source = this.#source as KeyFileOptions;
    if (source.create === false) {
      throw new MasterKeyNotFoundError(source.keyFile, 'write');
    }
    await source.beforeCreate?.({ keyFile: source.keyFile, operation: 'generateDataKey' });
    await createMasterKeyFile(source.keyFile);

    const created = await this.#load();
    if (created === undefined) {
      throw new KeyProviderError(`the master key file ${source.keyFile} disappeared right after it was created.`);
    }
    return created;
  }

  // Returns undefined when the key file does not exist; never creates it.
  #load(): Promise<LoadedKey | undefined> {
    if (this.#ready === undefined) {
      const pending = this.#readKey();
      this.#ready = pending;
      const forget = (): void => {
        if (this.#ready === pending) {
          this.#ready = undefined;
        }
      };
      pending.then((loaded) => loaded === undefined && forget(), forget);
    }
    return this.#ready;
  }

  async #readKey(): Promise<LoadedKey | undefined> {
    const source = this.#source;
    // The constructor already copied a given master key, so it is used without another copy.
    const key = 'masterKey' in source ? Buffer.from(source.masterKey.buffer, source.masterKey.byteOffset, source.masterKey.byteLength) : await readMasterKeyFile(source.keyFile);
    if (key === undefined) {
      return undefined;
    }
    // A short fingerprint of the master key distinguishes "wrong master key" from a wrong
    // context, without revealing anything about the key.
    const keyId = createHmac('sha256', key).update('credstash-ts local key id').digest().subarray(0, 8);
    return { key, keyId };
  }
}

function contextError(sealedWithContext: boolean, givenContext: boolean, cause: unknown): KeyProviderError {
  if (sealedWithContext && !givenContext) {
    return new EncryptionContextError(
      'missing',
      'the secret was stored with an encryption context, or its wrapped key was modified. Pass the same context to read it.',
      { cause },
    );
  }
  if (givenContext) {
    return new EncryptionContextError(
      'mismatch',
      'the encryption context given does not match the one the secret was stored with, or the wrapped key was modified.',
      { cause },
    );
  }
  return new KeyProviderError('the wrapped data key failed its authentication check: it was modified or damaged.', { cause });
}

// Sorted [key, value] pairs as JSON: the same context gives the same bytes whatever the
// order of its properties.
function canonicalContext(context: EncryptionContext): Buffer {
  const entries = Object.keys(context)
    .sort()
    .map((key) => [key, context[key]]);
  return Buffer.from(JSON.stringify(entries), 'utf8');
}
