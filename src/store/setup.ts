import { InvalidArgumentError } from '../errors/index.js';
import type { TableBilling } from '../tables/table-provider.js';
import { validateOptions } from './lib/validate.js';
import type { StoreContext } from './store-context.js';

/** Options of `setup`. */
export interface SetupOptions {
  /** Tags added to the table besides `Name=credstash`. */
  readonly tags?: Readonly<Record<string, string>>;
  /** @default on-demand (`{ mode: 'PAY_PER_REQUEST' }`) */
  readonly billing?: TableBilling;
}

/** Creates the credstash table unless it exists, and waits until it can be used. */
export async function setup(store: StoreContext, setupOptions?: SetupOptions): Promise<'created' | 'exists'> {
  const options = validateOptions(setupOptions, 'setup');
  const tags = options.tags ?? {};
  if (typeof tags !== 'object' || tags === null || Array.isArray(tags)) {
    throw new InvalidArgumentError('tags', 'invalid tags: pass an object that maps tag keys to strings, such as { team: "payments" }.');
  }
  for (const [key, value] of Object.entries(tags)) {
    if (key === '' || typeof value !== 'string') {
      throw new InvalidArgumentError('tags', `invalid tag ${JSON.stringify(key)}: tags map non-empty keys to strings.`);
    }
  }
  const billing = options.billing;
  if (billing?.mode === 'PROVISIONED' && !(isCapacity(billing.readCapacity) && isCapacity(billing.writeCapacity))) {
    throw new InvalidArgumentError('billing', 'invalid billing: provisioned readCapacity and writeCapacity must be positive integers.');
  }

  return store.tableProvider.createTable(billing === undefined ? { tags } : { tags, billing });
}

function isCapacity(value: unknown): boolean {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
}
