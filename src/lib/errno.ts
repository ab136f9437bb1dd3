/** Tells whether a Node.js system error has the given `code`, such as `"ENOENT"`. */
export function isCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}
