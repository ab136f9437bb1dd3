import { parseSummary } from '../format/item.js';
import { validateName } from './lib/validate.js';
import type { StoreContext } from './store-context.js';

/** Reads the highest stored version of a name (padded), or undefined when it has none. */
export async function getHighestVersion(store: StoreContext, name: string): Promise<string | undefined> {
  validateName(name);

  const latest = await store.tableProvider.getLatestItem(name);
  return latest === undefined ? undefined : parseSummary(latest).version;
}
