import { describe, expect, it } from 'vitest';

import { DIGESTS, InvalidArgumentError } from '../../src/index.js';
import { nodeHashName, parseDigestOption } from '../../src/format/digest.js';

describe('digests', () => {
  it('maps SHA to SHA-1', () => {
    expect(nodeHashName('SHA')).toBe('sha1');
  });

  it('lists the six credstash names', () => {
    expect([...DIGESTS]).toEqual(['SHA', 'SHA224', 'SHA256', 'SHA384', 'SHA512', 'MD5']);
  });

  it('accepts exact names', () => {
    for (const digest of DIGESTS) {
      expect(parseDigestOption(digest)).toBe(digest);
    }
  });

  it('rejects the wrong case with the fix', () => {
    expect(() => parseDigestOption('sha256')).toThrow(InvalidArgumentError);
    expect(() => parseDigestOption('sha256')).toThrow(/use "SHA256"/);
  });

  it('rejects unknown names listing the valid ones', () => {
    expect(() => parseDigestOption('SHA3')).toThrow(/expected one of SHA, SHA224, SHA256, SHA384, SHA512, MD5/);
    expect(() => parseDigestOption(256)).toThrow(InvalidArgumentError);
  });
});
