import { describe, expect, it } from 'vitest';

import { EnvironmentNameError, InvalidArgumentError, isEnvironmentName, toEnvironmentName, toEnvironmentVariables } from '../../src/index.js';

describe('isEnvironmentName', () => {
  it.each(['a', 'A1', '_', '_private', 'db_password', 'X_9'])('accepts %j', (name) => {
    expect(isEnvironmentName(name)).toBe(true);
  });

  it.each(['', '1st', 'db.password', 'db-password', 'a b', 'ünï', 'ı', 'a=b', '$(id)', 'name\n'])('rejects %j', (name) => {
    expect(isEnvironmentName(name)).toBe(false);
  });
});

describe('toEnvironmentName', () => {
  it('upper-cases valid names', () => {
    expect(toEnvironmentName('db_password')).toBe('DB_PASSWORD');
    expect(toEnvironmentName('Mixed_Case9')).toBe('MIXED_CASE9');
  });

  it('rejects invalid names by default', () => {
    expect(() => toEnvironmentName('db.password')).toThrow(EnvironmentNameError);
    try {
      toEnvironmentName('db.password');
    } catch (error) {
      expect((error as EnvironmentNameError).code).toBe('ERR_ENVIRONMENT_NAME');
      expect((error as EnvironmentNameError).invalidNames).toEqual(['db.password']);
      expect((error as EnvironmentNameError).message).toContain('"db.password"');
    }
  });

  it.each([
    ['db.password', 'DB_PASSWORD'],
    ['app/db-password', 'APP_DB_PASSWORD'],
    ['2fa-key', '_2FA_KEY'],
    ['ünï', '_N_'],
    ['🔑key', '_KEY'],
    ['a b', 'A_B'],
  ])('replaces %j with %j', (name, variable) => {
    expect(toEnvironmentName(name, { invalidNames: 'replace' })).toBe(variable);
  });

  it('rejects an unknown handling', () => {
    expect(() => toEnvironmentName('a', { invalidNames: 'drop' as never })).toThrow(InvalidArgumentError);
  });
});

describe('toEnvironmentVariables', () => {
  it('maps every secret', () => {
    expect(toEnvironmentVariables({ db_password: 'p', api_key: 'k' })).toEqual({ DB_PASSWORD: 'p', API_KEY: 'k' });
  });

  it('lists every invalid name at once', () => {
    let caught: unknown;
    try {
      toEnvironmentVariables({ 'a.b': '1', ok: '2', 'c-d': '3' });
    } catch (error) {
      caught = error;
    }

    expect(caught).toBeInstanceOf(EnvironmentNameError);
    expect((caught as EnvironmentNameError).invalidNames).toEqual(['a.b', 'c-d']);
  });

  it('rejects names that map to one variable', () => {
    let caught: unknown;
    try {
      toEnvironmentVariables({ 'db.pw': '1', 'db-pw': '2', other: '3' }, { invalidNames: 'replace' });
    } catch (error) {
      caught = error;
    }

    expect(caught).toBeInstanceOf(EnvironmentNameError);
    expect((caught as EnvironmentNameError).collisions).toEqual([{ variable: 'DB_PW', secretNames: ['db.pw', 'db-pw'] }]);
    expect((caught as EnvironmentNameError).message).toContain('DB_PW');
  });

  it('rejects names that differ only in case', () => {
    expect(() => toEnvironmentVariables({ token: '1', TOKEN: '2' })).toThrow(/all map to the variable TOKEN/);
  });

  it('rejects a NUL in a value without printing it', () => {
    expect(() => toEnvironmentVariables({ nul: 'xq9z\0vw7k' })).toThrow(InvalidArgumentError);
    expect(() => toEnvironmentVariables({ nul: 'xq9z\0vw7k' })).not.toThrow(/xq9z|vw7k/);
  });

  it('keeps an empty value', () => {
    expect(toEnvironmentVariables({ empty: '' })).toEqual({ EMPTY: '' });
  });
});
