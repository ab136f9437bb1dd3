import type { KeyProvider } from '../keys/key-provider.js';
import type { TableProvider } from '../tables/table-provider.js';

/** The providers and defaults an operation works with. */
export interface StoreContext {
  readonly keyProvider: KeyProvider;
  readonly tableProvider: TableProvider;
  /** Maximum number of data keys decrypted at once by getAllSecrets. */
  readonly concurrency: number;
  /** Whether each secret's name is added to its encryption context. */
  readonly bindName: boolean;
}
