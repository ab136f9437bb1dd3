// Child process for the file table tests. It writes COUNT secrets to a file table, or, in
// loop mode, writes until it is killed.
// Usage: tsx file-table-writer.ts TABLE KEY_FILE PREFIX COUNT [autoversion|loop]
import { Credstash, FileTableProvider, LocalKeyProvider } from '../../src/index.js';

const [tablePath, keyFile, prefix, countText, mode] = process.argv.slice(2) as [string, string, string, string, string | undefined];
const credstash = new Credstash({
  keyProvider: new LocalKeyProvider({ keyFile }),
  tableProvider: new FileTableProvider({ path: tablePath, lockTimeout: 60_000 }),
});
const count = Number(countText);
// A large value widens the window in which a killed writer is caught mid-write.
const value = `${prefix}:`.padEnd(20_000, 'x');

for (let index = 0; mode === 'loop' || index < count; index += 1) {
  if (mode === 'autoversion') {
    await credstash.putSecret(prefix, `${prefix}-${index}`, { autoVersion: true });
  } else {
    await credstash.putSecret(`${prefix}-${index}`, value);
  }
  if (mode === 'loop') {
    process.stdout.write('.');
  }
}
