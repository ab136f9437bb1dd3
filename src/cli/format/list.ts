import type { SecretSummary } from '../../format/item.js';

/**
 * Formats `list` output as Python credstash 1.17.1 does, one line per item:
 * `NAME -- version VERSION -- comment COMMENT`, the name padded to the longest name. Like
 * Python, widths count code points, and an item without a comment still ends in "comment ".
 */
export function formatList(summaries: readonly SecretSummary[]): string {
  let width = 0;
  for (const { name } of summaries) {
    width = Math.max(width, codePointLength(name));
  }

  return summaries
    .map(({ name, version, comment }) => `${name}${' '.repeat(width - codePointLength(name))} -- version ${version} -- comment ${comment ?? ''}\n`)
    .join('');
}

/** Formats `keys` output: each name once, one per line, in the order given. */
export function formatKeys(names: readonly string[]): string {
  return names.map((name) => `${name}\n`).join('');
}

function codePointLength(text: string): number {
  let length = 0;
  for (const _ of text) {
    length += 1;
  }
  return length;
}
