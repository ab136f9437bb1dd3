import { describe, expect, it } from 'vitest';

import { decodeBase64, encodeBase64 } from '../../src/format/base64.js';

describe('decodeBase64', () => {
  it.each([
    ['', ''],
    ['QQ==', '41'],
    ['QUI=', '4142'],
    ['QUJD', '414243'],
    ['QUJD\nREVG', '414243444546'],
    ['QUJD\r\nREVG', '414243444546'],
    ['+/8=', 'fbff'],
  ])('decodes %j', (text, hex) => {
    expect(decodeBase64(text)?.toString('hex')).toBe(hex);
  });

  it.each([
    ['missing padding', 'QUI'],
    ['base64url characters', '-_8='],
    ['a space', 'QUJD REVG'],
    ['an unknown character', 'QUJD!'],
    ['a lone carriage return', 'QUJD\rREVG'],
    ['unused bits that are not zero', 'QR=='],
    ['unused bits that are not zero before one pad', 'QUJ='],
    ['padding in the middle', 'QQ==QUJD'],
    ['too much padding', 'QUJD===='],
  ])('rejects %s', (_case, text) => {
    expect(decodeBase64(text)).toBeUndefined();
  });

  it('round-trips 64 kB of every byte value', () => {
    const bytes = Buffer.from(Array.from({ length: 65_536 }, (_, index) => index % 256));

    expect(decodeBase64(encodeBase64(bytes))?.equals(bytes)).toBe(true);
  });
});
