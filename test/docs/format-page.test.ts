import { createCipheriv, createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { VECTORS } from '../support/vectors.js';

const PAGE = readFileSync(new URL('../../docs/format.md', import.meta.url), 'utf8');
const INITIAL_COUNTER = '00000000000000000000000000000001';

/** Reads the worked example's table: each row `| step | `value` |` becomes step → value. */
function workedExample(): Map<string, string> {
  const section = PAGE.slice(PAGE.indexOf('## Worked example'));
  const rows = new Map<string, string>();
  for (const match of section.matchAll(/^\| (.+?) \| `([^`]*)` \|$/gm)) {
    rows.set(match[1] as string, match[2] as string);
  }
  return rows;
}

/** Recomputes every value of the table from the vector case with node:crypto alone. */
function recompute(caseName: string): Map<string, string> {
  const vector = VECTORS.find((candidate) => candidate.name === caseName);
  if (vector === undefined) {
    throw new Error(`docs/format.md names vector case ${caseName}, which test/vectors does not contain`);
  }
  const dataKey = Buffer.from(vector.dataKey, 'base64');
  const plaintext = Buffer.from(vector.secret, 'utf8');
  const cipher = createCipheriv('aes-256-ctr', dataKey.subarray(0, 32), Buffer.from(INITIAL_COUNTER, 'hex'));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  const keystream = createCipheriv('aes-256-ctr', dataKey.subarray(0, 32), Buffer.from(INITIAL_COUNTER, 'hex')).update(Buffer.alloc(plaintext.length));
  const hmacHex = createHmac('sha256', dataKey.subarray(32, 64)).update(ciphertext).digest('hex');

  return new Map([
    ['vector case', vector.name],
    ['name', vector.name],
    ['version', vector.version],
    ['secret', vector.secret],
    ['secret as UTF-8 (hex)', plaintext.toString('hex')],
    ['plaintext data key from KMS (base64)', vector.dataKey],
    ['AES-256 key, bytes 0–31 (hex)', dataKey.subarray(0, 32).toString('hex')],
    ['HMAC key, bytes 32–63 (hex)', dataKey.subarray(32, 64).toString('hex')],
    ['initial counter block (hex)', INITIAL_COUNTER],
    [`AES-CTR keystream, first ${plaintext.length} bytes (hex)`, keystream.toString('hex')],
    ['ciphertext = UTF-8 XOR keystream (hex)', ciphertext.toString('hex')],
    ['`contents`: ciphertext in base64', ciphertext.toString('base64')],
    ['HMAC-SHA256 of the ciphertext (hex)', hmacHex],
    ['`hmac`: that hex text as ASCII bytes, in base64', Buffer.from(hmacHex, 'latin1').toString('base64')],
  ]);
}

describe('docs/format.md worked example', () => {
  const rows = workedExample();
  const expected = recompute(rows.get('vector case') ?? '');

  it('has every step', () => {
    expect([...rows.keys()]).toEqual([...expected.keys()]);
  });

  for (const [step, value] of expected) {
    it(`shows ${step}`, () => {
      expect(rows.get(step)).toBe(value);
    });
  }

  it('matches what Python credstash stored', () => {
    const vector = VECTORS.find((candidate) => candidate.name === rows.get('vector case'));

    expect(vector?.item['contents']?.S).toBe(expected.get('`contents`: ciphertext in base64'));
    expect(vector?.item['hmac']?.B).toBe(expected.get('`hmac`: that hex text as ASCII bytes, in base64'));
    expect(vector?.digest).toBe('SHA256');
    expect(vector?.context).toEqual({});
  });

  it('shows the stored item', () => {
    const block = /```json\n([\s\S]+?)\n```/.exec(PAGE.slice(PAGE.indexOf('## Worked example')));
    const vector = VECTORS.find((candidate) => candidate.name === rows.get('vector case'));

    expect(JSON.parse(block?.[1] ?? 'null')).toEqual(vector?.item);
  });
});
