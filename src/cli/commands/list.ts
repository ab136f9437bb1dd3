import type { SecretSummary } from '../../format/item.js';
import type { Credstash } from '../../store/credstash.js';

/** Lists the name, version and comment of every item, sorted by name and then version. */
export async function listCommand(store: Credstash): Promise<SecretSummary[]> {
  return store.listSecrets();
}

/** Lists every secret name once, sorted. */
export async function keysCommand(store: Credstash): Promise<string[]> {
  const names: string[] = [];
  for (const { name } of await store.listSecrets()) {
    if (names.at(-1) !== name) {
      names.push(name);
    }
  }
  return names;
}
