// Key provider with one fixed data key that sends no request, for the benchmarks that time
// only the library's own work or never decrypt.

/** The fixed 64-byte data key. */
export const fixedKey = Uint8Array.from({ length: 64 }, (_, index) => index);

export const fixedKeys = {
  async generateDataKey() {
    return { plaintext: fixedKey.slice(), ciphertextBlob: new TextEncoder().encode('wrapped-key-of-the-benchmark') };
  },
  async decryptDataKey() {
    return fixedKey.slice();
  },
};
