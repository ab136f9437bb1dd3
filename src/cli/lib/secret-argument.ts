import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

import { decodeUtf8 } from '../../format/text.js';
import { usageError } from './cli-error.js';

/**
 * Resolves a `VALUE|@FILE|-` argument as Python credstash does: `-` reads standard input to
 * its end, `@FILE` reads the file (a leading `~` is the home folder), anything else is the
 * value itself. Files and standard input are stored byte for byte. Python keeps the bytes of
 * standard input too, but opens files in text mode, which turns CRLF and CR line ends into
 * LF. Input that is not UTF-8 is rejected, because credstash secrets are text.
 */
export async function readSecretArgument(argument: string, stdin: AsyncIterable<Buffer | string>): Promise<string> {
  if (argument === '-') {
    return decodeInput(await readAll(stdin), 'standard input');
  }
  if (!argument.startsWith('@')) {
    return argument;
  }

  const path = expandHome(argument.slice(1));
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw usageError(`cannot read file ${path}: ${describeReadError(error)}. Check the path after "@", or pass the value itself.`);
  }
  return decodeInput(bytes, `file ${path}`);
}

async function readAll(stream: AsyncIterable<Buffer | string>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) {
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
  }
  return Buffer.concat(chunks);
}

function decodeInput(bytes: Buffer, source: string): string {
  const text = decodeUtf8(bytes);
  bytes.fill(0);
  if (text === undefined) {
    throw usageError(`${source} is not valid UTF-8. Credstash secrets are text; encode binary data (for example with base64) first.`);
  }
  return text;
}

function describeReadError(error: unknown): string {
  const code = error instanceof Error && 'code' in error ? String(error.code) : undefined;
  switch (code) {
    case 'ENOENT':
      return 'file not found (ENOENT)';
    case 'EISDIR':
      return 'it is a folder, not a file (EISDIR)';
    case 'EACCES':
    case 'EPERM':
      return `permission denied (${code})`;
    case 'ELOOP':
      return 'too many levels of symbolic links (ELOOP)';
    default:
      return code ?? String(error);
  }
}

function expandHome(path: string): string {
  if (path === '~') {
    return homedir();
  }
  return path.startsWith('~/') ? join(homedir(), path.slice(2)) : path;
}
