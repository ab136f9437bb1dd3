import type { InvalidNameHandling } from '../../env/environment-name.js';
import { formatCsv } from './csv.js';
import { formatDotenv } from './dotenv.js';
import { formatPythonJson } from './python-json.js';
import { formatYaml } from './yaml.js';

/** Output formats of `getall` and of a `get` with a pattern, as in Python credstash 1.17.1. */
export const SECRETS_FORMATS = ['json', 'csv', 'dotenv', 'yaml'] as const;

export type SecretsFormat = (typeof SECRETS_FORMATS)[number];

/** Formats a map of secrets. JSON has no trailing newline; the other formats end each entry with one. */
export function formatSecrets(secrets: Readonly<Record<string, string>>, format: SecretsFormat, invalidNames: InvalidNameHandling): string {
  switch (format) {
    case 'json':
      return formatPythonJson(secrets);
    case 'csv':
      return formatCsv(secrets);
    case 'dotenv':
      return formatDotenv(secrets, invalidNames);
    case 'yaml':
      return formatYaml(secrets);
  }
}
