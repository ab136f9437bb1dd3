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

  const lines: string[] = [];
  for (const [group, rows] of groups) {
    lines.push(`### ${group}`, '', '| figure | value |', '| --- | --- |');
    for (const [figure, value] of rows) {
      lines.push(`| ${figure} | ${String(value)} |`);
    }
    lines.push('');
  }
  return `${lines.join('\n')}\n`;
}
