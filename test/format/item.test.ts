import { describe, expect, it } from 'vitest';

import { InvalidItemError } from '../../src/index.js';
import { decodeBase64 } from '../../src/format/base64.js';
import { itemSize, parseItem } from '../../src/format/item.js';
import { decodeUtf8, isWellFormedText } from '../../src/format/text.js';
import { VECTORS, vectorItem } from '../support/vectors.js';

const plain = vectorItem(VECTORS.find((vector) => vector.name === 'plain' && vector.layout === undefined)!);

describe('parseItem', () => {
  it('reads a Binary hmac', () => {
    const parsed = parseItem(plain);

    expect(parsed.hmacHex.toString('latin1')).toMatch(/^[0-9a-f]{64}$/);
    expect(parsed.digest).toBe('SHA256');
  });

  it('reads a String hmac in upper case as lower case', () => {
    const hex = Buffer.from((plain['hmac'] as { B: Uint8Array }).B).toString('latin1');
    const parsed = parseItem({ ...plain, hmac: { S: hex.toUpperCase() } });

    expect(parsed.hmacHex.toString('latin1')).toBe(hex);
  });

  it('assumes SHA256 without digest', () => {
    const { digest: _digest, ...withoutDigest } = plain as Record<string, unknown>;

    expect(parseItem(withoutDigest).digest).toBe('SHA256');
  });

  it('accepts base64 with line breaks', () => {
    const key = (plain['key'] as { S: string }).S;
    const wrapped = key.replace(/(.{20})/g, '$1\r\n');

    expect(parseItem({ ...plain, key: { S: wrapped } }).wrappedKey).toEqual(Buffer.from(key, 'base64'));
  });

  it.each([
    ['missing key', { key: undefined }, 'key'],
    ['key of type B', { key: { B: new Uint8Array([1]) } }, 'key'],
    ['contents with invalid base64', { contents: { S: 'not base64!' } }, 'contents'],
    ['unknown digest', { digest: { S: 'SHA1' } }, 'digest'],
    ['lower-case digest', { digest: { S: 'sha256' } }, 'digest'],
    ['hmac of type N', { hmac: { N: '1' } }, 'hmac'],
    ['missing hmac', { hmac: undefined }, 'hmac'],
    ['version of type N', { version: { N: '1' } }, 'version'],
  ])('rejects %s', (_title, change, attribute) => {
    const item: Record<string, unknown> = { ...plain, ...change };
    for (const [key, value] of Object.entries(change)) {
      if (value === undefined) delete item[key];
    }

    try {
      parseItem(item);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidItemError);
      expect((error as InvalidItemError).attribute).toBe(attribute);
      expect((error as InvalidItemError).code).toBe('ERR_INVALID_ITEM');
    }
  });
});

describe('itemSize', () => {
  it('counts names, UTF-8 strings and raw binary', () => {
    const size = itemSize({
      name: { S: 'é' },
      version: { S: '1' },
      key: { S: 'k' },
      contents: { S: '' },
      hmac: { B: new Uint8Array(3) },
    });

    expect(size).toBe('name'.length + 2 + 'version'.length + 1 + 'key'.length + 1 + 'contents'.length + 'hmac'.length + 3);
  });
});

describe('text helpers', () => {
  it('rejects invalid UTF-8 instead of replacing it', () => {
    expect(decodeUtf8(Buffer.from([0x66, 0xff, 0x6f]))).toBeUndefined();
    expect(decodeUtf8(Buffer.from('🎉', 'utf8'))).toBe('🎉');
  });

  it('keeps a leading byte-order mark', () => {
    expect(decodeUtf8(Buffer.from([0xef, 0xbb, 0xbf, 0x61]))).toBe('\uFEFFa');
  });

  it('detects unpaired surrogates', () => {
    expect(isWellFormedText('a\uD83Db')).toBe(false);
    expect(isWellFormedText('🎉')).toBe(true);
  });

  it('decodes only strict base64', () => {
    expect(decodeBase64('YWJj')).toEqual(Buffer.from('abc'));
    expect(decodeBase64('YWJ')).toBeUndefined();
    expect(decodeBase64('YW*j')).toBeUndefined();
    expect(decodeBase64('')).toEqual(Buffer.alloc(0));
  });
});
