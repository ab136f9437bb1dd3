import { randomBytes } from 'node:crypto';
import { link, mkdir, open, readFile, stat, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';

import { InsecureKeyFileError, KeyProviderError } from '../../errors/index.js';
import { isCode } from '../../lib/errno.js';

/** Length of a local master key in bytes (AES-256). */
export const MASTER_KEY_LENGTH = 32;

/**
 * Reads the master key file and returns the key, or undefined when the file does not exist.
 * A file that group or others may access is rejected before it is read.
 */
export async function readMasterKeyFile(path: string): Promise<Buffer | undefined> {
  let mode: number;
  try {
    mode = (await stat(path)).mode;
  } catch (error) {
    if (isCode(error, 'ENOENT')) {
      return undefined;
    }
    throw new KeyProviderError(`cannot read the master key file ${path}: ${String(error)}`, { cause: error });
  }

  if ((mode & 0o077) !== 0) {
    throw new InsecureKeyFileError(path, mode);
  }

  const text = await readFile(path, 'utf8').catch((error: unknown) => {
    throw new KeyProviderError(`cannot read the master key file ${path}: ${String(error)}`, { cause: error });
  });
  const key = Buffer.from(text.trim(), 'base64');
  if (key.byteLength !== MASTER_KEY_LENGTH || key.toString('base64') !== text.trim()) {
    key.fill(0);
    throw new KeyProviderError(
      `the master key file ${path} does not contain a base64-encoded ${MASTER_KEY_LENGTH}-byte key. Restore it from a backup.`,
    );
  }
  return key;
}

// Writes the new key to a private temporary file and links it into place. link() fails
// with EEXIST instead of replacing, so when two processes create the key at once both end
// up using whichever file was linked first, and no reader ever sees a partial file.
// Returns whether this call's file was linked.
export async function createMasterKeyFile(path: string): Promise<boolean> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });

  const temporary = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  const key = randomBytes(MASTER_KEY_LENGTH);
  const handle = await open(temporary, 'wx', 0o600);
  try {
    await handle.writeFile(`${key.toString('base64')}\n`);
    await handle.sync();
  } finally {
    key.fill(0);
    await handle.close();
  }

  try {
    await link(temporary, path);
    return true;
  } catch (error) {
    if (!isCode(error, 'EEXIST')) {
      throw new KeyProviderError(`cannot create the master key file ${path}: ${String(error)}`, { cause: error });
    }
    return false;
  } finally {
    await unlink(temporary).catch(() => undefined);
  }
}
