// Child process of the file-table race tests: sets up the table, then stores `count`
// secrets under one name with autoversion, and prints one JSON line per result.
//
//   node --import tsx test/support/file-writer.ts DIRECTORY NAME WRITER COUNT
import { Credstash, CredstashError, offlineProviders } from '../../src/index.js';

const [directory, name, writer, countText] = process.argv.slice(2);
if (directory === undefined || name === undefined || writer === undefined || countText === undefined) {
  throw new Error('usage: file-writer.ts DIRECTORY NAME WRITER COUNT');
}

const credstash = new Credstash(offlineProviders({ directory }));
// Every writer starts at once, so the setups race as well as the puts.
const setup = await credstash.setup();
process.stdout.write(`${JSON.stringify({ setup })}\n`);

for (let index = 0; index < Number(countText); index += 1) {
  const value = `${writer}#${index}`;
  try {
    const { version } = await credstash.putSecret(name, value, { autoVersion: true });
    process.stdout.write(`${JSON.stringify({ version, value })}\n`);
  } catch (error) {
    const code = error instanceof CredstashError ? error.code : 'untyped';
    process.stdout.write(`${JSON.stringify({ error: code, message: String(error), value })}\n`);
  }
}
