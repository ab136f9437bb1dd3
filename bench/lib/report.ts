import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { ROOT } from './environment.js';
import { IMPLEMENTATIONS, ratioToPython, type ResultRow, type Summary } from './harness.js';

/** Run facts printed under the tables. */
export interface RunFacts {
  readonly runs: number;
  readonly seconds: number;
  readonly command: string;
}

/** Formats the rows as Markdown tables, one per family, with the machine and the command. */
export function formatResults(rows: readonly ResultRow[], machine: Readonly<Record<string, string>>, facts: RunFacts): string {
  const lines: string[] = [];
  const families = [...new Set(rows.map((row) => row.family))];

  for (const family of families) {
    lines.push(`### ${family}`, '');
    lines.push('| measurement | unit | credstash-ts | Python credstash | aws-credstash | ratio ts/Python | target | met |');
    lines.push('| --- | --- | --- | --- | --- | --- | --- | --- |');
    for (const row of rows.filter((candidate) => candidate.family === family)) {
      const cells = IMPLEMENTATIONS.map((implementation) => formatCell(row.results[implementation]));
      const ratio = ratioToPython(row);
      let met = '';
      if (row.met !== undefined) {
        met = row.met ? 'yes' : 'no';
      }
      lines.push(`| ${row.measurement} | ${row.unit} | ${cells.join(' | ')} | ${ratio === undefined ? '' : `${ratio.toFixed(2)}×`} | ${row.target ?? ''} | ${met} |`);
    }
    const notes = rows.filter((row) => row.family === family && row.note !== undefined);
    if (notes.length > 0) {
      lines.push('');
      for (const row of notes) {
        lines.push(`- ${row.measurement}: ${row.note ?? ''}`);
      }
    }
    lines.push('');
  }

  lines.push('Cells are the median, then min–max in brackets, over the timed runs.', '');
  lines.push('| machine | |', '| --- | --- |');
  for (const [key, value] of Object.entries(machine)) {
    lines.push(`| ${key} | ${value} |`);
  }
  lines.push('', `Command: \`${facts.command}\`, ${facts.runs} timed runs per cell, ${Math.round(facts.seconds)} s in all.`, '');
  return lines.join('\n');
}

/** Saves the rows as JSON and the Markdown report in bench/results/ (ignored by git). */
export function saveResults(rows: readonly ResultRow[], machine: Readonly<Record<string, string>>, report: string): void {
  const folder = join(ROOT, 'bench', 'results');
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'latest.json'), `${JSON.stringify({ machine, rows }, null, 2)}\n`);
  writeFileSync(join(folder, 'latest.md'), report);
}

function formatCell(value: Summary | string | undefined): string {
  if (value === undefined) {
    return '–';
  }
  if (typeof value === 'string') {
    return value;
  }
  if (value.runs === 1 || value.min === value.max) {
    return formatNumber(value.median);
  }
  return `${formatNumber(value.median)} (${formatNumber(value.min)}–${formatNumber(value.max)})`;
}

function formatNumber(value: number): string {
  if (Number.isInteger(value)) {
    return value.toLocaleString('en');
  }
  return value >= 100 ? Math.round(value).toLocaleString('en') : value.toPrecision(3);
}
