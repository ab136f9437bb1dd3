import { readFileSync } from 'node:fs';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { isolatedEnv, makeTempDir, runCli } from '../cli/support/processes.js';

// The IAM policies in the docs are the output of `credstash-ts iam-policy`, so the command is
// their one source: every ```sh block with an iam-policy command that a ```json block follows
// must print exactly that JSON.

const PAGES = ['docs/iam.md', 'SECURITY.md', 'docs/hooks.md'] as const;
// Fewer examples than this means one was dropped or its blocks no longer pair up.
const MIN_EXAMPLES: Readonly<Record<(typeof PAGES)[number], number>> = { 'docs/iam.md': 4, 'SECURITY.md': 0, 'docs/hooks.md': 1 };

function readPage(page: string): string {
  return readFileSync(new URL(`../../${page}`, import.meta.url), 'utf8');
}

/** Returns each iam-policy command line of a page with the JSON block right after it. */
function examples(page: string): { command: string; json: string }[] {
  const pairs = /```sh\n(credstash-ts [^\n]*iam-policy[^\n]*)\n```\n\n```json\n([\s\S]*?)\n```/g;
  return [...readPage(page).matchAll(pairs)].map((match) => ({ command: match[1] as string, json: match[2] as string }));
}

// The docs' command lines use only plain words and single-quoted words.
function splitWords(command: string): string[] {
  return [...command.matchAll(/'([^']*)'|(\S+)/g)].map((match) => match[1] ?? (match[2] as string));
}

let home: { path: string; remove: () => Promise<void> };

beforeAll(async () => {
  home = await makeTempDir('iam-pages');
});

afterAll(async () => {
  await home.remove();
});

async function printPolicy(args: readonly string[]): Promise<string> {
  const result = await runCli(args, { env: isolatedEnv(home.path) });
  expect(result.status, result.stderr).toBe(0);
  return result.text;
}

describe.each(PAGES)('IAM policies in %s', (page) => {
  it('has its examples', () => {
    expect(examples(page).length).toBeGreaterThanOrEqual(MIN_EXAMPLES[page]);
  });

  for (const { command, json } of examples(page)) {
    it(`matches ${command.slice('credstash-ts '.length)}`, async () => {
      expect(await printPolicy(splitWords(command).slice(1))).toBe(`${json}\n`);
    });
  }
});

describe('docs/iam.md statements', () => {
  it('explains every statement', async () => {
    const page = readPage('docs/iam.md');
    const variants = [
      ['iam-policy', 'reader', '--account', '111122223333', '--name', 'a*', '--bind-name', 'env=prod'],
      ['iam-policy', 'writer', '--account', '111122223333'],
      ['iam-policy', 'setup', '--account', '111122223333', '--create-key'],
    ];
    const sids = new Set<string>();
    for (const args of variants) {
      const policy = JSON.parse(await printPolicy(['-r', 'eu-west-1', ...args])) as { Statement: { Sid: string }[] };
      for (const statement of policy.Statement) {
        sids.add(statement.Sid);
      }
    }

    expect(sids.size).toBe(10);
    for (const sid of sids) {
      expect(page, `docs/iam.md has no section for ${sid}`).toContain(`### \`${sid}\``);
    }
  });
});

describe('SECURITY.md role table', () => {
  // Rows of the table: | `role` | DynamoDB actions | KMS actions |
  const rows = new Map(
    [...readPage('SECURITY.md').matchAll(/^\| `(reader|writer|setup)` \| (.+) \| (.+) \|$/gm)].map((match) => [
      match[1] as string,
      [...`${match[2]} ${match[3]}`.matchAll(/`((?:dynamodb|kms):\w+)`/g)].map((action) => action[1] as string).sort(),
    ]),
  );

  it.each([
    ['reader', []],
    ['writer', []],
    ['setup', ['--create-key']],
  ])('lists the actions of %s', async (role, flags) => {
    const policy = JSON.parse(await printPolicy(['-r', 'eu-west-1', 'iam-policy', role, '--account', '111122223333', ...flags])) as { Statement: { Action: string[] }[] };

    expect(rows.get(role)).toEqual([...new Set(policy.Statement.flatMap((statement) => statement.Action))].sort());
  });
});
