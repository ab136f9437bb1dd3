// Unpaired UTF-16 surrogates cannot be encoded as UTF-8; Buffer.from would silently replace
// them with U+FFFD and store a different secret than the caller passed.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

// fatal: invalid bytes throw instead of becoming U+FFFD. ignoreBOM: a leading byte-order
// mark is part of the secret, as in Python's bytes.decode('utf-8').
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Tells whether a JavaScript string can be encoded as UTF-8 without loss. */
export function isWellFormedText(text: string): boolean {
  return !LONE_SURROGATE.test(text);
}

/** Decodes UTF-8 bytes exactly, or returns undefined when they are not valid UTF-8. */
export function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return STRICT_UTF8.decode(bytes);
  } catch {
    return undefined;
  }
}
