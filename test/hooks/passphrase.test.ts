import { inspect } from 'node:util';

import { describe, expect, it } from 'vitest';

import {
  APACHE_MAX_PASSPHRASE_BYTES,
  checkPassphrase,
  HookTimeoutError,
  InvalidPassphraseError,
  NGINX_MAX_PASSPHRASE_BYTES,
  Redacted,
  withTimeout,
} from '../../src/hooks/index.js';

function problem(passphrase: string, maxBytes = APACHE_MAX_PASSPHRASE_BYTES): InvalidPassphraseError {
  try {
    checkPassphrase(passphrase, 'tls/www', maxBytes);
  } catch (error) {
    if (error instanceof InvalidPassphraseError) {
      return error;
    }
    throw error;
  }
  throw new Error('expected an InvalidPassphraseError');
}

describe('checkPassphrase', () => {
  it('accepts spaces and non-ASCII text', () => {
    expect(() => checkPassphrase(' pässwörd 🔑 ', 'tls/www', APACHE_MAX_PASSPHRASE_BYTES)).not.toThrow();
  });

  it('accepts the longest passphrase each server takes', () => {
    expect(() => checkPassphrase('a'.repeat(1023), 'tls/www', APACHE_MAX_PASSPHRASE_BYTES)).not.toThrow();
    expect(() => checkPassphrase('a'.repeat(4095), 'tls/www', NGINX_MAX_PASSPHRASE_BYTES)).not.toThrow();
  });

  it('rejects one byte over the limit', () => {
    const error = problem('a'.repeat(1024));

    expect(error.code).toBe('ERR_INVALID_PASSPHRASE');
    expect(error.secretName).toBe('tls/www');
    expect(error.message).toBe(
      'the passphrase stored in secret "tls/www" is 1024 bytes long, but the server accepts at most 1023. Re-encrypt the key with a shorter passphrase.',
    );
    expect(problem('a'.repeat(4096), NGINX_MAX_PASSPHRASE_BYTES).message).toContain('is 4096 bytes long, but the server accepts at most 4095');
  });

  it('counts bytes, not characters', () => {
    expect(problem('é'.repeat(512)).message).toContain('is 1024 bytes long');
  });

  it('rejects LF and CR inside the passphrase', () => {
    const inside = problem('secret-one\nsecret-two').message;

    expect(inside).toContain('contains a line break (LF at character 11)');
    expect(inside).toContain('Re-encrypt the key with a passphrase on one line');
    expect(problem('one\rtwo\n').message).toContain('contains a line break (CR at character 4)');
  });

  it('asks only to store again for a trailing line break', () => {
    const cases = [
      ['secret\n', 'LF'],
      ['secret\r\n', 'CRLF'],
      ['secret\r', 'CR'],
      ['secret\n\n', 'LF LF'],
    ] as const;

    for (const [passphrase, name] of cases) {
      const message = problem(passphrase).message;
      expect(message).toBe(
        `the passphrase stored in secret "tls/www" ends with a line break (${name}), and the hooks pass on only a passphrase that is exactly one line. ` +
          'Store the value again without the trailing line break, as a new version; the key need not change.',
      );
      expect(message).not.toContain('Re-encrypt');
    }
  });

  it('treats a lone line break as inside', () => {
    expect(problem('\n').message).toContain('contains a line break (LF at character 1)');
  });

  it('rejects NUL and the empty passphrase', () => {
    expect(problem('abc\0def').message).toContain('contains a NUL character');
    expect(problem('').message).toContain('is empty');
  });

  it('never puts the passphrase in the message', () => {
    expect(problem('hunter2\nhunter3').message).not.toContain('hunter');
  });
});

describe('withTimeout', () => {
  it('returns the value in time', async () => {
    await expect(withTimeout(Promise.resolve(7), 1_000, 'reading')).resolves.toBe(7);
  });

  it('rejects a promise that never settles', async () => {
    const error = await withTimeout(new Promise(() => undefined), 50, 'reading secret "tls/www"').catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(HookTimeoutError);
    expect((error as HookTimeoutError).code).toBe('ERR_HOOK_TIMEOUT');
    expect((error as HookTimeoutError).message).toContain('reading secret "tls/www" timed out after 0.05 s');
  });
});

describe('withTimeout and a signal', () => {
  it('rejects as soon as the signal fires', async () => {
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(new Error('stopped by SIGTERM')), 50);

    const error = await withTimeout(new Promise(() => undefined), 10_000, 'reading', controller.signal).catch((caught: unknown) => caught);

    expect((error as Error).message).toBe('stopped by SIGTERM');
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('rejects a signal that already fired', async () => {
    const error = await withTimeout(Promise.resolve(7), 1_000, 'reading', AbortSignal.abort()).catch((caught: unknown) => caught);

    expect((error as Error).name).toBe('AbortError');
  });
});

describe('Redacted', () => {
  it('hides the value from inspect, JSON and String', () => {
    const value = new Redacted('hunter2\n');

    expect(inspect({ output: value })).not.toContain('hunter2');
    expect(JSON.stringify({ output: value })).toBe('{"output":"[redacted]"}');
    expect(String(value)).toBe('[redacted]');
    expect(value.reveal()).toBe('hunter2\n');
  });
});
