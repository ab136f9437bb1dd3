import { IntegrityError, InvalidPlaintextError } from '../../errors/index.js';
import { decryptContents, verifyContents } from '../../format/envelope.js';
import { parseItem, type ItemAttributes } from '../../format/item.js';
import { decodeUtf8 } from '../../format/text.js';
import { withDecryptedDataKey } from '../../keys/data-key.js';
import type { EncryptionContext, KeyProvider } from '../../keys/key-provider.js';

/**
 * Validates a stored item, unwraps its data key, checks the HMAC before decrypting, and
 * returns the secret as text. The data key and the decrypted bytes are zeroed afterwards.
 */
export async function openItem(keyProvider: KeyProvider, attributes: ItemAttributes, context: EncryptionContext): Promise<string> {
  const item = parseItem(attributes);

  return withDecryptedDataKey(keyProvider, item.wrappedKey, context, (dataKey) => {
    if (!verifyContents(item.ciphertext, item.hmacHex, dataKey, item.digest)) {
      throw new IntegrityError(item.name, item.version);
    }

    const plaintext = decryptContents(item.ciphertext, dataKey);
    const text = decodeUtf8(plaintext);
    plaintext.fill(0);
    if (text === undefined) {
      throw new InvalidPlaintextError(item.name, item.version);
    }
    return text;
  });
}
