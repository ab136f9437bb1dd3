import { readFile, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

import { isCode } from '../../lib/errno.js';
import { CliError } from './cli-error.js';

// Python credstash 1.17.1 keeps `setup --save-kms-region` in this JSON file, and every
// command reads it when --kms-region is not given. Both programs share the file.
const CONFIG_KEY = 'kms-region';

/** Path of the shared credstash settings file, `~/.credstash`. */
export function configPath(): string {
  return join(homedir(), '.credstash');
}

/** Reads the KMS region saved by `setup --save-kms-region`, if any. */
export async function readSavedKmsRegion(): Promise<string | undefined> {
  const value = (await readConfig())[CONFIG_KEY];
  if (value === undefined || value === null || value === '') {
    return undefined;
  }
  if (typeof value !== 'string') {
    throw new CliError('ERR_CONFIG_FILE', `${configPath()} has a "${CONFIG_KEY}" that is not a string. Fix it, or save a region again with setup --save-kms-region.`);
  }
  return value;
}

/** Saves the KMS region in `~/.credstash`, keeping the file's other settings. */
export async function saveKmsRegion(region: string): Promise<void> {
  const config = await readConfig();
  config[CONFIG_KEY] = region;
  try {
    await writeFile(configPath(), JSON.stringify(config));
  } catch (error) {
    throw new CliError('ERR_CONFIG_FILE', `cannot write ${configPath()}: ${describe(error)}.`, { cause: error });
  }
}

async function readConfig(): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(configPath(), 'utf8');
  } catch (error) {
    if (isCode(error, 'ENOENT')) {
      return {};
    }
    throw new CliError('ERR_CONFIG_FILE', `cannot read ${configPath()}: ${describe(error)}.`, { cause: error });
  }

  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new CliError('ERR_CONFIG_FILE', `${configPath()} is not a JSON object. Fix or delete it; it only contains the saved KMS region.`);
  }
  return parsed as Record<string, unknown>;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
