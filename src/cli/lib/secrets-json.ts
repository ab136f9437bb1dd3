import { CliError } from './cli-error.js';

/**
 * Parses `putall` input: a JSON object that maps secret names to string values. Every
 * entry is checked before anything is stored. Messages give positions and names only,
 * never the input text, because it contains secrets.
 */
export function parseSecretsJson(text: string, source: string): [string, string][] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    // V8's message quotes the input around the error, so only the position is kept.
    const position = error instanceof Error ? /position (\d+)/.exec(error.message)?.[1] : undefined;
    throw new CliError('ERR_INVALID_INPUT', `${source} is not valid JSON${position === undefined ? '' : ` (error at character ${position})`}. Pass an object such as {"name": "value"}.`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new CliError('ERR_INVALID_INPUT', `${source} is JSON but not an object. Pass an object such as {"name": "value"}.`);
  }

  const entries = Object.entries(parsed);
  const notStrings = entries.filter(([, value]) => typeof value !== 'string').map(([name]) => JSON.stringify(name));
  if (notStrings.length > 0) {
    throw new CliError('ERR_INVALID_INPUT', `${source} has values that are not strings, for ${notStrings.join(', ')}. Quote every value; nothing was stored.`);
  }
  const emptyName = entries.some(([name]) => name === '');
  if (emptyName) {
    throw new CliError('ERR_INVALID_INPUT', `${source} has an empty secret name. Give every secret a name; nothing was stored.`);
  }
  return entries as [string, string][];
}
