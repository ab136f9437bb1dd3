import { appendFileSync } from 'node:fs';

/**
 * Records one figure of the reliability suites (a count or an outcome) as a JSON line in
 * the file named by `RELIABILITY_FIGURES`. Does nothing when the variable is not set, so
 * `npm test` writes no file; `npm run figures` sets it and prints the table.
 */
export function recordFigure(group: string, figure: string, value: number | string): void {
  const path = process.env['RELIABILITY_FIGURES'];
  if (path === undefined || path === '') {
    return;
  }
  // One small append per line; O_APPEND keeps lines from parallel test files whole.
  appendFileSync(path, `${JSON.stringify({ group, figure, value })}\n`);
}
