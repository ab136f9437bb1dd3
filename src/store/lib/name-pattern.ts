import { InvalidArgumentError } from '../../errors/index.js';

/**
 * Compiles a name pattern in which `*` matches any run of characters (including none) and
 * every other character matches itself.
 */
export function compileNamePattern(pattern: string): (name: string) => boolean {
  if (typeof pattern !== 'string' || pattern === '') {
    throw new InvalidArgumentError('pattern', 'invalid pattern: pass a non-empty string such as "app/*".');
  }

  const source = pattern
    .split('*')
    .map((part) => part.replace(/[\\^$.|?+()[\]{}]/g, '\\$&'))
    .join('.*');
  const expression = new RegExp(`^${source}$`, 'su');
  return (name) => expression.test(name);
}
