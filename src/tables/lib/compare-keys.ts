/**
 * Orders strings the way DynamoDB orders String keys: by their UTF-8 bytes. JavaScript's
 * `<` compares UTF-16 code units, which sorts characters above U+FFFF differently.
 */
export function compareKeys(left: string, right: string): number {
  return Buffer.compare(Buffer.from(left, 'utf8'), Buffer.from(right, 'utf8'));
}

/** Orders items by name, then version, as DynamoDB's key order does within a partition. */
export function compareNameVersion(left: { name: string; version: string }, right: { name: string; version: string }): number {
  return compareKeys(left.name, right.name) || compareKeys(left.version, right.version);
}
