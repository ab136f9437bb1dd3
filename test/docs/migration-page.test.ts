import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

import { describe, expect, inject, it } from 'vitest';

import { buildProgram } from '../../src/cli/program.js';

// The command-line table of docs/migration.md must name every command and option of Python
// credstash 1.17.1 (read from its argparse parser) and every credstash-ts command.

const PAGE = readFileSync(new URL('../../docs/migration.md', import.meta.url), 'utf8');
const SECTION = PAGE.slice(PAGE.indexOf('## From the command line'), PAGE.indexOf('### Behaviour differences', PAGE.indexOf('## From the command line')));

// Prints {"": [global options], "get": [options], ...} from credstash's own parser.
const DUMP_PARSER = `
import argparse, json, credstash
parsers = credstash.get_parser()
def options(parser):
    return sorted(s for a in parser._actions for s in a.option_strings if s not in ('-h', '--help'))
commands = {'': options(parsers['super'])}
for action in parsers['super']._actions:
    if isinstance(action, argparse._SubParsersAction):
        for name, sub in action.choices.items():
            commands[name] = options(sub)
print(json.dumps(commands))
`;

const python = inject('pythonCredstash');

describe('docs/migration.md command line', () => {
  it('has the table', () => {
    expect(SECTION).toContain('| Python `credstash` 1.17.1 | `credstash-ts` | notes |');
  });

  it.skipIf(python === null)('names every Python command and option', () => {
    const dump = spawnSync(python ?? 'python3', ['-c', DUMP_PARSER], { encoding: 'utf8', timeout: 30_000 });
    expect(dump.status, dump.stderr).toBe(0);
    const commands = JSON.parse(dump.stdout) as Record<string, string[]>;

    expect(Object.keys(commands).sort()).toEqual(['', 'delete', 'get', 'getall', 'keys', 'list', 'put', 'putall', 'setup']);
    const rows = SECTION.split('\n').filter((line) => line.startsWith('| '));
    for (const [command, options] of Object.entries(commands)) {
      const commandRows = command === '' ? rows : rows.filter((row) => row.includes(`\`${command} `) || row.includes(`\`${command}\``));
      expect(commandRows.length, `no row for ${command}`).toBeGreaterThan(0);
      for (const option of options) {
        // An option is written `-v`, or first after its command as in `get -n`.
        const written = new RegExp(`\`(${command} )?${option}[\` ]`);
        expect(commandRows.some((row) => written.test(row)), `${command || 'global'} option ${option}`).toBe(true);
      }
    }
  });

  it('names every credstash-ts command', () => {
    const noOutput = { write: () => true };
    const program = buildProgram({ stdin: process.stdin, stdout: noOutput, stderr: { ...noOutput, isTTY: false }, env: {} } as never, { exitCode: 0 });

    for (const command of program.commands.map((candidate) => candidate.name())) {
      expect(SECTION, `credstash-ts ${command}`).toMatch(new RegExp(`\`${command}[\` ]`));
    }
  });
});
