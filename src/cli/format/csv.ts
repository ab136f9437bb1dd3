import { compareKeys } from '../../tables/lib/compare-keys.js';

// Python's csv writer (QUOTE_MINIMAL, line terminator "\n") quotes a field that contains the
// delimiter, the quote character or "\n". A lone "\r" is quoted here too, because Python
// 1.17.1 leaves it bare and its own reader then splits the row.
const NEEDS_QUOTES = /[,"\r\n]/;

/**
 * Formats secrets as CSV rows `name,value`, one per secret, as Python credstash 1.17.1's
 * `csv` format does. Rows are sorted by name; Python's order is arbitrary.
 */
export function formatCsv(secrets: Readonly<Record<string, string>>): string {
  return Object.keys(secrets)
    .sort(compareKeys)
    .map((name) => `${quoteField(name)},${quoteField(secrets[name] as string)}\n`)
    .join('');
}

function quoteField(field: string): string {
  return NEEDS_QUOTES.test(field) ? `"${field.replaceAll('"', '""')}"` : field;
}
