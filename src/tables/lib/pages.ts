import type { ItemAttributes } from '../../format/item.js';
import type { ItemPage } from '../table-provider.js';

/**
 * Groups items into pages of at most `pageSize`, reading them lazily so a large table is
 * never held whole. An empty source still gives one empty page, as a DynamoDB scan does.
 */
export async function* toPages(items: AsyncIterable<ItemAttributes> | Iterable<ItemAttributes>, pageSize: number): AsyncIterable<ItemPage> {
  let page: ItemAttributes[] = [];
  let yielded = false;

  for await (const item of items) {
    page.push(item);
    if (page.length >= pageSize) {
      yield { items: page };
      yielded = true;
      page = [];
    }
  }
  if (page.length > 0 || !yielded) {
    yield { items: page };
  }
}
