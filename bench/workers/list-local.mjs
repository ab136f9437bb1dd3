// Lists a local table of credstash-ts in a fresh process and prints the time and memory:
//   node list-local.mjs file PATH MODE      the file table at PATH
//   node list-local.mjs memory COUNT MODE   a memory table filled here with COUNT items
// MODE "walk" counts the items with paginateSecrets, page by page; MODE "list" calls
// listSecrets, which returns every summary in one array. Resident memory is sampled after
// every page; maxRSS is the process's peak, filling included. Under --expose-gc it also
// collects garbage after every page and reports the peak of the live heap, which shows
// what the walk retains apart from garbage that V8 has not collected yet.
import { Credstash, FileTableProvider, MemoryTableProvider } from '../../dist/index.js';
import { fixedKeys } from './fixed-keys.mjs';

const [kind, source, mode] = process.argv.slice(2);

async function memoryTable(count) {
  const table = new MemoryTableProvider();
  // One sealed item, stored again under every name: listing never decrypts.
  await new Credstash({ keyProvider: fixedKeys, tableProvider: table }).putSecret('template', 'correct-horse-bat1');
  const template = await table.getItem('template', '0000000000000000001');
  await table.deleteItem('template', '0000000000000000001');
  for (let index = 0; index < count; index += 1) {
    await table.putItem({ ...template, name: { S: `s${String(index).padStart(6, '0')}` } });
  }
  return table;
}

const tableProvider = kind === 'file' ? new FileTableProvider({ path: source }) : await memoryTable(Number(source));
const store = new Credstash({ keyProvider: fixedKeys, tableProvider });
const mebibytes = (bytes) => bytes / 1024 / 1024;

global.gc?.();
const rssBefore = process.memoryUsage.rss();
const heapBefore = process.memoryUsage().heapUsed;
let peakRss = rssBefore;
let peakHeap = heapBefore;
let count = 0;
const start = process.hrtime.bigint();
if (mode === 'walk') {
  for await (const page of store.paginateSecrets()) {
    count += page.length;
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
    if (global.gc !== undefined) {
      global.gc();
      peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
    }
  }
} else {
  const summaries = await store.listSecrets();
  count = summaries.length;
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
  global.gc?.();
  peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
}
const ms = Number(process.hrtime.bigint() - start) / 1e6;

process.stdout.write(
  `${JSON.stringify({
    ms,
    count,
    rssBeforeMiB: mebibytes(rssBefore),
    peakRssMiB: mebibytes(peakRss),
    maxRssMiB: process.resourceUsage().maxRSS / 1024,
    liveHeapGrowthMiB: global.gc === undefined ? undefined : mebibytes(peakHeap - heapBefore),
  })}\n`,
);
