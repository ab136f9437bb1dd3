// Fails when docs/api differs from what typedoc generates from the current doc comments.
// It generates into a temporary folder and compares file by file, so it neither needs a
// clean git tree nor changes docs/api.
//
//   npm run check:api-docs        (fix a failure with: npm run docs:api)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const committed = join(root, 'docs', 'api');
const generated = mkdtempSync(join(tmpdir(), 'credstash-ts-api-docs-'));

try {
  const typedoc = spawnSync(join(root, 'node_modules', '.bin', 'typedoc'), ['--out', generated], { cwd: root, encoding: 'utf8' });
  if (typedoc.status !== 0) {
    console.error(`typedoc failed with status ${typedoc.status}:\n${typedoc.stdout}${typedoc.stderr}`);
    process.exit(1);
  }

  const differences = compareTrees(listFiles(committed, committed), listFiles(generated, generated));
  if (differences.length > 0) {
    console.error(`docs/api is out of date with the doc comments in src/:\n${differences.map((line) => `  ${line}`).join('\n')}\nRun "npm run docs:api" and commit docs/api.`);
    process.exit(1);
  }
  console.log('docs/api matches the doc comments');
} finally {
  rmSync(generated, { recursive: true, force: true });
}

function listFiles(folder, base) {
  let entries;
  try {
    entries = readdirSync(folder, { withFileTypes: true });
  } catch {
    return new Map();
  }
  const files = new Map();
  for (const entry of entries) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) {
      for (const [name, text] of listFiles(path, base)) {
        files.set(name, text);
      }
    } else {
      files.set(relative(base, path), readFileSync(path, 'utf8'));
    }
  }
  return files;
}

function compareTrees(expected, actual) {
  const differences = [];
  for (const [name, text] of actual) {
    if (!expected.has(name)) {
      differences.push(`missing: docs/api/${name}`);
    } else if (expected.get(name) !== text) {
      differences.push(`changed: docs/api/${name}`);
    }
  }
  for (const name of expected.keys()) {
    if (!actual.has(name)) {
      differences.push(`no longer generated: docs/api/${name}`);
    }
  }
  return differences.sort();
}
