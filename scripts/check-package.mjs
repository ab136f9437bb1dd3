// Checks the package as users receive it. The script builds and packs the tarball once, and
// lints it with publint and @arethetypeswrong/cli. Then it installs the tarball into a
// scratch project in a temporary folder and loads it through ESM import, CJS require and
// TypeScript (moduleResolution node16 and bundler, type-checked with this project's tsc).
//
//   npm run check:package            (KEEP_SCRATCH=1 keeps the scratch project for a look)
//
// Each check prints one line; the last line counts them. Exits 1 when any check fails.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const bin = (name) => join(root, 'node_modules', '.bin', name);
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const results = [];

/** Runs one named check and prints its outcome. A thrown error fails the check with its message. */
function check(title, body) {
  try {
    body();
    results.push({ title, ok: true });
    console.log(`ok    ${title}`);
  } catch (error) {
    results.push({ title, ok: false });
    console.log(`FAIL  ${title}\n${indent(error instanceof Error ? error.message : String(error))}`);
  }
}

/** Runs a command and returns its stdout. A non-zero exit status throws an error containing the output. */
function run(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options });
  if (result.error !== undefined) {
    throw new Error(`${command} could not be started: ${result.error.message}`);
  }
  if (result.status !== 0) {
    throw new Error(`${[command, ...args].join(' ')} exited with status ${result.status}:\n${result.stdout}${result.stderr}`);
  }
  return result.stdout;
}

function indent(text) {
  return text
    .trimEnd()
    .split('\n')
    .map((line) => `      ${line}`)
    .join('\n');
}

const scratch = mkdtempSync(join(tmpdir(), 'credstash-ts-package-'));
let tarball;
let packedFiles = [];

try {
  check('build', () => run('npm', ['run', 'build', '--silent'], { cwd: root }));

  check('npm pack', () => {
    const [packed] = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', scratch], { cwd: root }));
    tarball = join(scratch, packed.filename);
    packedFiles = packed.files.map((file) => file.path);
    checkPackedFiles(packed.files.map((file) => file.path));
  });
  check('links in the packed Markdown pages', () => checkMarkdownLinks(packedFiles));
  if (tarball === undefined) {
    throw new Error('no tarball to check');
  }

  check('package.json fields', checkManifest);
  check('publint --strict on the tarball', () => run(bin('publint'), ['run', tarball, '--strict']));
  check('attw on the tarball', () => run(bin('attw'), [tarball, '--format', 'ascii', '--no-color']));

  const project = join(scratch, 'project');
  check('install the tarball into a scratch project', () => installTarball(project));
  check('ESM import', () => run(process.execPath, ['esm.mjs'], { cwd: project }));
  check('CJS require', () => run(process.execPath, ['cjs.cjs'], { cwd: project }));
  check('TypeScript, moduleResolution node16', () => run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.node16.json'], { cwd: project }));
  check('TypeScript, moduleResolution bundler', () => run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.bundler.json'], { cwd: project }));

  // Hook for the command-line program: it runs as soon as package.json declares a `bin`.
  // Until then the package has no executable, and this check reports itself as skipped.
  if (pkg.bin === undefined) {
    console.log('skip  npx credstash-ts --version (package.json has no "bin" yet)');
  } else {
    for (const name of typeof pkg.bin === 'string' ? [pkg.name] : Object.keys(pkg.bin)) {
      check(`npx ${name} --version`, () => {
        const output = run('npx', ['--no-install', name, '--version'], { cwd: project });
        if (!output.includes(pkg.version)) {
          throw new Error(`expected the output to contain version ${pkg.version}, got: ${output}`);
        }
      });
    }
  }
} catch (error) {
  results.push({ title: 'setup', ok: false });
  console.log(`FAIL  ${error instanceof Error ? error.message : String(error)}`);
} finally {
  if (process.env.KEEP_SCRATCH === '1') {
    console.log(`scratch project kept in ${scratch}`);
  } else {
    rmSync(scratch, { recursive: true, force: true });
  }
}

const failed = results.filter((result) => !result.ok).length;
console.log(`${results.length - failed} passed, ${failed} failed`);
process.exitCode = failed === 0 ? 0 : 1;

// The tarball may contain only what an installed package uses, and must contain every file
// that package.json points at.
function checkPackedFiles(files) {
  // The web server hooks are installed by copying their scripts and config samples out of
  // node_modules, so examples/apache and examples/nginx ship too. The guides in docs/*.md
  // and SECURITY.md ship because README.md links to them; the generated docs/api does not.
  // npm adds examples/README.md by itself.
  const allowed = /^(package\.json|README\.md|CHANGELOG\.md|SECURITY\.md|LICENSE|docs\/[^/]+\.md|examples\/README\.md|examples\/(apache|nginx)\/.+|dist\/.+\.(js|cjs|d\.ts|d\.cts|js\.map|cjs\.map))$/;
  const unexpected = files.filter((file) => !allowed.test(file));
  if (unexpected.length > 0) {
    throw new Error(`the tarball contains files users do not need:\n${unexpected.join('\n')}`);
  }

  const referenced = new Set([pkg.main, pkg.module, pkg.types, ...exportTargets(pkg.exports), ...Object.values(typeof pkg.bin === 'string' ? { bin: pkg.bin } : pkg.bin ?? {})]);
  const missing = [...referenced].filter((path) => path !== undefined).map((path) => path.replace(/^\.\//, '')).filter((path) => !files.includes(path));
  if (missing.length > 0) {
    throw new Error(`package.json points at files missing from the tarball:\n${missing.join('\n')}`);
  }
}

// Every relative link in a packed Markdown page must reach a packed file, so that pages read
// from node_modules have no dead links.
function checkMarkdownLinks(files) {
  // Links into docs/api/ (generated from the doc comments, which the type declarations
  // carry) and into examples/ outside apache and nginx (run from a clone) lead to the
  // repository, and the pages that contain them say so. They must still reach a file there.
  const repositoryOnly = [/^docs\/api\//, /^examples\/(?!apache\/|nginx\/)/];
  const packed = new Set(files);
  const broken = [];
  for (const page of files.filter((file) => file.endsWith('.md'))) {
    // Code blocks show commands and config, not links.
    const text = readFileSync(join(root, page), 'utf8').replace(/^```[\s\S]*?^```/gm, '');
    for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z]+:/i.test(target) || target.startsWith('#')) {
        continue;
      }
      const path = posix.normalize(posix.join(posix.dirname(page), target.replace(/#.*$/, '')));
      const shipped = packed.has(path) || files.some((file) => file.startsWith(`${path.replace(/\/$/, '')}/`));
      const inRepository = repositoryOnly.some((pattern) => pattern.test(path)) && existsSync(join(root, path));
      if (!shipped && !inRepository) {
        broken.push(`${page}: ${target}`);
      }
    }
  }
  if (broken.length > 0) {
    throw new Error(`links that lead to no file in the package:\n${broken.join('\n')}\nShip the target, or point the link elsewhere.`);
  }
}

function exportTargets(value) {
  if (typeof value === 'string') {
    return [value];
  }
  return value === null || value === undefined ? [] : Object.values(value).flatMap(exportTargets);
}

function checkManifest() {
  if (pkg.sideEffects !== false) {
    throw new Error('package.json must declare "sideEffects": false, because importing credstash-ts changes nothing global.');
  }
  const floor = /^>=\s*(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(pkg.engines?.node ?? '');
  if (floor === null) {
    throw new Error(`engines.node is ${JSON.stringify(pkg.engines?.node)}; but this check accepts only the form ">=MAJOR[.MINOR.PATCH]". Write the range in that form.`);
  }
  const [major] = process.versions.node.split('.').map(Number);
  if (major < Number(floor[1])) {
    throw new Error(`Node ${process.versions.node} is below engines.node ${pkg.engines.node}, so this run tests an unsupported version.`);
  }
}

// Installs the tarball the way a user would. With --prefer-offline, npm takes the AWS SDK
// packages from its cache, which `npm ci` filled, and fetches only what is missing there.
function installTarball(project) {
  cpSync(join(root, 'scripts', 'package-smoke'), project, { recursive: true });
  writeJson(join(project, 'package.json'), { name: 'scratch', private: true, type: 'commonjs' });
  writeJson(join(project, 'subpaths.json'), subpathsOf(pkg));
  // The project's own @types/node serves the scratch project, which installs no types.
  const shared = { target: 'es2022', lib: ['es2022'], strict: true, noEmit: true, skipLibCheck: false, types: ['node'], typeRoots: [join(root, 'node_modules', '@types')] };
  writeJson(join(project, 'tsconfig.node16.json'), { compilerOptions: { ...shared, module: 'node16', moduleResolution: 'node16' }, files: ['use-esm.mts', 'use-cjs.cts'] });
  writeJson(join(project, 'tsconfig.bundler.json'), { compilerOptions: { ...shared, module: 'esnext', moduleResolution: 'bundler' }, files: ['use-bundler.ts'] });
  run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', tarball], { cwd: project });

  const installed = JSON.parse(readFileSync(join(project, 'node_modules', pkg.name, 'package.json'), 'utf8'));
  if (installed.version !== pkg.version) {
    throw new Error(`installed ${installed.version}, expected ${pkg.version}`);
  }
  for (const dependency of Object.keys(pkg.dependencies ?? {})) {
    const floor = /^>=\s*(\d+)/.exec(JSON.parse(readFileSync(join(project, 'node_modules', dependency, 'package.json'), 'utf8')).engines?.node ?? '');
    if (floor !== null && Number(floor[1]) > Number(/\d+/.exec(pkg.engines.node)[0])) {
      throw new Error(`${dependency} needs Node ${floor[0]}, above this package's engines.node ${pkg.engines.node}. Raise engines.node.`);
    }
  }
}

function writeJson(path, value) {
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
}

/** Lists every import path the package exports, such as "credstash-ts" and "credstash-ts/hooks". */
function subpathsOf(manifest) {
  return Object.keys(manifest.exports)
    .filter((key) => key !== './package.json')
    .map((key) => (key === '.' ? manifest.name : `${manifest.name}/${key.slice(2)}`));
}
