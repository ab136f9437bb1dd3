// Runs the reliability suites with figure recording on and prints the figures as Markdown
// tables, for docs/reliability.md.
//
//   npm run figures
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface Figure {
  readonly group: string;
  readonly figure: string;
  readonly value: number | string;
}

const folder = mkdtempSync(join(tmpdir(), 'credstash-figures-'));
const path = join(folder, 'figures.jsonl');

try {
  const run = spawnSync('npx', ['vitest', 'run', 'test/reliability'], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, RELIABILITY_FIGURES: path, AWS_EC2_METADATA_DISABLED: 'true' },
  });
  if (run.status !== 0) {
    process.stderr.write(`the reliability suites failed (exit status ${String(run.status)}); no figures printed.\n`);
    process.exitCode = 1;
  } else {
    process.stdout.write(render(readFigures(path)));
  }
} finally {
  rmSync(folder, { recursive: true, force: true });
}

function readFigures(file: string): Figure[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Figure);
}

// Figures recorded more than once in a run (by several tests) are summed when numeric.
function render(figures: readonly Figure[]): string {
  const groups = new Map<string, Map<string, number | string>>();
  for (const { group, figure, value } of figures) {
    const rows = groups.get(group) ?? new Map<string, number | string>();
    const previous = rows.get(figure);
    rows.set(figure, typeof previous === 'number' && typeof value === 'number' ? previous + value : value);
    groups.set(group, rows);
  }

  const lines: string[] = ['### summary', '', '| figure | value |', '| --- | --- |'];
  for (const [figure, value] of summarize(groups)) {
    lines.push(`| ${figure} | ${value} |`);
  }
  lines.push('');
  for (const [group, rows] of groups) {
    lines.push(`### ${group}`, '', '| figure | value |', '| --- | --- |');
    for (const [figure, value] of rows) {
      lines.push(`| ${figure} | ${String(value)} |`);
    }
    lines.push('');
  }
  return `${lines.join('\n')}\n`;
}

// Adds up the rows of one group whose figure name ends with `suffix` (or matches it).
function total(groups: Map<string, Map<string, number | string>>, group: string, matches: (figure: string) => boolean): number {
  let sum = 0;
  for (const [figure, value] of groups.get(group) ?? []) {
    if (typeof value === 'number' && matches(figure)) {
      sum += value;
    }
  }
  return sum;
}

function summarize(groups: Map<string, Map<string, number | string>>): [string, number][] {
  return [
    ['faults injected', total(groups, 'faults', (figure) => figure === 'faults injected')],
    ['operations under faults that succeeded', total(groups, 'faults', (figure) => figure.endsWith(': succeeded'))],
    ['operations under faults that failed with a typed error', total(groups, 'faults', (figure) => figure.endsWith(': failed with a typed error'))],
    ['operations under faults that failed with an untyped error', total(groups, 'faults', (figure) => figure.endsWith(': failed with an untyped error'))],
    ['changed items rejected with a typed error', total(groups, 'tampering', (figure) => / ERR_[A-Z_]+$|: rejected$/.test(figure))],
    ['changed items that returned the plaintext', total(groups, 'tampering', (figure) => figure.endsWith(': plaintext') && !figure.includes('same value'))],
    ['hmac case changes read back (same HMAC value)', total(groups, 'tampering', (figure) => figure.endsWith(': plaintext') && figure.includes('same value'))],
    ['invalid library inputs rejected before any provider call', total(groups, 'bad input', (figure) => figure === 'library inputs tried')],
    ['secrets, data keys or master keys found in output', total(groups, 'hygiene', (figure) => figure === 'secrets, data keys or master keys found')],
  ];
}
