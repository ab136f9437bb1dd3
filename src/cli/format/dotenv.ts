import { toEnvironmentVariables, type InvalidNameHandling } from '../../env/environment-name.js';
import { compareKeys } from '../../tables/lib/compare-keys.js';

/**
 * Formats secrets as `NAME='value'` lines that a POSIX shell can source and dotenv loaders
 * read. Names follow the environment-name rule (upper-cased, as Python credstash 1.17.1
 * does); names that cannot be variables are rejected unless `invalidNames` is "replace".
 * Values are single-quoted as in Python, but a `'` inside a value is written `'\''`, so
 * every value comes back unchanged, including quotes, newlines, `$` and backslashes. Python
 * writes such a `'` bare, which ends the quoting early.
 */
export function formatDotenv(secrets: Readonly<Record<string, string>>, invalidNames: InvalidNameHandling): string {
  const variables = toEnvironmentVariables(secrets, { invalidNames });

  return Object.keys(variables)
    .sort(compareKeys)
    .map((variable) => `${variable}='${(variables[variable] as string).replaceAll("'", "'\\''")}'\n`)
    .join('');
}
