// Standard base64 with padding. Buffer.from(text, 'base64') skips any character it does not
// know, which would turn a damaged item into wrong bytes instead of an error.
const STRICT_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Decodes standard base64, allowing line breaks (some writers wrap at 76 columns).
 * Returns undefined for any other deviation, including unused bits before the padding
 * that are not zero: such text decodes to the same bytes as its canonical form, so
 * accepting it would let a changed item pass as unchanged.
 */
export function decodeBase64(text: string): Buffer | undefined {
  const compact = text.replace(/\r?\n/g, '');
  if (!STRICT_BASE64.test(compact)) {
    return undefined;
  }
  const bytes = Buffer.from(compact, 'base64');
  return bytes.toString('base64') === compact ? bytes : undefined;
}

/** Encodes bytes as standard base64 without line breaks, as credstash writes them. */
export function encodeBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}
