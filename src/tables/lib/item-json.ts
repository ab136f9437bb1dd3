import type { ItemAttributes } from '../../format/item.js';

// DynamoDB JSON, as the AWS CLI prints it: Binary values are base64 strings. Values of
// other types are kept as they are, and the store's item parser rejects them.

/** Serializes an item to one line of DynamoDB JSON, with `name` and `version` first. */
export function itemToJson(item: ItemAttributes): string {
  const ordered: Record<string, unknown> = { name: item['name'], version: item['version'] };
  for (const [attribute, value] of Object.entries(item)) {
    ordered[attribute] = encodeValue(value);
  }
  return JSON.stringify(ordered);
}

/** Parses one line of DynamoDB JSON back to an item. */
export function itemFromJson(line: string): ItemAttributes {
  const parsed = JSON.parse(line) as unknown;
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new SyntaxError('an item line is not a JSON object');
  }

  const item: Record<string, unknown> = {};
  for (const [attribute, value] of Object.entries(parsed as Record<string, unknown>)) {
    item[attribute] = decodeValue(value);
  }
  return item;
}

function encodeValue(value: unknown): unknown {
  if (typeof value === 'object' && value !== null && (value as { B?: unknown }).B instanceof Uint8Array) {
    return { B: Buffer.from((value as { B: Uint8Array }).B).toString('base64') };
  }
  return value;
}

function decodeValue(value: unknown): unknown {
  if (typeof value === 'object' && value !== null && typeof (value as { B?: unknown }).B === 'string') {
    return { B: new Uint8Array(Buffer.from((value as { B: string }).B, 'base64')) };
  }
  return value;
}
