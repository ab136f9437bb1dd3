import { randomUUID } from 'node:crypto';

import { inject } from 'vitest';

import { runProcess, runPython, type ProcessResult, type RunOptions } from '../../cli/support/processes.js';

/** Python interpreter with credstash 1.17.1 and the moto endpoint, or null when either is missing. */
export function interopTools(): { python: string; endpoint: string } | null {
  const python = inject('pythonCredstash');
  const endpoint = inject('motoEndpoint');
  return python === null || endpoint === null ? null : { python, endpoint };
}

/** Makes a table name that no other suite uses on the shared moto server. */
export function uniqueTable(prefix: string): string {
  return `${prefix}-${randomUUID()}`;
}

/** One secret that the Python credstash library writes with its defaults (version "", padded to 19 zeros). */
export interface LibraryWrite {
  readonly name: string;
  readonly value: string;
  readonly digest?: string;
  readonly comment?: string;
}

// Writes through credstash.putSecret, not the CLI, because only the library's default
// version is empty, which pads to 0000000000000000000.
const LIBRARY_WRITER = `
import json, sys
import credstash
request = json.load(sys.stdin)
for item in request["items"]:
    credstash.putSecret(item["name"], item["value"], kms_key=request["key"], region="us-east-1",
                        table=request["table"], digest=item.get("digest", "SHA256"), comment=item.get("comment", ""))
`;

/** Writes secrets through the Python credstash library in one process. */
export async function writeWithPythonLibrary(python: string, options: RunOptions, table: string, key: string, items: readonly LibraryWrite[]): Promise<void> {
  const result = await runProcess(python, ['-c', LIBRARY_WRITER], { ...options, input: JSON.stringify({ table, key, items }) });
  if (result.status !== 0) {
    throw new Error(`the Python library write failed: ${result.stderr}`);
  }
}

const CSV_READER = `
import csv, io, json, sys
print(json.dumps(list(csv.reader(io.StringIO(sys.stdin.read(), newline="")))))
`;

/** Parses CSV with Python's csv module and returns the rows in order. */
export async function parseCsvWithPython(python: string, text: string): Promise<string[][]> {
  return JSON.parse((await runPythonScript(python, CSV_READER, text)).text) as string[][];
}

const YAML_READER = `
import json, sys, yaml
print(json.dumps(yaml.safe_load(sys.stdin.read())))
`;

/** Parses YAML with PyYAML, the YAML 1.1 reader Python credstash uses. */
export async function parseYamlWithPython(python: string, text: string): Promise<unknown> {
  return JSON.parse((await runPythonScript(python, YAML_READER, text)).text);
}

async function runPythonScript(python: string, script: string, input: string): Promise<ProcessResult> {
  const result = await runProcess(python, ['-c', script], { env: { PATH: process.env['PATH'], PYTHONIOENCODING: 'utf-8' }, input });
  if (result.status !== 0) {
    throw new Error(`the Python helper failed: ${result.stderr}`);
  }
  return result;
}

/** Runs Python credstash and fails with its standard error unless it exits with 0. */
export async function pythonOk(python: string, args: readonly string[], options: RunOptions): Promise<ProcessResult> {
  const result = await runPython(python, args, options);
  if (result.status !== 0) {
    throw new Error(`credstash ${args.join(' ')} exited with ${String(result.status)}: ${result.stderr}`);
  }
  return result;
}

/** A value of about 150 kB of mixed one- to four-byte UTF-8 characters, without carriage returns. */
export function bigValue(): string {
  const pattern = 'large value: ascii, ünïcødé, 日本語, 😀;\n';
  return pattern.repeat(Math.ceil(150_000 / Buffer.byteLength(pattern)));
}
