import { describe, expect, it } from 'vitest';

import { InvalidArgumentError, padVersion } from '../../src/index.js';
import { nextVersion } from '../../src/format/version.js';

describe('padVersion', () => {
  it('pads integers and strings alike', () => {
    expect(padVersion(7)).toBe('0000000000000000007');
    expect(padVersion('7')).toBe('0000000000000000007');
    expect(padVersion('0000000000000000007')).toBe('0000000000000000007');
  });

  it('pads free-form versions like Python', () => {
    expect(padVersion('v1.0')).toBe('000000000000000v1.0');
  });

  it('keeps long read versions unpadded', () => {
    expect(padVersion('x'.repeat(25))).toBe('x'.repeat(25));
  });

  it.each([
    ['negative number', -1],
    ['negative string', '-3'],
    ['fraction', 1.5],
    ['empty string', ''],
    ['boolean', true],
    ['object', { version: 1 }],
    ['NaN', Number.NaN],
  ])('rejects %s', (_title, value) => {
    expect(() => padVersion(value)).toThrow(InvalidArgumentError);
  });

  it('rejects versions over 19 characters on write', () => {
    expect(() => padVersion('1'.repeat(20), 'write')).toThrow(/at most 19 characters/);
  });

  it('rejects spaces on write', () => {
    expect(() => padVersion('v 1', 'write')).toThrow(/printable ASCII/);
  });

  it('names the argument in the error', () => {
    try {
      padVersion(-1);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidArgumentError);
      expect((error as InvalidArgumentError).argument).toBe('version');
      expect((error as InvalidArgumentError).code).toBe('ERR_INVALID_ARGUMENT');
    }
  });
});

describe('nextVersion', () => {
  it('starts at 1', () => {
    expect(nextVersion(undefined)).toBe('0000000000000000001');
  });

  it('counts past 9 numerically', () => {
    expect(nextVersion('0000000000000000009')).toBe('0000000000000000010');
    expect(nextVersion('0000000000000000099')).toBe('0000000000000000100');
  });

  it('stays exact beyond MAX_SAFE_INTEGER', () => {
    expect(nextVersion('9007199254740993')).toBe('0009007199254740994');
  });

  it('refuses non-integers and overflow', () => {
    expect(nextVersion('000000000000000v1.0')).toBeUndefined();
    expect(nextVersion('9999999999999999999')).toBeUndefined();
  });
});
