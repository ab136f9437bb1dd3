import type { Credstash } from '../store/credstash.js';
import type { HookConfig } from './config.js';
import { HookTimeoutError, InvalidPassphraseError } from './errors.js';

/** Maximum length of a passphrase Apache httpd 2.4 takes from an `exec:` program, in bytes of UTF-8. */
export const APACHE_MAX_PASSPHRASE_BYTES = 1023;
/** Maximum length of a line nginx reads from `ssl_password_file`, in bytes of UTF-8 without the LF. */
export const NGINX_MAX_PASSPHRASE_BYTES = 4095;

/**
 * Checks that a passphrase survives the trip to the web server unchanged: it must not be
 * empty, must contain no CR, LF or NUL (the servers cut the line there), and must fit the
 * server's limit. Surrounding spaces are kept, because neither server trims them.
 *
 * @param secretName - Secret the passphrase came from, for the error message.
 * @param maxBytes - {@link APACHE_MAX_PASSPHRASE_BYTES} or {@link NGINX_MAX_PASSPHRASE_BYTES}.
 * @throws InvalidPassphraseError naming the secret and the problem, never the passphrase.
 */
export function checkPassphrase(passphrase: string, secretName: string, maxBytes: number): void {
  if (passphrase === '') {
    throw new InvalidPassphraseError(secretName, 'is empty. Store the key passphrase in it.');
  }
  const trailing = /[\r\n]+$/.exec(passphrase);
  if (trailing !== null && trailing.index > 0 && !/[\r\n]/.test(passphrase.slice(0, trailing.index))) {
    // Typically the line break that echo, a text editor or a file adds. The text before it
    // is most likely the passphrase the key was encrypted with, so the key can stay.
    throw new InvalidPassphraseError(
      secretName,
      `ends with a line break (${describeLineBreaks(trailing[0])}), and the hooks pass on only a passphrase that is exactly one line. ` +
        'Store the value again without the trailing line break, as a new version; the key need not change.',
    );
  }
  const lineBreak = /[\r\n]/.exec(passphrase);
  if (lineBreak !== null) {
    const name = lineBreak[0] === '\r' ? 'CR' : 'LF';
    throw new InvalidPassphraseError(
      secretName,
      `contains a line break (${name} at character ${lineBreak.index + 1}), and the server would read only the text before it. ` +
        'Re-encrypt the key with a passphrase on one line and store that.',
    );
  }
  if (passphrase.includes('\0')) {
    throw new InvalidPassphraseError(secretName, 'contains a NUL character, which the server would treat as its end. Store a passphrase without it.');
  }
  const bytes = Buffer.byteLength(passphrase, 'utf8');
  if (bytes > maxBytes) {
    throw new InvalidPassphraseError(secretName, `is ${bytes} bytes long, but the server accepts at most ${maxBytes}. Re-encrypt the key with a shorter passphrase.`);
  }
}

// Names a run of line breaks, such as "CRLF" or "LF LF".
function describeLineBreaks(text: string): string {
  return (text.match(/\r\n|\r|\n/g) ?? []).map((lineBreak) => ({ '\r\n': 'CRLF', '\r': 'CR', '\n': 'LF' })[lineBreak]).join(' ');
}

/**
 * Reads the latest version of each named secret, all within `timeout` ms (by default the
 * config's). The timer covers the whole read, so a provider that accepts a connection and
 * never responds is cut off too.
 *
 * @param signal - Stops waiting at once when it fires. To end the requests too, give the
 *   same signal to {@link createHookCredstash}.
 * @returns The passphrases, in the order of `names`.
 * @throws HookTimeoutError when the limit runs out, the signal's reason when it fires, or
 *   the store's own error.
 */
export async function readSecretsWithin(credstash: Credstash, config: HookConfig, names: readonly string[], timeout = config.timeout, signal?: AbortSignal): Promise<string[]> {
  const reads = Promise.all(names.map((name) => credstash.getSecret(name, { context: config.context })));
  return withTimeout(reads, timeout, `reading ${names.map((name) => `secret "${name}"`).join(', ')}`, signal);
}

/**
 * Settles like `promise`, or rejects with a {@link HookTimeoutError} once `timeout` ms pass,
 * or with the reason of `signal` as soon as it fires.
 */
export async function withTimeout<T>(promise: Promise<T>, timeout: number, action: string, signal?: AbortSignal): Promise<T> {
  signal?.throwIfAborted();
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const expired = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new HookTimeoutError(action, timeout)), timeout);
    onAbort = () => reject(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
  // The promise that lost the race may still reject later; that must not go unhandled.
  promise.catch(() => undefined);
  try {
    return await Promise.race([promise, expired]);
  } finally {
    clearTimeout(timer);
    if (onAbort !== undefined) {
      signal?.removeEventListener('abort', onAbort);
    }
  }
}
